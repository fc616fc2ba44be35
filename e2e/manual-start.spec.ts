import { expect, request as playwrightRequest, test } from "@playwright/test";
import { APP_PORT, PASSWORD, signInThroughForm, signUpForApi } from "./support/accounts";

// An admin starts a run by hand from the workflows page: the employee form
// names a missing or malformed field before anything is sent, and a valid test
// run starts and completes in the engine.

const BASE = `http://127.0.0.1:${APP_PORT}`;

test("starting a run by hand validates the employee and runs the workflow", async ({ page }) => {
  test.setTimeout(120_000);
  const api = await playwrightRequest.newContext({ baseURL: BASE });
  const owner = await signUpForApi(api, "manual");
  const org = `org=${owner.organization.slug}`;
  await page.goto("/sign-in");
  await signInThroughForm(page, owner.email, PASSWORD, /\/workflows$/);
  const cookies = await page.context().cookies();
  const write = {
    headers: {
      origin: BASE,
      cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; "),
    },
  };
  const created = await api.post(`/api/v1/workflows?${org}`, {
    ...write,
    data: {
      name: "Badge request",
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
            id: "badge",
            kind: "transform",
            name: "Badge name",
            config: { expression: 'employee.firstName & " " & employee.lastName' },
          },
        ],
        edges: [{ id: "e1", from: "trigger", to: "badge" }],
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

  await page.setViewportSize({ width: 1280, height: 720 });
  await page.reload();
  const row = page.getByRole("row", { name: /Badge request/ });
  await expect(row.getByText("Published")).toBeVisible();
  await row.getByRole("button", { name: /Start run/ }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog.getByRole("heading", { name: "Start “Badge request”" })).toBeVisible();

  // Nothing filled in: the required fields say so, and nothing is sent.
  await dialog.getByRole("button", { name: "Start test run" }).click();
  await expect(dialog.getByText(/Employee id .*/).first()).toBeVisible();
  await dialog.getByLabel("Employee id *").fill("E-77");
  await dialog.getByLabel("First name *").fill("Jeffrey");
  await dialog.getByLabel("Last name *").fill("Spender");
  await dialog.getByLabel("Work email *").fill("not an email");
  await dialog.getByRole("button", { name: "Start test run" }).click();
  await expect(dialog.getByText("Work email must be an email address.")).toBeVisible();
  await page.screenshot({ path: "e2e-artifacts/screenshots/manual-start-invalid.png" });

  await dialog.getByLabel("Work email *").fill("jeffrey@acme.example");
  await dialog.getByLabel("Start date").fill("2030-02-03");
  await dialog.getByRole("button", { name: "Start test run" }).click();
  await expect(page.getByText("Test run started", { exact: true })).toBeVisible();
  await expect(dialog).toHaveCount(0);

  const latest = async () => {
    const body = (await (
      await api.get(`/api/v1/runs?${org}&workflowId=${workflowId}`, write)
    ).json()) as {
      runs: { status: string; isTest: boolean; employeeEmail: string }[];
    };
    return body.runs[0];
  };
  await expect.poll(async () => (await latest())?.status, { timeout: 30_000 }).toBe("completed");
  expect(await latest()).toMatchObject({ isTest: true, employeeEmail: "jeffrey@acme.example" });
  await api.dispose();
});
