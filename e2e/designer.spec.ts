import {
  type APIRequestContext,
  expect,
  type Page,
  request as playwrightRequest,
  test,
} from "@playwright/test";
import { APP_PORT, PASSWORD, signInThroughForm, signUpForApi } from "./support/accounts";

// The visual workflow designer in real Chromium at 1280×720: a workflow is
// drawn from the palette, connected, configured with the variable picker,
// checked live, published and test-run to completion; undo/redo; and the
// designer's answers to a concurrent edit and to a definition broken through
// the API.

const BASE = `http://127.0.0.1:${APP_PORT}`;
const SHOTS = "e2e-artifacts/screenshots";

type Session = { api: APIRequestContext; slug: string; write: { headers: Record<string, string> } };

async function signedInOwner(page: Page, label: string): Promise<Session> {
  const api = await playwrightRequest.newContext({ baseURL: BASE });
  const owner = await signUpForApi(api, label);
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto("/sign-in");
  await signInThroughForm(page, owner.email, PASSWORD, /\/workflows$/);
  const cookies = await page.context().cookies();
  return {
    api,
    slug: owner.organization.slug,
    write: {
      headers: {
        origin: BASE,
        cookie: cookies.map((cookie) => `${cookie.name}=${cookie.value}`).join("; "),
      },
    },
  };
}

async function createWorkflow(session: Session, body: Record<string, unknown>): Promise<string> {
  const created = await session.api.post(`/api/v1/workflows?org=${session.slug}`, {
    ...session.write,
    data: body,
  });
  expect(created.status(), await created.text()).toBe(201);
  return ((await created.json()) as { workflow: { id: string } }).workflow.id;
}

function canvasNode(page: Page, id: string) {
  return page.getByTestId(`node-${id}`);
}

async function expectSaved(page: Page) {
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "saved", {
    timeout: 15_000,
  });
}

test("an admin draws, configures, validates, publishes and test-runs a workflow", async ({
  page,
}) => {
  test.setTimeout(180_000);
  const session = await signedInOwner(page, "designer");
  const workflowId = await createWorkflow(session, { name: "Laptop welcome" });
  await page.goto(`/o/${session.slug}/workflows/${workflowId}`);
  const canvas = page.getByTestId("designer-canvas");
  await expect(canvasNode(page, "trigger")).toBeVisible();

  // Drag an email node from the palette onto the canvas, below the trigger.
  const triggerBox = await canvasNode(page, "trigger").boundingBox();
  const canvasBox = await canvas.boundingBox();
  if (!triggerBox || !canvasBox) throw new Error("the canvas is not laid out");
  await page.getByTestId("palette-email").dragTo(canvas, {
    targetPosition: {
      x: triggerBox.x - canvasBox.x + triggerBox.width / 2,
      y: triggerBox.y - canvasBox.y + 200,
    },
  });
  const email = canvasNode(page, "email");
  await expect(email).toBeVisible();

  // Not connected yet: the validator marks it, live, on the node and in the list.
  await expect(email).toHaveAttribute("data-problems", /[1-9]/);
  await page.getByRole("tab", { name: /Problems/ }).click();
  await expect(page.getByTestId("problems-list")).toContainText("Send email");
  await page.screenshot({ path: `${SHOTS}/designer-1-unconnected.png` });

  // Connect the trigger's output to the email node's input.
  await page
    .locator(".react-flow__node", { has: canvasNode(page, "trigger") })
    .locator(".react-flow__handle.source")
    .dragTo(
      page.locator(".react-flow__node", { has: email }).locator(".react-flow__handle.target"),
    );
  await expect(email).toHaveAttribute("data-problems", "0");
  await expect(page.getByTestId("problem-count")).toHaveText("0");

  // Configure it: an empty recipient is an error on the field and on the node…
  await email.click();
  const inspector = page.getByTestId("inspector");
  await expect(inspector).toBeVisible();
  const to = inspector.getByLabel("To *");
  await to.fill("");
  await expect(inspector.getByTestId("field-error-to")).toBeVisible();
  await expect(email).toHaveAttribute("data-problems", /[1-9]/);
  await page.screenshot({ path: `${SHOTS}/designer-2-invalid-field.png` });

  // …fixed with the variable picker: typing `{{ emp` lists what is in reach.
  await to.pressSequentially("{{ employee.em");
  const suggestions = inspector.getByRole("listbox", { name: "Variables" });
  await expect(suggestions.getByRole("option", { name: /^employee\.email\b/ })).toBeVisible();
  await expect(suggestions.getByRole("option", { name: /nodes\./ })).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/designer-3-variable-picker.png` });
  await suggestions.getByRole("option", { name: /^employee\.email\b/ }).click();
  await expect(to).toHaveValue("{{ employee.email }}");
  await expect(inspector.getByTestId("field-error-to")).toHaveCount(0);
  await expect(email).toHaveAttribute("data-problems", "0");

  // A variable that is not in reach is refused by name.
  const subject = inspector.getByLabel("Subject *");
  await subject.fill("Welcome {{ employee.shoeSize }}");
  await expect(inspector.getByTestId("field-error-subject")).toContainText("shoeSize");
  await subject.fill("Welcome, {{ employee.firstName }}!");
  await expect(inspector.getByTestId("field-error-subject")).toHaveCount(0);

  // Undo and redo a whole node.
  await page.getByTestId("palette-slack_message").dragTo(canvas, {
    targetPosition: { x: canvasBox.width / 2 + 150, y: canvasBox.height - 120 },
  });
  await expect(canvasNode(page, "slack_message")).toBeVisible();
  await canvas.click({ position: { x: 20, y: 20 } });
  await page.keyboard.press("Control+z");
  await expect(canvasNode(page, "slack_message")).toHaveCount(0);
  await page.keyboard.press("Control+Shift+z");
  await expect(canvasNode(page, "slack_message")).toBeVisible();
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(canvasNode(page, "slack_message")).toHaveCount(0);
  await email.click();
  await expect(inspector.getByLabel("To *")).toHaveValue("{{ employee.email }}");

  // Publish (the draft autosaves first), then test-run the draft.
  await expectSaved(page);
  await expect(page.getByTestId("problem-count")).toHaveText("0");
  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("Version 1 published", { exact: true })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/designer-4-published.png` });

  await page.getByRole("button", { name: "Test run" }).click();
  const dialog = page.getByRole("dialog");
  const eventField = dialog.getByLabel(/Event data/);
  await eventField.fill('{"employee": {"id": "E-1", "firstName": "Dana"}}');
  await dialog.getByRole("button", { name: "Start test run" }).click();
  await expect(dialog.getByRole("alert")).toContainText("employee.email");
  await eventField.fill(
    JSON.stringify({
      employee: { id: "E-1", firstName: "Dana", lastName: "Scully", email: "dana@example.com" },
    }),
  );
  await dialog.getByRole("button", { name: "Start test run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]+$/);
  await expect(page.getByTestId("run-status")).toHaveText(/completed/i, { timeout: 60_000 });
  await expect(page.getByTestId("step-email")).toHaveAttribute("data-status", "completed");
  await page.screenshot({ path: `${SHOTS}/designer-5-test-run.png` });
});

test("the designer opens a definition broken through the API with its problems, and refuses a stale save", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const session = await signedInOwner(page, "designer-faults");
  const workflowId = await createWorkflow(session, { name: "Broken on purpose" });
  // The API keeps a draft that has the definition's structure but is wrong in
  // every other way: an unknown kind, a bad config, an edge to nowhere's label.
  const saved = await session.api.patch(`/api/v1/workflows/${workflowId}?org=${session.slug}`, {
    ...session.write,
    data: {
      expectedRevision: 0,
      definition: {
        schemaVersion: 1,
        nodes: [
          {
            id: "trigger",
            kind: "trigger",
            name: "Joined",
            config: { type: "lifecycle_event", event: "employee.onboard" },
          },
          { id: "mystery", kind: "teleport", name: "Teleport", config: {} },
          { id: "mail", kind: "email", name: "Mail", config: { to: "" } },
        ],
        edges: [
          { id: "e1", from: "trigger", to: "mystery" },
          { id: "e2", from: "trigger", to: "mail", label: "maybe" },
        ],
      },
    },
  });
  expect(saved.status(), await saved.text()).toBe(200);

  // Unknown and malformed workflow ids are a plain not-found page.
  for (const missing of ["0190f0a4-1111-7222-8333-944455556666", "not-a-uuid"]) {
    const response = await page.goto(`/o/${session.slug}/workflows/${missing}`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "We couldn’t find that page" })).toBeVisible();
  }

  await page.goto(`/o/${session.slug}/workflows/${workflowId}`);
  await expect(canvasNode(page, "mystery")).toBeVisible();
  await expect(canvasNode(page, "mystery")).toContainText("Unknown kind");
  await expect(canvasNode(page, "mystery")).toHaveAttribute("data-problems", /[1-9]/);
  await expect(canvasNode(page, "mail")).toHaveAttribute("data-problems", /[1-9]/);
  await page.getByRole("tab", { name: /Problems/ }).click();
  const problems = page.getByTestId("problems-list");
  await expect(problems).toContainText("teleport");
  await expect(page.getByRole("button", { name: "Publish" })).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/designer-6-broken-draft.png` });

  // Pressing a problem selects the node at fault.
  await problems.getByRole("button", { name: /Mail/ }).first().click();
  await expect(page.getByTestId("inspector")).toContainText("Send email");

  // A second admin (another tab) saves first; this tab's next save is refused, not applied.
  const other = await browser.newContext({ storageState: await page.context().storageState() });
  const otherPage = await other.newPage();
  await otherPage.setViewportSize({ width: 1280, height: 720 });
  await otherPage.goto(`/o/${session.slug}/workflows/${workflowId}`);
  await expect(canvasNode(otherPage, "mail")).toBeVisible();
  await canvasNode(otherPage, "mail").click();
  await otherPage.getByTestId("inspector").getByLabel("Name").fill("Their mail");
  await expectSaved(otherPage);

  await page.getByTestId("inspector").getByLabel("Name").fill("My mail");
  await expect(page.getByTestId("save-status")).toHaveAttribute("data-state", "conflict", {
    timeout: 15_000,
  });
  await expect(page.getByTestId("save-status")).toContainText("changed by someone else");
  await page.screenshot({ path: `${SHOTS}/designer-7-conflict.png` });
  const stored = await session.api.get(`/api/v1/workflows/${workflowId}?org=${session.slug}`, {
    headers: session.write.headers,
  });
  const draft = (
    (await stored.json()) as {
      workflow: { draftDefinition: { nodes: { id: string; name: string }[] } };
    }
  ).workflow.draftDefinition;
  expect(draft.nodes.find((node) => node.id === "mail")?.name).toBe("Their mail");
  await other.close();
});

test("a workflow is created from the leaver template and opens in the designer", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const session = await signedInOwner(page, "designer-template");
  // The page header's button (the empty state offers another).
  await page.getByRole("button", { name: "New workflow" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByTestId("template-leaver").click();
  await expect(dialog.getByRole("radio", { name: /Offboarding/ })).toBeChecked();
  await dialog.getByLabel("Name *").fill("Leavers in Berlin");
  await page.screenshot({ path: `${SHOTS}/designer-8-template-gallery.png` });
  await dialog.getByRole("button", { name: "Create workflow" }).click();

  await expect(page).toHaveURL(new RegExp(`/o/${session.slug}/workflows/[0-9a-f-]+$`));
  await expect(page.getByRole("heading", { name: "Leavers in Berlin" })).toBeVisible();
  const nodes = page.locator(".react-flow__node");
  await expect(nodes.first()).toBeVisible();
  expect(await nodes.count()).toBeGreaterThan(3);
  // The template names no credential of this organisation: the designer asks for one.
  await page.getByRole("tab", { name: /Problems/ }).click();
  await expect(page.getByTestId("problems-list")).toContainText(/credential/i);
  await page.screenshot({ path: `${SHOTS}/designer-9-from-template.png` });
});

test("two published versions are compared on the canvas, and an old one is restored as the draft", async ({
  page,
}) => {
  test.setTimeout(120_000);
  const session = await signedInOwner(page, "designer-versions");
  const trigger = {
    id: "trigger",
    kind: "trigger",
    name: "Joined",
    config: { type: "lifecycle_event", event: "employee.onboard" },
    position: { x: 0, y: 0 },
  };
  const welcome = {
    id: "welcome",
    kind: "email",
    name: "Welcome",
    config: { to: "{{ employee.email }}", subject: "Hello", body: "Welcome!" },
    position: { x: 0, y: 140 },
  };
  const v1 = {
    schemaVersion: 1,
    nodes: [trigger, welcome],
    edges: [{ id: "e1", from: "trigger", to: "welcome" }],
  };
  const workflowId = await createWorkflow(session, { name: "Versioned", definition: v1 });
  const publish = async () => {
    const published = await session.api.post(
      `/api/v1/workflows/${workflowId}/publish?org=${session.slug}`,
      { ...session.write, data: {} },
    );
    expect(published.status(), await published.text()).toBe(201);
  };
  await publish();
  const v2 = {
    schemaVersion: 1,
    nodes: [
      trigger,
      { ...welcome, config: { ...welcome.config, subject: "Welcome aboard" } },
      {
        id: "badge",
        kind: "transform",
        name: "Badge name",
        config: { expression: "employee.firstName" },
        position: { x: 260, y: 140 },
      },
    ],
    edges: [
      { id: "e1", from: "trigger", to: "welcome" },
      { id: "e2", from: "trigger", to: "badge" },
    ],
  };
  const saved = await session.api.patch(`/api/v1/workflows/${workflowId}?org=${session.slug}`, {
    ...session.write,
    data: { expectedRevision: 0, definition: v2 },
  });
  expect(saved.status(), await saved.text()).toBe(200);
  await publish();

  await page.goto(`/o/${session.slug}/workflows/${workflowId}`);
  await expect(canvasNode(page, "badge")).toBeVisible();
  await page.getByRole("tab", { name: "Versions" }).click();
  const first = page.getByRole("listitem", { name: "Version 1" });
  await first.getByRole("button", { name: "Compare with…" }).click();
  await page.getByRole("menuitem", { name: "Version 2" }).click();

  const banner = page.getByTestId("comparison-banner");
  await expect(banner).toContainText("Version 1 → Version 2");
  await expect(canvasNode(page, "badge")).toHaveAttribute("data-diff", "added");
  await expect(canvasNode(page, "welcome")).toHaveAttribute("data-diff", "changed");
  await expect(canvasNode(page, "trigger")).toHaveAttribute("data-diff", "unchanged");
  await canvasNode(page, "welcome").click();
  const diff = page.getByTestId("node-diff");
  await expect(diff).toContainText("subject");
  await expect(diff).toContainText("Hello");
  await expect(diff).toContainText("Welcome aboard");
  await page.screenshot({ path: `${SHOTS}/designer-10-compare.png` });
  await banner.getByRole("button", { name: "Close comparison" }).click();
  await expect(banner).toHaveCount(0);

  // Restore version 1 as the draft (the draft equals the newest version, so
  // nothing is lost and nothing is asked): the added node goes, and it is saved.
  await page.getByRole("tab", { name: "Versions" }).click();
  await first.getByRole("button", { name: "Restore as draft" }).click();
  await expect(canvasNode(page, "badge")).toHaveCount(0);
  await expectSaved(page);
  const stored = await session.api.get(`/api/v1/workflows/${workflowId}?org=${session.slug}`, {
    headers: session.write.headers,
  });
  const draft = (
    (await stored.json()) as { workflow: { draftDefinition: { nodes: { id: string }[] } } }
  ).workflow.draftDefinition;
  expect(draft.nodes.map((node) => node.id)).toEqual(["trigger", "welcome"]);
});
