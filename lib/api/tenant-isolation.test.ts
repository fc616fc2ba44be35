import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inngest } from "@/inngest/client";
import { createCredential, createCredentialSchema } from "@/lib/credentials/service";
import { forOrg } from "@/lib/db/tenant";
import { sha256Hex } from "@/lib/sha256";
import { createWebhookEndpoint, createWebhookEndpointSchema } from "@/lib/webhooks/endpoints";
import type { WorkflowDefinitionInput } from "@/lib/workflows/definition";
import { createWorkflow, createWorkflowSchema, publishWorkflow } from "@/lib/workflows/service";
import { testDatabase } from "@/test/support/database";
import { apiRouteFiles, callRoute, type HttpMethod, routeHandlers } from "@/test/support/routes";
import { createTenant, type Tenant, tenantSnapshot } from "@/test/support/tenants";

// Tenant B, with its own valid API key, aims every API route at tenant A:
// A's ids in the path, A's slug in ?org=, A's ids in the body and query.
// Every answer is 404 or 403, identical to the answer for an id that exists
// nowhere, leaks nothing of A, changes nothing of A and sends no event to the
// engine. The session-cookie variant of this walk runs in the browser suite
// (e2e/tenant-isolation.spec.ts).

const prisma = testDatabase();
/** Watches what reaches the workflow engine (run starts, cancels, approval decisions). */
const sendSpy = vi.spyOn(inngest, "send");
let a: Tenant;
let b: Tenant;
/** Each tenant's Slack credential (the Tenant fixture has none), and its plaintext token. */
const credentials = new Map<string, { id: string; name: string; token: string }>();
const credentialOf = (t: Tenant) =>
  credentials.get(t.organization.id) as { id: string; name: string; token: string };

/** Each tenant's workflow with a published version, and a run waiting at an approval (with a step run and a link token). */
type WorkflowRows = {
  workflowId: string;
  workflowName: string;
  versionId: string;
  runId: string;
  stepRunId: string;
  approvalId: string;
  approvalTitle: string;
  employeeEmail: string;
  approvalToken: string;
};
const workflowRows = new Map<string, WorkflowRows>();
/** Each tenant's webhook endpoint, with its generated signing secret. */
const webhookEndpoints = new Map<string, { id: string; name: string; secret: string }>();
const endpointOf = (t: Tenant) =>
  webhookEndpoints.get(t.organization.id) as { id: string; name: string; secret: string };
/** Each tenant's dispatched webhook delivery (to that endpoint), with the lifecycle event it stored. */
type DeliveryRows = { id: string; deliveryKey: string; eventId: string; employeeEmail: string };
const webhookDeliveries = new Map<string, DeliveryRows>();
const deliveryOf = (t: Tenant) => webhookDeliveries.get(t.organization.id) as DeliveryRows;
const rowsOf = (t: Tenant) => workflowRows.get(t.organization.id) as WorkflowRows;

/** A workflow definition whose nested ids (credential, sub-workflow) point at tenant `t`. */
function definitionUsing(t: Tenant): WorkflowDefinitionInput {
  return {
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
        config: { approvers: "{{ employee.manager.email }}", title: "Approve" },
      },
      {
        id: "announce",
        kind: "slack_message",
        name: "Announce",
        config: {
          credentialId: credentialOf(t).id,
          target: { type: "channel", channel: "#general" },
          text: "Welcome {{ employee.firstName }}",
        },
      },
    ],
    edges: [
      { id: "e1", from: "trigger", to: "approve" },
      { id: "e2", from: "approve", to: "announce", label: "approved" },
    ],
  };
}

type Attack = {
  params?: (t: Tenant) => Record<string, string>;
  body?: (t: Tenant) => unknown;
  query?: (t: Tenant) => Record<string, string>;
};

// One entry per route and method; the test below fails when a route has none.
const MATRIX: Record<string, Attack | "exempt"> = {
  "GET /api/auth/[...nextauth]": "exempt",
  "POST /api/auth/[...nextauth]": "exempt",
  "GET /api/health": "exempt",
  "GET /api/health/ready": "exempt",
  "GET /api/inngest": "exempt",
  "POST /api/inngest": "exempt",
  "PUT /api/inngest": "exempt",
  "POST /api/sign-up": "exempt", // creates a new tenant; takes no ids
  "GET /api/v1/openapi.json": "exempt", // static description
  // Authenticated by the endpoint's signature, not by a tenant's session or key;
  // a delivery signed with another organisation's secret is refused in
  // lib/webhooks/ingest.test.ts.
  "POST /api/hooks/[endpointId]": "exempt",
  "POST /api/invitations/accept": { body: (t) => ({ token: t.invitation.id.replace(/-/g, "") }) },
  "GET /api/v1/organization": {},
  "PATCH /api/v1/organization": { body: () => ({ name: "Taken over" }) },
  "GET /api/v1/members": {},
  "PATCH /api/v1/members/[membershipId]": {
    params: (t) => ({ membershipId: t.viewerMembership.id }),
    body: () => ({ role: "admin" }),
  },
  "DELETE /api/v1/members/[membershipId]": {
    params: (t) => ({ membershipId: t.viewerMembership.id }),
  },
  "GET /api/v1/invitations": {},
  "POST /api/v1/invitations": { body: () => ({ email: "outsider@example.test", role: "viewer" }) },
  "DELETE /api/v1/invitations/[invitationId]": {
    params: (t) => ({ invitationId: t.invitation.id }),
  },
  "POST /api/v1/invitations/[invitationId]/resend": {
    params: (t) => ({ invitationId: t.invitation.id }),
  },
  "GET /api/v1/api-keys": {},
  "POST /api/v1/api-keys": { body: () => ({ name: "sneaky", role: "owner" }) },
  "DELETE /api/v1/api-keys/[apiKeyId]": { params: (t) => ({ apiKeyId: t.keys.owner.id }) },
  "GET /api/v1/audit-logs": { query: (t) => ({ targetId: t.organization.id }) },
  "GET /api/v1/audit-logs/export": { query: (t) => ({ targetId: t.organization.id }) },
  "GET /api/v1/credential-kinds": {},
  "GET /api/v1/credentials": {},
  "POST /api/v1/credentials": {
    body: () => ({ name: "sneaky", kind: "slack", secret: { botToken: "xoxb-sneaky-token" } }),
  },
  "GET /api/v1/credentials/[credentialId]": {
    params: (t) => ({ credentialId: credentialOf(t).id }),
  },
  "PATCH /api/v1/credentials/[credentialId]": {
    params: (t) => ({ credentialId: credentialOf(t).id }),
    body: () => ({ name: "Taken over", secret: { botToken: "xoxb-attacker-token" } }),
  },
  "DELETE /api/v1/credentials/[credentialId]": {
    params: (t) => ({ credentialId: credentialOf(t).id }),
  },
  "GET /api/v1/webhook-endpoints": {},
  "POST /api/v1/webhook-endpoints": {
    body: () => ({ name: "sneaky", sourceType: "bamboohr" }),
  },
  "GET /api/v1/webhook-endpoints/[endpointId]": {
    params: (t) => ({ endpointId: endpointOf(t).id }),
  },
  "PATCH /api/v1/webhook-endpoints/[endpointId]": {
    params: (t) => ({ endpointId: endpointOf(t).id }),
    body: () => ({ name: "Taken over", enabled: false, config: { mapping: "$" } }),
  },
  "DELETE /api/v1/webhook-endpoints/[endpointId]": {
    params: (t) => ({ endpointId: endpointOf(t).id }),
  },
  // A rotation answers the new secret: it must neither happen nor answer anything of A.
  "POST /api/v1/webhook-endpoints/[endpointId]/rotate-secret": {
    params: (t) => ({ endpointId: endpointOf(t).id }),
    body: () => ({ overlapMinutes: 0, secret: "attacker-chosen-signing-key" }),
  },
  "GET /api/v1/webhook-endpoints/[endpointId]/deliveries": {
    params: (t) => ({ endpointId: endpointOf(t).id }),
    query: (t) => ({ status: "dispatched", cursor: deliveryOf(t).id }),
  },
  "GET /api/v1/webhook-endpoints/[endpointId]/deliveries/[deliveryId]": {
    params: (t) => ({ endpointId: endpointOf(t).id, deliveryId: deliveryOf(t).id }),
  },
  // A replay would store new lifecycle events in A and start A's workflows again.
  "POST /api/v1/webhook-endpoints/[endpointId]/deliveries/[deliveryId]/replay": {
    params: (t) => ({ endpointId: endpointOf(t).id, deliveryId: deliveryOf(t).id }),
  },
  "GET /api/v1/node-kinds": {},
  "GET /api/v1/workflow-definition-schema": {},
  "GET /api/v1/workflow-templates": {},
  "GET /api/v1/workflows": {},
  // Without ?org= this creates B's own workflow; the credential id nested in it stays A's secret.
  "POST /api/v1/workflows": { body: (t) => ({ name: "sneaky", definition: definitionUsing(t) }) },
  "GET /api/v1/workflows/[workflowId]": { params: (t) => ({ workflowId: rowsOf(t).workflowId }) },
  "PATCH /api/v1/workflows/[workflowId]": {
    params: (t) => ({ workflowId: rowsOf(t).workflowId }),
    body: () => ({ name: "Taken over", expectedRevision: 0 }),
  },
  "DELETE /api/v1/workflows/[workflowId]": {
    params: (t) => ({ workflowId: rowsOf(t).workflowId }),
  },
  "POST /api/v1/workflows/[workflowId]/validate": {
    params: (t) => ({ workflowId: rowsOf(t).workflowId }),
    body: () => ({}),
  },
  "POST /api/v1/workflows/[workflowId]/publish": {
    params: (t) => ({ workflowId: rowsOf(t).workflowId }),
    body: () => ({}),
  },
  "GET /api/v1/workflows/[workflowId]/versions": {
    params: (t) => ({ workflowId: rowsOf(t).workflowId }),
  },
  "GET /api/v1/workflows/[workflowId]/versions/[versionId]": {
    params: (t) => ({ workflowId: rowsOf(t).workflowId, versionId: rowsOf(t).versionId }),
  },
  "POST /api/v1/workflows/[workflowId]/versions/[versionId]/rollback": {
    params: (t) => ({ workflowId: rowsOf(t).workflowId, versionId: rowsOf(t).versionId }),
  },
  "POST /api/v1/workflows/[workflowId]/runs": {
    params: (t) => ({ workflowId: rowsOf(t).workflowId }),
    body: () => ({
      employee: { id: "E-1", firstName: "Eve", lastName: "Mallory", email: "eve@example.test" },
    }),
  },
  // Without ?org= this lists B's runs filtered by A's workflow: none.
  "GET /api/v1/runs": { query: (t) => ({ workflowId: rowsOf(t).workflowId }) },
  "GET /api/v1/runs/[runId]": { params: (t) => ({ runId: rowsOf(t).runId }) },
  "POST /api/v1/runs/[runId]/cancel": { params: (t) => ({ runId: rowsOf(t).runId }) },
  "POST /api/v1/runs/[runId]/rerun": { params: (t) => ({ runId: rowsOf(t).runId }) },
  "POST /api/v1/runs/[runId]/retry": { params: (t) => ({ runId: rowsOf(t).runId }) },
  "POST /api/v1/runs/[runId]/approvals/[nodeId]": {
    params: (t) => ({ runId: rowsOf(t).runId, nodeId: "approve" }),
    body: () => ({ decision: "approved", comment: "approved by tenant B" }),
  },
  // Public: the token is the credential. A made-up one finds nothing, whoever sends it.
  "POST /api/approvals/[token]": {
    params: () => ({ token: randomBytes(32).toString("base64url") }),
    body: () => ({ decision: "approved" }),
  },
};

function secretsOf(t: Tenant): string[] {
  return [
    t.organization.id,
    t.organization.slug,
    t.organization.name,
    t.owner.email,
    t.viewer.email,
    t.invitation.id,
    t.invitation.email,
    t.keys.owner.id,
    t.keys.viewer.id,
    t.audit.id,
    credentialOf(t).id,
    credentialOf(t).name,
    credentialOf(t).token,
    rowsOf(t).workflowId,
    rowsOf(t).workflowName,
    rowsOf(t).versionId,
    rowsOf(t).runId,
    rowsOf(t).stepRunId,
    rowsOf(t).approvalId,
    rowsOf(t).approvalTitle,
    rowsOf(t).employeeEmail,
    rowsOf(t).approvalToken,
    endpointOf(t).id,
    endpointOf(t).name,
    endpointOf(t).secret,
    `whsec_…${endpointOf(t).secret.slice(-4)}`,
    deliveryOf(t).id,
    deliveryOf(t).deliveryKey,
    deliveryOf(t).eventId,
    deliveryOf(t).employeeEmail,
  ];
}

/** tenantSnapshot plus the tenant's credentials (sealed payloads included), workflows, versions, runs, steps and approvals. */
async function snapshot(organizationId: string) {
  const where = { organizationId };
  const orderBy = { id: "asc" } as const;
  const rows = await prisma.credential.findMany({ where, orderBy });
  return `${await tenantSnapshot(prisma, organizationId)}${JSON.stringify({
    credentials: rows.map((row) => ({
      ...row,
      encryptedPayload: Buffer.from(row.encryptedPayload).toString("base64"),
    })),
    workflows: await prisma.workflow.findMany({ where, orderBy }),
    versions: await prisma.workflowVersion.findMany({ where, orderBy }),
    runs: await prisma.workflowRun.findMany({ where, orderBy }),
    steps: await prisma.stepRun.findMany({ where, orderBy }),
    approvals: await prisma.approval.findMany({ where, orderBy }),
    approvalTokens: await prisma.approvalToken.findMany({ where, orderBy }),
    webhookEndpoints: (await prisma.webhookEndpoint.findMany({ where, orderBy })).map((row) => ({
      ...row,
      encryptedSecret: Buffer.from(row.encryptedSecret).toString("base64"),
      previousEncryptedSecret: row.previousEncryptedSecret
        ? Buffer.from(row.previousEncryptedSecret).toString("base64")
        : null,
    })),
    webhookDeliveries: await prisma.webhookDelivery.findMany({ where, orderBy }),
    lifecycleEvents: await prisma.lifecycleEvent.findMany({ where, orderBy }),
  })}`;
}

function randomised(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(params).map((key) => [key, randomUUID()]));
}

async function attack(
  file: string,
  method: HttpMethod,
  pattern: string,
  entry: Attack,
  params: Record<string, string>,
  withOrg: boolean,
) {
  const url = new URL(
    pattern.replace(/\[(\w+)\]/g, (_, name: string) => params[name] ?? ""),
    "http://localhost",
  );
  if (withOrg) url.searchParams.set("org", a.organization.slug);
  for (const [name, value] of Object.entries(entry.query?.(a) ?? {}))
    url.searchParams.set(name, value);
  const body = entry.body?.(a);
  const response = await callRoute(file, method, url.toString(), {
    params,
    headers: {
      authorization: `Bearer ${b.keys.owner.secret}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  a = await createTenant(prisma, "a");
  b = await createTenant(prisma, "b");
  for (const t of [a, b]) {
    const token = `xoxb-${randomUUID()}`;
    const name = `Slack ${t.organization.slug}`;
    const actor = { type: "system" as const, label: "test" };
    const credential = await createCredential(
      {
        db: forOrg(t.organization.id),
        organization: t.organization,
        actor,
        audit: { organizationId: t.organization.id, actor, meta: { ip: null, userAgent: null } },
      },
      createCredentialSchema.parse({ name, kind: "slack", secret: { botToken: token } }),
    );
    credentials.set(t.organization.id, { id: credential.id, name, token });
    workflowRows.set(t.organization.id, await seedWorkflowRows(t));
    const endpointName = `HR hook ${t.organization.slug}`;
    const { endpoint, secret } = await createWebhookEndpoint(
      {
        db: forOrg(t.organization.id),
        url: new URL("http://localhost"),
        organization: t.organization,
        actor,
        audit: { organizationId: t.organization.id, actor, meta: { ip: null, userAgent: null } },
      },
      createWebhookEndpointSchema.parse({ name: endpointName, sourceType: "standard_webhooks" }),
    );
    webhookEndpoints.set(t.organization.id, {
      id: endpoint.id,
      name: endpointName,
      secret: secret as string,
    });
    webhookDeliveries.set(t.organization.id, await seedDelivery(t, endpoint.id));
  }
  // Every attack must be refused before anything reaches the engine.
  sendSpy.mockClear();
});

afterAll(() => {
  sendSpy.mockRestore();
});

/** A verified, dispatched delivery to `t`'s endpoint and the lifecycle event it was normalised into. */
async function seedDelivery(t: Tenant, endpointId: string): Promise<DeliveryRows> {
  const organizationId = t.organization.id;
  const employeeEmail = `joiner-${t.organization.slug}@example.test`;
  const employee = { id: "E-9", firstName: "Jo", lastName: "Iner", email: employeeEmail };
  const deliveryKey = `msg_${randomUUID()}`;
  const delivery = await prisma.webhookDelivery.create({
    data: {
      organizationId,
      endpointId,
      deliveryKey,
      status: "dispatched",
      rawBody: JSON.stringify({ type: "employee.onboard", employee }),
      headers: { "content-type": "application/json", "webhook-id": deliveryKey },
      dispatchedAt: new Date(),
    },
  });
  const event = await prisma.lifecycleEvent.create({
    data: {
      organizationId,
      type: "employee.onboard",
      source: "webhook",
      employeeExternalId: employee.id,
      payload: { employee },
      webhookDeliveryId: delivery.id,
      dispatchedAt: new Date(),
    },
  });
  return { id: delivery.id, deliveryKey, eventId: event.id, employeeEmail };
}

/** A published workflow, and a run of it waiting at an approval, with its step run and one link token. */
async function seedWorkflowRows(t: Tenant): Promise<WorkflowRows> {
  const organizationId = t.organization.id;
  const actor = { type: "system" as const, label: "test" };
  const context = {
    db: forOrg(organizationId),
    organization: t.organization,
    actor,
    audit: { organizationId, actor, meta: { ip: null, userAgent: null } },
  } as unknown as Parameters<typeof createWorkflow>[0];
  const workflowName = `Onboarding ${t.organization.slug}`;
  const workflow = await createWorkflow(
    context,
    createWorkflowSchema.parse({ name: workflowName, definition: definitionUsing(t) }),
  );
  const version = await publishWorkflow(context, workflow.id, {});
  const employeeEmail = `employee-${t.organization.slug}@example.test`;
  const run = await prisma.workflowRun.create({
    data: {
      organizationId,
      workflowId: workflow.id,
      workflowVersionId: version.id,
      status: "waiting",
      triggerType: "manual",
      triggerEvent: { id: randomUUID(), type: "employee.onboard", occurredAt: "2026-01-01" },
      employeeName: `Employee ${t.organization.slug}`,
      employeeEmail,
      startedAt: new Date(),
    },
  });
  const step = await prisma.stepRun.create({
    data: {
      organizationId,
      runId: run.id,
      nodeId: "approve",
      nodeKind: "approval",
      status: "waiting",
      startedAt: new Date(),
    },
  });
  const approvalTitle = `Approve access for ${t.organization.slug}`;
  const approval = await prisma.approval.create({
    data: {
      organizationId,
      runId: run.id,
      nodeId: "approve",
      title: approvalTitle,
      approvers: [`manager-${t.organization.slug}@example.test`],
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const approvalToken = randomBytes(32).toString("base64url");
  await prisma.approvalToken.create({
    data: {
      organizationId,
      approvalId: approval.id,
      approver: `manager-${t.organization.slug}@example.test`,
      tokenHash: sha256Hex(approvalToken),
    },
  });
  return {
    workflowId: workflow.id,
    workflowName,
    versionId: version.id,
    runId: run.id,
    stepRunId: step.id,
    approvalId: approval.id,
    approvalTitle,
    employeeEmail,
    approvalToken,
  };
}

describe("tenant isolation across every API route (API keys)", () => {
  const routes = apiRouteFiles();

  it("has an attack for every route and method", async () => {
    const missing: string[] = [];
    for (const route of routes) {
      for (const method of Object.keys(await routeHandlers(route.file))) {
        if (!MATRIX[`${method} ${route.pattern}`]) missing.push(`${method} ${route.pattern}`);
      }
    }
    expect(missing, "add these routes to MATRIX").toEqual([]);
  });

  const cases = Object.entries(MATRIX).filter(
    (entry): entry is [string, Attack] => entry[1] !== "exempt",
  );

  it.each(cases)(
    "%s with tenant A's ids: 404/403, nothing leaked, nothing changed",
    async (key, entry) => {
      const [method, pattern] = key.split(" ") as [HttpMethod, string];
      const route = routes.find((r) => r.pattern === pattern);
      expect(route, `${pattern} exists`).toBeDefined();
      if (!route) return;
      const before = await snapshot(a.organization.id);
      const params = entry.params?.(a) ?? {};
      const hasIds = Object.keys(params).length > 0;

      const variants = [
        await attack(route.file, method, pattern, entry, params, true),
        ...(hasIds || entry.body
          ? [await attack(route.file, method, pattern, entry, params, false)]
          : []),
      ];
      for (const [index, result] of variants.entries()) {
        const withOrg = index === 0;
        // Without ?org=, B acts in B: listing and creating there is fine, as long as A stays invisible.
        const ownScopeCreate = !withOrg && !hasIds && !pattern.includes("accept");
        if (!ownScopeCreate)
          expect(
            [403, 404],
            `${key} (${withOrg ? "?org=A" : "A's ids"}) → ${result.status} ${result.text}`,
          ).toContain(result.status);
        for (const secret of secretsOf(a))
          expect(result.text, `${key} leaks ${secret}`).not.toContain(secret);
      }
      if (hasIds) {
        // Same answer for A's real id and for an id that exists nowhere: existence is not revealed.
        const real = variants.at(-1);
        const made = await attack(route.file, method, pattern, entry, randomised(params), false);
        expect(made).toEqual(real);
      }
      expect(await snapshot(a.organization.id), `${key} changed tenant A`).toBe(before);
      expect(sendSpy, `${key} sent an event to the engine`).not.toHaveBeenCalled();
    },
  );

  it("lists show only the caller's own tenant", async () => {
    const own: Record<string, string> = {
      "/api/v1/members": b.owner.email,
      "/api/v1/invitations": b.invitation.email,
      "/api/v1/api-keys": b.keys.owner.id,
      "/api/v1/audit-logs": b.audit.id,
      "/api/v1/credentials": credentialOf(b).id,
      "/api/v1/workflows": rowsOf(b).workflowId,
      "/api/v1/runs": rowsOf(b).runId,
      "/api/v1/webhook-endpoints": endpointOf(b).id,
    };
    for (const [pattern, expected] of Object.entries(own)) {
      const route = routes.find((r) => r.pattern === pattern);
      if (!route) throw new Error(`${pattern} missing`);
      const response = await callRoute(route.file, "GET", `http://localhost${pattern}`, {
        headers: { authorization: `Bearer ${b.keys.owner.secret}` },
      });
      expect(response.status, pattern).toBe(200);
      const text = await response.text();
      for (const secret of secretsOf(a))
        expect(text, `${pattern} leaks ${secret}`).not.toContain(secret);
      expect(text, `${pattern} shows B's own data`).toContain(expected);
    }
  });
});

describe("ids nested in a workflow definition", () => {
  it("B's workflow cannot use A's credential or call A's workflow: problems at validate, 422 at publish, nothing of A named", async () => {
    const route = (pattern: string) => {
      const found = apiRouteFiles().find((r) => r.pattern === pattern);
      if (!found) throw new Error(`${pattern} missing`);
      return found.file;
    };
    const headers = {
      authorization: `Bearer ${b.keys.owner.secret}`,
      "content-type": "application/json",
    };
    const definition = definitionUsing(a);
    definition.nodes.push({
      id: "child",
      kind: "sub_workflow",
      name: "Run A's workflow",
      config: { workflowId: rowsOf(a).workflowId },
    });
    definition.edges.push({ id: "e3", from: "announce", to: "child" });
    const before = await snapshot(a.organization.id);

    const created = await callRoute(
      route("/api/v1/workflows"),
      "POST",
      "http://localhost/api/v1/workflows",
      {
        headers,
        body: JSON.stringify({ name: "Borrowing", definition }),
      },
    );
    expect(created.status).toBe(201);
    const workflowId = ((await created.json()) as { workflow: { id: string } }).workflow.id;
    const params = { workflowId };

    const validated = await callRoute(
      route("/api/v1/workflows/[workflowId]/validate"),
      "POST",
      `http://localhost/api/v1/workflows/${workflowId}/validate`,
      { params, headers, body: "{}" },
    );
    const validation = (await validated.text()) as string;
    const problems = (JSON.parse(validation) as { problems: { code: string; nodeId: string }[] })
      .problems;
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "credential_not_found", nodeId: "announce" }),
    );
    expect(problems).toContainEqual(
      expect.objectContaining({ code: "sub_workflow_not_found", nodeId: "child" }),
    );
    const published = await callRoute(
      route("/api/v1/workflows/[workflowId]/publish"),
      "POST",
      `http://localhost/api/v1/workflows/${workflowId}/publish`,
      { params, headers, body: "{}" },
    );
    expect(published.status).toBe(422);
    const refusal = await published.text();
    for (const text of [validation, refusal])
      for (const secret of [
        credentialOf(a).name,
        credentialOf(a).token,
        rowsOf(a).workflowName,
        a.organization.name,
      ])
        expect(text).not.toContain(secret);
    expect(await prisma.workflowVersion.count({ where: { workflowId } })).toBe(0);
    expect(await snapshot(a.organization.id)).toBe(before);
  });
});

describe("API key authentication", () => {
  it("refuses a revoked key with 401 and a message, and a missing key with 401", async () => {
    const route = apiRouteFiles().find((r) => r.pattern === "/api/v1/members");
    if (!route) throw new Error("members route missing");
    const revoked = await callRoute(route.file, "GET", "http://localhost/api/v1/members", {
      headers: { authorization: `Bearer ${a.keys.revoked.secret}` },
    });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({
      error: { code: "unauthorized", message: expect.stringMatching(/revoked/) },
    });
    const missing = await callRoute(route.file, "GET", "http://localhost/api/v1/members");
    expect(missing.status).toBe(401);
  });

  it("a viewer key is refused writes with 403", async () => {
    const route = apiRouteFiles().find((r) => r.pattern === "/api/v1/invitations");
    if (!route) throw new Error("invitations route missing");
    const response = await callRoute(route.file, "POST", "http://localhost/api/v1/invitations", {
      headers: {
        authorization: `Bearer ${a.keys.viewer.secret}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ email: "new@example.test", role: "viewer" }),
    });
    expect(response.status).toBe(403);
    expect(await prisma.invitation.count({ where: { email: "new@example.test" } })).toBe(0);
  });
});
