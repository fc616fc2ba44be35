import { expect, test } from "@playwright/test";

test("the public landing page introduces OfficeFlow and links to the demo workspace", async ({
  page,
}) => {
  await page.goto("/");
  await expect(page).toHaveTitle(/OfficeFlow/);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("joiner, mover and leaver");
  await page.screenshot({ path: "e2e-artifacts/screenshots/landing.png", fullPage: true });

  await page.getByRole("link", { name: "Open the demo workspace" }).click();
  await expect(page).toHaveURL(/\/o\/acme\/workflows$/);
  await expect(page.getByTestId("org-name")).toHaveText("Acme");
});

test("the app shell shows the organisation and every section is reachable from the sidebar", async ({
  page,
}) => {
  await page.goto("/o/acme");
  await expect(page).toHaveURL(/\/o\/acme\/workflows$/);
  await expect(page.getByTestId("org-name")).toHaveText("Acme");

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

test("an unknown organisation is a 404 page", async ({ page }) => {
  const response = await page.goto("/o/no-such-org/workflows");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
});

test("health endpoints answer over HTTP from the production build", async ({ request }) => {
  const live = await request.get("/api/health");
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ status: "ok" });
  const ready = await request.get("/api/health/ready");
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({ status: "ready" });
});
