import { expect, test } from "@playwright/test";
import {
  APP_PORT,
  latestEmailTo,
  PASSWORD,
  signInThroughForm,
  uniqueEmail,
} from "./support/accounts";

// The whole access story in a real browser: sign up, invite, the email
// arrives (fake Resend through the real SDK), the colleague accepts, is a
// viewer who sees no edit controls and whom the server refuses, gets
// promoted, and the audit log shows every step.

test("sign up → invite → accept → viewer is refused → promoted → audited", async ({
  browser,
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const ownerEmail = uniqueEmail("owner");
  const colleagueEmail = uniqueEmail("colleague");
  const orgName = `Whitfield ${Date.now().toString(36)}`;

  // 1. Sign up: a new organisation, owned by the new user.
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Olivia Owner");
  await page.getByLabel("Work email").fill(ownerEmail);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Organisation name").fill(orgName);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/workflows$/);
  await expect(page.getByTestId("org-name")).toHaveText(orgName);
  const slug = new URL(page.url()).pathname.split("/")[2] as string;
  await page.screenshot({
    path: "e2e-artifacts/screenshots/accounts-1-signed-up.png",
    fullPage: true,
  });

  // 2. Invite a colleague as viewer.
  await page.goto(`/o/${slug}/settings`);
  await page.getByRole("tab", { name: "Invitations" }).click();
  const inviteForm = page.getByTestId("invite-form");
  await inviteForm.getByLabel(/email/i).fill(colleagueEmail);
  await inviteForm.getByLabel(/role/i).selectOption("viewer");
  await inviteForm.getByRole("button", { name: "Send invitation" }).click();
  await expect(page.getByRole("cell", { name: colleagueEmail })).toBeVisible();

  // 3. The email reached Resend (our fake) with a one-time link.
  const email = await latestEmailTo(request, colleagueEmail);
  expect(email.subject).toContain(orgName);
  const link = /https?:\/\/[^\s"]+\/invitations\/[A-Za-z0-9_-]+/.exec(email.text ?? "")?.[0];
  expect(link, email.text ?? "").toBeDefined();

  // 4. The colleague accepts as a new user, in a separate browser context.
  const colleagueContext = await browser.newContext({ baseURL: `http://127.0.0.1:${APP_PORT}` });
  const colleague = await colleagueContext.newPage();
  await colleague.goto(new URL(link as string).pathname);
  await colleague.getByLabel("Your name").fill("Casey Colleague");
  await colleague.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await colleague.getByRole("button", { name: "Create account and join" }).click();
  await expect(colleague).toHaveURL(new RegExp(`/o/${slug}/workflows$`));

  // 5. As viewer: no edit controls in Settings…
  await colleague.goto(`/o/${slug}/settings`);
  await colleague.getByRole("tab", { name: "Members" }).click();
  await expect(colleague.getByRole("cell", { name: ownerEmail })).toBeVisible();
  await expect(colleague.getByRole("combobox", { name: /Role for/ })).toHaveCount(0);
  await expect(colleague.getByRole("button", { name: "Remove" })).toHaveCount(0);
  await colleague.getByRole("tab", { name: "Invitations" }).click();
  await expect(colleague.getByTestId("invite-form")).toHaveCount(0);
  await colleague.getByRole("tab", { name: "General" }).click();
  await expect(colleague.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  await colleague.screenshot({
    path: "e2e-artifacts/screenshots/accounts-2-viewer-settings.png",
    fullPage: true,
  });

  // …and the server refuses the edit API when called directly.
  const origin = `http://127.0.0.1:${APP_PORT}`;
  const refused = await colleague.request.patch(`/api/v1/organization?org=${slug}`, {
    data: { name: "Hijacked" },
    headers: { origin },
  });
  expect(refused.status()).toBe(403);
  const invite = await colleague.request.post(`/api/v1/invitations?org=${slug}`, {
    data: { email: uniqueEmail("sneaky"), role: "owner" },
    headers: { origin },
  });
  expect(invite.status()).toBe(403);

  // 6. The owner promotes the colleague to editor.
  await page.getByRole("tab", { name: "Members" }).click();
  await page.getByRole("combobox", { name: `Role for ${colleagueEmail}` }).selectOption("editor");
  await expect
    .poll(async () => {
      const members = await page.request.get(`/api/v1/members?org=${slug}`);
      const body = (await members.json()) as {
        members: { role: string; user: { email: string } }[];
      };
      return body.members.find((member) => member.user.email === colleagueEmail)?.role;
    })
    .toBe("editor");

  // 7. The audit log shows each step.
  await page.goto(`/o/${slug}/audit`);
  for (const action of [
    "user.signed_up",
    "organization.created",
    "invitation.created",
    "invitation.accepted",
    "member.added",
    "member.role_changed",
  ]) {
    await expect(page.getByText(action, { exact: true }).first()).toBeVisible();
  }
  await page.screenshot({
    path: "e2e-artifacts/screenshots/accounts-3-audit-log.png",
    fullPage: true,
  });
  await colleagueContext.close();
});

test("a wrong password is refused with a readable message", async ({ page }) => {
  await page.goto("/sign-in");
  await page.getByLabel("Email").fill("owner@acme.example");
  await page.getByLabel("Password", { exact: true }).fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Email or password is incorrect.")).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
});

test("signed-in users land on their organisation; signing out ends the session", async ({
  page,
}) => {
  await page.goto("/sign-in?callbackUrl=/o/acme/settings");
  await signInThroughForm(page, "owner@acme.example", "officeflow-demo", /\/o\/acme\/settings$/);
  await page
    .getByRole("button", { name: /owner@acme\.example|Avery Owner|account/i })
    .first()
    .click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).not.toHaveURL(/\/o\/acme/);
  await page.goto("/o/acme/workflows");
  await expect(page).toHaveURL(/\/sign-in/);
});

test("an existing user signs in from the invitation link and joins a second organisation", async ({
  browser,
  page,
  request,
}) => {
  const ownerEmail = uniqueEmail("second-org-owner");
  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Second Owner");
  await page.getByLabel("Work email").fill(ownerEmail);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Organisation name").fill(`Second ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/workflows$/);
  const slug = new URL(page.url()).pathname.split("/")[2] as string;

  const invited = await page.request.post(`/api/v1/invitations?org=${slug}`, {
    data: { email: "owner@acme.example", role: "editor" },
    headers: { origin: `http://127.0.0.1:${APP_PORT}` },
  });
  expect(invited.status()).toBe(201);
  const email = await latestEmailTo(request, "owner@acme.example");
  const link = /https?:\/\/[^\s"]+\/invitations\/[A-Za-z0-9_-]+/.exec(
    email.text ?? "",
  )?.[0] as string;

  const context = await browser.newContext({ baseURL: `http://127.0.0.1:${APP_PORT}` });
  const demoOwner = await context.newPage();
  await demoOwner.goto(new URL(link).pathname);
  await demoOwner.getByRole("link", { name: "Sign in to accept" }).click();
  await signInThroughForm(demoOwner, "owner@acme.example", "officeflow-demo", /\/invitations\//);
  await demoOwner.getByRole("button", { name: "Accept invitation" }).click();
  await expect(demoOwner).toHaveURL(new RegExp(`/o/${slug}/workflows$`));

  // Now in two organisations: the switcher offers both.
  await demoOwner.getByTestId("org-name").click();
  await expect(demoOwner.getByRole("menuitem", { name: /Acme/ })).toBeVisible();
  await demoOwner.getByRole("menuitem", { name: /Acme/ }).click();
  await expect(demoOwner).toHaveURL(/\/o\/acme\/workflows$/);
  await context.close();
});
