import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "./support/accounts";

// An owner stores a Slack credential in Settings → Credentials, sees only its
// masked hint, replaces its secret and deletes it. No secret ever comes back
// from the server: not in the page, not in any response the browser receives.

test("add a Slack credential, see only its hint, replace its secret, delete it", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  const firstToken = `xoxb-${randomBytes(18).toString("hex")}`;
  const secondToken = `xoxb-${randomBytes(18).toString("hex")}`;
  const tokens = [firstToken, secondToken];

  const responses: Promise<{ url: string; body: string }>[] = [];
  page.on("response", (response) => {
    responses.push(
      response
        .text()
        .then((body) => ({ url: response.url(), body }))
        .catch(() => ({ url: response.url(), body: "" })),
    );
  });

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Kim Keyholder");
  await page.getByLabel("Work email").fill(uniqueEmail("credentials"));
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Organisation name").fill(`Keys ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/workflows$/);
  const slug = new URL(page.url()).pathname.split("/")[2] as string;

  await page.goto(`/o/${slug}/settings`);
  await page.getByRole("tab", { name: "Credentials" }).click();
  await expect(page).toHaveURL(/tab=credentials/);
  await expect(page.getByText("No credentials yet.")).toBeVisible();

  // Add: a user token is refused with the field named; a bot token is saved.
  await page.getByRole("button", { name: "Add credential" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Kind").selectOption({ label: "Slack" });
  await dialog.getByLabel("Name", { exact: true }).fill("Slack (HR)");
  const tokenInput = dialog.getByLabel("Bot token");
  await expect(tokenInput).toHaveAttribute("type", "password");
  await tokenInput.fill("xoxp-a-user-token");
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(dialog.getByText(/Bot token must be a bot token starting with xoxb-/)).toBeVisible();
  await expect(tokenInput).toHaveAttribute("aria-invalid", "true");
  await tokenInput.fill(firstToken);
  await page.screenshot({ path: "e2e-artifacts/screenshots/credentials-1-add.png" });
  await dialog.getByRole("button", { name: "Save credential" }).click();
  await expect(dialog).toHaveCount(0);

  const row = page.getByTestId("credential-row").filter({ hasText: "Slack (HR)" });
  await expect(row).toBeVisible();
  await expect(row.getByText(`xoxb-…${firstToken.slice(-4)}`)).toBeVisible();
  await expect(row.getByText("Slack", { exact: true })).toBeVisible();
  await page.screenshot({ path: "e2e-artifacts/screenshots/credentials-2-list.png" });

  // After a reload, only what the server sends is on the page.
  await page.reload();
  await expect(row.getByText(`xoxb-…${firstToken.slice(-4)}`)).toBeVisible();
  for (const token of tokens) expect(await page.content()).not.toContain(token);

  // Replace the secret: the hint follows, the old value is gone for good.
  await row.getByRole("button", { name: /Replace secret/ }).click();
  await expect(
    dialog.getByRole("heading", { name: "Replace the secret of “Slack (HR)”" }),
  ).toBeVisible();
  await expect(dialog.getByLabel("Bot token")).toHaveValue("");
  await dialog.getByLabel("Bot token").fill(secondToken);
  await dialog.getByRole("button", { name: "Replace secret" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row.getByText(`xoxb-…${secondToken.slice(-4)}`)).toBeVisible();

  // Delete, after confirming.
  await row.getByRole("button", { name: /Delete/ }).click();
  await expect(dialog.getByRole("heading", { name: "Delete “Slack (HR)”?" })).toBeVisible();
  await dialog.getByRole("button", { name: "Delete credential" }).click();
  await expect(page.getByText("No credentials yet.")).toBeVisible();

  // The audit log recorded each change, with no secret in it.
  const audit = await page.request.get(`/api/v1/audit-logs?org=${slug}&action=credential.`);
  const auditText = await audit.text();
  const actions = (JSON.parse(auditText) as { entries: { action: string }[] }).entries.map(
    (entry) => entry.action,
  );
  expect(actions.sort()).toEqual([
    "credential.created",
    "credential.deleted",
    "credential.updated",
  ]);

  const received = await Promise.all(responses);
  expect(received.some(({ url }) => url.includes("/api/v1/credentials"))).toBe(true);
  for (const { url, body } of [...received, { url: "audit", body: auditText }]) {
    for (const token of tokens) expect(body, `${url} contains a secret`).not.toContain(token);
  }
  for (const token of tokens) expect(await page.content()).not.toContain(token);
});
