import { expect, test } from "@playwright/test";
import { signInThroughForm } from "./support/accounts";

test("the public landing page introduces OfficeFlow and its demo signs in to the Acme workspace", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/OfficeFlow/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("joiner, mover and leaver");
  await page.screenshot({ path: "e2e-artifacts/screenshots/landing.png", fullPage: true });

  await page.getByRole("link", { name: "Open the demo workspace" }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await signInThroughForm(page, "owner@acme.example", "officeflow-demo", /\/o\/acme\/workflows$/);
  await expect(page.getByTestId("org-name")).toHaveText("Acme");
});

test("the app shell requires sign-in, then every section is reachable from the sidebar", async ({
  page,
}) => {
  await page.goto("/o/acme/workflows");
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await signInThroughForm(page, "owner@acme.example", "officeflow-demo", /\/o\/acme\/workflows$/);

  const sidebar = page.getByRole("navigation", { name: "Main" });
  const sections = [
    { link: "Workflows", path: "workflows", heading: "Workflows" },
    { link: "Runs", path: "runs", heading: "Runs" },
    { link: "Dashboard", path: "dashboard", heading: "Dashboard" },
    { link: "Audit log", path: "audit", heading: "Audit log" },
    { link: "Settings", path: "settings", heading: "Settings" },
  ];
  for (const section of sections) {
    await sidebar.getByRole("link", { name: section.link }).click();
    await expect(page).toHaveURL(new RegExp(`/o/acme/${section.path}$`));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(section.heading);
    await expect(sidebar.getByRole("link", { name: section.link })).toHaveAttribute(
      "aria-current",
      "page",
    );
  }
  await page.screenshot({
    path: "e2e-artifacts/screenshots/app-shell-settings.png",
    fullPage: true,
  });
});

test("an organisation the user does not belong to is a 404, whether or not it exists", async ({
  page,
}) => {
  await page.goto("/sign-in");
  await signInThroughForm(page, "owner@acme.example", "officeflow-demo", /\/o\/acme\/workflows$/);
  const response = await page.goto("/o/no-such-org/workflows");
  expect(response?.status()).toBe(404);
});

test("health endpoints answer over HTTP from the production build", async ({ request }) => {
  const live = await request.get("/api/health");
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ status: "ok" });
  const ready = await request.get("/api/health/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({ status: "ready" });
});

test("pages carry a nonce-based CSP and the security headers", async ({ request }) => {
  const response = await request.get("/sign-in");
  const headers = response.headers();
  expect(headers["content-security-policy"]).toMatch(
    /script-src 'self' 'nonce-[^']+' 'strict-dynamic'/,
  );
  expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(headers["content-security-policy"]).toContain("object-src 'none'");
  expect(headers["x-content-type-options"]).toBe("nosniff");
  expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(headers["strict-transport-security"]).toMatch(/max-age=\d{8}/);
  const api = await request.get("/api/health");
  expect(api.headers()["x-content-type-options"]).toBe("nosniff");
});
