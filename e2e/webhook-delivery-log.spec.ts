import { createHmac, randomUUID } from "node:crypto";
import { expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import { APP_PORT, PASSWORD, signInForApi, signUpForApi, uniqueEmail } from "./support/accounts";

// An HR system posts a signed onboarding delivery (and a forged one); the
// owner opens the endpoint's delivery log, sees the forged one rejected with
// its reason and the real one dispatched with the run it started, replays
// it, and sees a second run start. Everything is set up through the app's
// own API, and the runs really execute on the local executor.

const BASE = `http://127.0.0.1:${APP_PORT}`;

/** A Standard Webhooks signature: base64 HMAC-SHA256 of `${id}.${timestamp}.${body}`, keyed with the secret's base64 after `whsec_`. */
function signStandardWebhook(secret: string, id: string, timestamp: number, body: string) {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  return `v1,${createHmac("sha256", key).update(`${id}.${timestamp}.${body}`).digest("base64")}`;
}

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
}

test("a signed delivery shows as dispatched with its run, and a replay starts a second run", async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 720 });
  // The page's own request context shares its cookies: signing in here signs the page in.
  const api = page.request;
  const owner = await signUpForApi(api, "deliveries");
  await signInForApi(api, owner.email, PASSWORD);
  const slug = owner.organization.slug;
  const org = `org=${slug}`;
  const write = { headers: { origin: BASE } };

  const created = await api.post(`/api/v1/webhook-endpoints?${org}`, {
    ...write,
    data: { name: "People HRIS", sourceType: "standard_webhooks" },
  });
  expect(created.status(), await created.text()).toBe(201);
  const { endpoint, secret } = (await created.json()) as {
    endpoint: { id: string; url: string };
    secret: string;
  };

  const workflow = await api.post(`/api/v1/workflows?${org}`, {
    ...write,
    data: {
      name: "Joiner welcome",
      definition: {
        schemaVersion: 1,
        nodes: [
          {
            id: "trigger",
            kind: "trigger",
            name: "Employee onboarded",
            config: { type: "lifecycle_event", event: "employee.onboard" },
          },
          {
            id: "hello",
            kind: "transform",
            name: "Greeting",
            config: { expression: '"Welcome, " & employee.firstName' },
          },
        ],
        edges: [{ id: "e1", from: "trigger", to: "hello" }],
      },
    },
  });
  expect(workflow.status(), await workflow.text()).toBe(201);
  const workflowId = ((await workflow.json()) as { workflow: { id: string } }).workflow.id;
  const published = await api.post(`/api/v1/workflows/${workflowId}/publish?${org}`, {
    ...write,
    data: {},
  });
  expect(published.status(), await published.text()).toBe(201);

  // The HR system: no session, just the endpoint URL and its secret.
  const sender = await playwrightRequest.newContext({ baseURL: BASE });
  const send = (body: string, signingSecret: string) => {
    const id = `msg_${randomUUID()}`;
    const timestamp = Math.floor(Date.now() / 1000);
    return sender.post(new URL(endpoint.url).pathname, {
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signStandardWebhook(signingSecret, id, timestamp, body),
      },
      data: body,
    });
  };
  const joiner = JSON.stringify({
    type: "employee.onboard",
    employee: {
      id: "E-4711",
      firstName: "Ada",
      lastName: "Lovelace",
      email: uniqueEmail("ada"),
      department: "Engineering",
    },
  });
  const accepted = await send(joiner, secret);
  expect(accepted.status(), await accepted.text()).toBe(202);
  const forged = await send(joiner, `whsec_${Buffer.alloc(32, 7).toString("base64")}`);
  expect(forged.status()).toBe(401);
  await sender.dispose();

  await page.goto(`/o/${slug}/settings/webhooks/${endpoint.id}`);
  await expect(page.getByRole("heading", { name: "People HRIS", level: 1 })).toBeVisible();
  await expect(page.getByText(endpoint.url)).toBeVisible();
  const rows = page.getByTestId("delivery-row");
  await expect(rows).toHaveCount(2);
  const rejected = rows.filter({ hasText: "Rejected" });
  await expect(rejected).toContainText("signature");
  // The page refreshes itself: the delivery turns dispatched once its run exists.
  const dispatched = rows.filter({ hasText: "Dispatched" });
  await expect(dispatched.getByRole("cell").nth(4)).toHaveText("1", { timeout: 30_000 });
  await noHorizontalScroll(page);
  await page.screenshot({ path: "e2e-artifacts/screenshots/webhook-delivery-log-1-list.png" });

  // The delivery: its event, the employee, the run it started.
  await dispatched.getByRole("button", { name: /View/ }).click();
  await expect(page).toHaveURL(/[?&]delivery=/);
  const detail = page
    .getByRole("dialog")
    .filter({ has: page.getByRole("tab", { name: /Events/ }) });
  await expect(detail.getByText("employee.onboard", { exact: true })).toBeVisible();
  await expect(detail.getByText("Ada Lovelace")).toBeVisible();
  const runLinks = detail.getByRole("link", { name: /Joiner welcome/ });
  await expect(runLinks).toHaveCount(1);
  await expect(runLinks.first()).toHaveAttribute(
    "href",
    new RegExp(`^/o/${slug}/runs/[0-9a-f-]{36}$`),
  );
  await expect(detail.getByText("completed", { exact: true })).toBeVisible({ timeout: 30_000 });
  await page.screenshot({ path: "e2e-artifacts/screenshots/webhook-delivery-log-2-detail.png" });
  await detail.getByRole("tab", { name: "Body" }).click();
  await expect(detail.getByRole("region", { name: "Raw body" })).toContainText(
    '"firstName": "Ada"',
  );
  await detail.getByRole("tab", { name: /Headers/ }).click();
  await expect(detail.getByText("webhook-id", { exact: true })).toBeVisible();
  await expect(detail.getByText("webhook-signature", { exact: true })).toHaveCount(0);
  await detail.getByRole("tab", { name: /Events/ }).click();

  // Replay, after a confirmation that says the workflows start again.
  await detail.getByRole("button", { name: "Replay" }).click();
  const confirm = page.getByRole("dialog", { name: "Replay this delivery?" });
  await expect(confirm).toContainText("Every matching published workflow starts again");
  await confirm.getByRole("button", { name: "Replay and start workflows" }).click();
  await expect(confirm).toHaveCount(0);
  await expect(page.getByText("Delivery replayed: 1 new event", { exact: true })).toBeVisible();
  await expect(runLinks).toHaveCount(2, { timeout: 30_000 });
  await expect(detail.getByText(`Replay by ${owner.email}`)).toBeVisible();
  await expect(detail.getByText("completed", { exact: true })).toHaveCount(2, { timeout: 30_000 });
  const [firstRun, secondRun] = await runLinks.evaluateAll((links) =>
    links.map((link) => link.getAttribute("href")),
  );
  expect(secondRun).not.toBe(firstRun);
  await page.screenshot({ path: "e2e-artifacts/screenshots/webhook-delivery-log-3-replayed.png" });

  // Both runs really ran, and the replay is in the audit log.
  const runs = (await (await api.get(`/api/v1/runs?${org}&workflowId=${workflowId}`)).json()) as {
    runs: { id: string; status: string }[];
  };
  expect(runs.runs.map((run) => run.status)).toEqual(["completed", "completed"]);
  const audit = (await (
    await api.get(`/api/v1/audit-logs?${org}&action=webhook_delivery.replayed`)
  ).json()) as { entries: { actorLabel: string }[] };
  expect(audit.entries.map((entry) => entry.actorLabel)).toEqual([owner.email]);

  await page.keyboard.press("Escape");
  await expect(detail).toHaveCount(0);
  await expect(page).not.toHaveURL(/delivery=/);
  await expect(dispatched.getByRole("cell").nth(4)).toHaveText("2");
});
