import { expect, type Page, request as playwrightRequest, test } from "@playwright/test";
import {
  APP_PORT,
  latestEmailTo,
  PASSWORD,
  signInForApi,
  signUpForApi,
  uniqueEmail,
} from "./support/accounts";

// An approver opens the emailed link: the page shows the request and decides
// nothing by being opened (mail scanners open links); Approve decides once,
// and a reload shows the decision read-only. The approval is set up through
// the app's own API: a workflow with an approval node, published and started,
// waiting for the manager's decision.

const BASE = `http://127.0.0.1:${APP_PORT}`;

async function noHorizontalScroll(page: Page) {
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
}

test("an approval link shows the request, approves once, and reads as decided after a reload", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const api = await playwrightRequest.newContext({ baseURL: BASE });
  const owner = await signUpForApi(api, "approvals");
  await signInForApi(api, owner.email, PASSWORD);
  const org = `org=${owner.organization.slug}`;
  const write = { headers: { origin: BASE } };

  const created = await api.post(`/api/v1/workflows?${org}`, {
    ...write,
    data: {
      name: "Laptop approval",
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
            id: "approve",
            kind: "approval",
            name: "Manager approval",
            config: {
              approvers: "{{ employee.manager.email }}",
              title: "Approve a laptop for {{ employee.firstName }}",
              message: "{{ employee.firstName }} starts on Monday and needs a laptop.",
              timeout: { amount: 2, unit: "days" },
            },
          },
          { id: "yes", kind: "transform", name: "Approved", config: { expression: '"yes"' } },
        ],
        edges: [
          { id: "e1", from: "trigger", to: "approve" },
          { id: "e2", from: "approve", to: "yes", label: "approved" },
        ],
      },
    },
  });
  expect(created.status(), await created.text()).toBe(201);
  const workflowId = ((await created.json()) as { workflow: { id: string } }).workflow.id;
  const published = await api.post(`/api/v1/workflows/${workflowId}/publish?${org}`, {
    ...write,
    data: {},
  });
  expect(published.status(), await published.text()).toBe(201);

  const manager = uniqueEmail("manager");
  const started = await api.post(`/api/v1/workflows/${workflowId}/runs?${org}`, {
    ...write,
    data: {
      employee: {
        id: "E-7",
        firstName: "Dana",
        lastName: "Scully",
        email: uniqueEmail("dana"),
        manager: { name: "Walter Skinner", email: manager },
      },
    },
  });
  expect(started.status(), await started.text()).toBe(202);
  const runId = ((await started.json()) as { run: { id: string } }).run.id;
  const runStatus = async () =>
    ((await (await api.get(`/api/v1/runs/${runId}?${org}`)).json()) as { run: { status: string } })
      .run.status;
  await expect.poll(runStatus, { timeout: 30_000 }).toBe("waiting");

  const email = await latestEmailTo(api, manager);
  const link = /\/approvals\/[A-Za-z0-9_-]+/.exec(email.text ?? "")?.[0];
  expect(link, email.text ?? "").toBeDefined();

  // On a phone: everything readable without sideways scrolling.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(link as string);
  await expect(page.getByRole("heading", { name: "Approve a laptop for Dana" })).toBeVisible();
  await expect(page.getByText("Dana starts on Monday and needs a laptop.")).toBeVisible();
  await expect(page.getByText(owner.organization.name, { exact: true })).toBeVisible();
  await expect(page.getByText("Dana Scully")).toBeVisible();
  await expect(page.getByText("in 2 days")).toBeVisible();
  await noHorizontalScroll(page);
  await page.screenshot({ path: "e2e-artifacts/screenshots/approval-link-1-phone.png" });

  // Opening the link decided nothing.
  expect(await runStatus()).toBe("waiting");

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.getByLabel("Comment (optional)").fill("Go ahead, the standard model.");
  await page.screenshot({ path: "e2e-artifacts/screenshots/approval-link-2-desktop.png" });
  await page.getByRole("button", { name: "Approve" }).click();
  await expect(page.getByRole("status")).toContainText("Approved. Thank you.");
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect.poll(runStatus, { timeout: 30_000 }).toBe("completed");

  await page.reload();
  await expect(page.getByText("You approved this request.")).toBeVisible();
  await expect(page.getByText("Your comment: “Go ahead, the standard model.”")).toBeVisible();
  await expect(page.getByRole("button", { name: "Approve" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Reject" })).toHaveCount(0);
  await noHorizontalScroll(page);
  await page.screenshot({ path: "e2e-artifacts/screenshots/approval-link-3-decided.png" });

  // The link worked once.
  const again = await api.post(`${link}`.replace("/approvals/", "/api/approvals/"), {
    data: { decision: "rejected" },
  });
  expect(again.status()).toBe(410);

  const unknown = await page.goto("/approvals/not-a-real-token");
  expect(unknown?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This approval link isn’t valid" })).toBeVisible();
  await api.dispose();
});
