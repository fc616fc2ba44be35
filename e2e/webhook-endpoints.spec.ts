import { expect, test } from "@playwright/test";
import { PASSWORD, uniqueEmail } from "./support/accounts";

// An owner adds a webhook endpoint in Settings → Webhooks, sees its signing
// secret once, finds it gone after a reload, rotates it (with an overlap),
// disables the endpoint and deletes it. Each secret travels in exactly one
// response — the one that generated it — and in no page after its dialog closes.

test("add a webhook endpoint, see its secret once, rotate it, disable and delete it", async ({
  page,
  context,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);

  const responses: Promise<{ url: string; method: string; body: string }>[] = [];
  page.on("response", (response) => {
    const method = response.request().method();
    responses.push(
      response
        .text()
        .then((body) => ({ url: response.url(), method, body }))
        .catch(() => ({ url: response.url(), method, body: "" })),
    );
  });

  await page.goto("/sign-up");
  await page.getByLabel("Your name").fill("Hana Hooks");
  await page.getByLabel("Work email").fill(uniqueEmail("webhooks"));
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Organisation name").fill(`Hooks ${Date.now().toString(36)}`);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/o\/[a-z0-9-]+\/workflows$/);
  const slug = new URL(page.url()).pathname.split("/")[2] as string;

  await page.goto(`/o/${slug}/settings`);
  await page.getByRole("tab", { name: "Webhooks" }).click();
  await expect(page).toHaveURL(/tab=webhooks/);
  await expect(page.getByText("No webhook endpoints yet.")).toBeVisible();

  // A signature header is required for an HMAC endpoint: the field says so.
  await page.getByRole("button", { name: "Add endpoint" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name", { exact: true }).fill("HR system");
  await dialog.getByLabel("Source").selectOption({ label: "HMAC signature header" });
  await dialog.getByRole("button", { name: "Create endpoint" }).click();
  await expect(dialog.getByText("Signature header is required.")).toBeVisible();
  await expect(dialog.getByLabel("Signature header")).toHaveAttribute("aria-invalid", "true");

  // Standard Webhooks: OfficeFlow generates the secret and shows it once.
  await dialog.getByLabel("Source").selectOption({ label: "Standard Webhooks" });
  await dialog.getByRole("button", { name: "Create endpoint" }).click();
  await expect(dialog.getByText("Copy your secret now.")).toBeVisible();
  const firstSecret = await dialog.getByLabel("Signing secret", { exact: true }).inputValue();
  expect(firstSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  const url = await dialog.getByLabel("Endpoint URL", { exact: true }).inputValue();
  expect(url).toMatch(/\/api\/hooks\/[0-9a-f-]{36}$/);
  const endpointId = url.split("/").at(-1) as string;
  await dialog.getByRole("button", { name: "Copy signing secret" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(firstSecret);
  await page.screenshot({ path: "e2e-artifacts/screenshots/webhooks-1-secret-once.png" });
  await dialog.getByRole("button", { name: "Done, I stored it" }).click();
  await expect(dialog).toHaveCount(0);

  const row = page.getByTestId("webhook-endpoint-row").filter({ hasText: "HR system" });
  await expect(row.getByText(`whsec_…${firstSecret.slice(-4)}`)).toBeVisible();
  await expect(row.getByTestId("webhook-endpoint-url")).toHaveText(url);
  await expect(row.getByText("Standard Webhooks")).toBeVisible();
  await expect(row.getByText("Never")).toBeVisible();
  await expect(row.getByRole("link", { name: /HR system/ })).toHaveAttribute(
    "href",
    `/o/${slug}/settings/webhooks/${endpointId}`,
  );
  await row.getByRole("button", { name: "Copy URL of HR system" }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(url);
  expect(await page.content()).not.toContain(firstSecret);

  // After a reload only what the server sends is on the page: the hint, never the secret.
  await page.reload();
  await expect(row.getByText(`whsec_…${firstSecret.slice(-4)}`)).toBeVisible();
  expect(await page.content()).not.toContain(firstSecret);

  // Rotate with the default 24-hour overlap: a new secret, once; the old one still verifies.
  await row.getByRole("button", { name: /Rotate secret/ }).click();
  await expect(
    dialog.getByRole("heading", { name: "Rotate the secret of “HR system”" }),
  ).toBeVisible();
  await expect(dialog.getByLabel("Keep accepting the old secret for")).toHaveValue("1440");
  await dialog.getByRole("button", { name: "Rotate secret" }).click();
  await expect(dialog.getByText("Copy your secret now.")).toBeVisible();
  const secondSecret = await dialog.getByLabel("Signing secret", { exact: true }).inputValue();
  expect(secondSecret).toMatch(/^whsec_/);
  expect(secondSecret).not.toBe(firstSecret);
  await dialog.getByRole("button", { name: "Done, I stored it" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row.getByText(`whsec_…${secondSecret.slice(-4)}`)).toBeVisible();
  await expect(row.getByText(/Old secret valid until/)).toBeVisible();
  // The list fits a 1280×720 window: nothing scrolls sideways, the row's actions are in view.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
  const table = page.locator('[data-slot="table-container"]');
  expect(await table.evaluate((element) => element.scrollWidth - element.clientWidth)).toBe(0);
  await expect(row.getByRole("button", { name: /Delete/ })).toBeInViewport();
  await page.screenshot({ path: "e2e-artifacts/screenshots/webhooks-2-list.png" });

  // Disable: the switch turns off and stays off after a reload.
  const toggle = row.getByRole("switch", { name: "Accept deliveries for HR system" });
  await expect(toggle).toHaveAttribute("aria-checked", "true");
  await toggle.click();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  await page.reload();
  await expect(toggle).toHaveAttribute("aria-checked", "false");
  for (const secret of [firstSecret, secondSecret])
    expect(await page.content()).not.toContain(secret);

  // Delete, after confirming.
  await row.getByRole("button", { name: /Delete/ }).click();
  await expect(dialog.getByRole("heading", { name: "Delete “HR system”?" })).toBeVisible();
  await dialog.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(page.getByText("No webhook endpoints yet.")).toBeVisible();

  // The audit log recorded each change, with no secret in it.
  const audit = await page.request.get(`/api/v1/audit-logs?org=${slug}&action=webhook_endpoint.`);
  const auditText = await audit.text();
  const actions = (JSON.parse(auditText) as { entries: { action: string }[] }).entries.map(
    (entry) => entry.action,
  );
  expect(actions.sort()).toEqual([
    "webhook_endpoint.created",
    "webhook_endpoint.deleted",
    "webhook_endpoint.secret_rotated",
    "webhook_endpoint.updated",
  ]);

  // Each secret came in exactly one response: the POST that generated it.
  const received = await Promise.all(responses);
  const carrying = (secret: string) =>
    received
      .filter(({ body }) => body.includes(secret))
      .map(({ method, url }) => `${method} ${url}`);
  expect(carrying(firstSecret)).toEqual([
    expect.stringMatching(/^POST .*\/api\/v1\/webhook-endpoints\?org=/),
  ]);
  expect(carrying(secondSecret)).toEqual([
    expect.stringMatching(/^POST .*\/api\/v1\/webhook-endpoints\/[0-9a-f-]{36}\/rotate-secret\?/),
  ]);
  for (const secret of [firstSecret, secondSecret]) expect(auditText).not.toContain(secret);
});
