import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForRun as waitForExecutorRun } from "@/inngest-local/test/support/executor-api";
import { testDatabase } from "@/test/support/database";
import { type EngineEnvironment, startEngine, waitForRun } from "@/test/support/engine";
import { callRoute } from "@/test/support/routes";
import { createTenant, orgContextOf, type Tenant } from "@/test/support/tenants";
import { signStandardWebhook } from "./verify/standard-webhooks";

// The webhook endpoint as a sender sees it: signed POSTs to the real route
// handler, stored deliveries, and — through the local executor — the runs a
// delivery starts. Every check is on rows, responses and the engine's work.

const prisma = testDatabase();
const ROUTE = path.resolve("app/api/hooks/[endpointId]/route.ts");
let engine: EngineEnvironment;
let acme: Tenant;
let globex: Tenant;
let endpoint: { id: string; secret: string };
let otherEndpoint: { id: string; secret: string };
let workflowId: string;

const employee = {
  id: "E-2001",
  firstName: "Fox",
  lastName: "Mulder",
  email: "fox@acme.example",
  department: "Engineering",
};

function post(
  endpointId: string,
  body: string,
  options: {
    secret?: string;
    id?: string;
    timestamp?: number;
    headers?: Record<string, string>;
  } = {},
) {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const signature = options.secret ? signStandardWebhook(options.secret, id, timestamp, body) : "";
  return callRoute(ROUTE, "POST", `/api/hooks/${endpointId}`, {
    params: { endpointId },
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signature,
      ...options.headers,
    },
    body,
  });
}

const onboard = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({ type: "employee.onboard", employee: { ...employee, ...overrides } });

async function counts(organizationId: string) {
  return {
    stored: await prisma.webhookDelivery.count({
      where: { organizationId, status: { not: "rejected" } },
    }),
    events: await prisma.lifecycleEvent.count({ where: { organizationId } }),
    runs: await prisma.workflowRun.count({ where: { organizationId } }),
  };
}

/** The runs for an employee once the engine has handled every lifecycle event about them. */
async function runsOf(employeeId: string) {
  const events = await prisma.lifecycleEvent.findMany({
    where: { employeeExternalId: employeeId },
  });
  for (const event of events)
    await waitForExecutorRun(
      engine.executor,
      `lifecycle-${event.id}`,
      (run) => run.status === "Completed",
    );
  return prisma.workflowRun.findMany({
    where: { organizationId: acme.organization.id, employeeRef: employeeId },
  });
}

beforeAll(async () => {
  engine = await startEngine();
  acme = await createTenant(prisma, "hooks-acme");
  globex = await createTenant(prisma, "hooks-globex");
  const { createWebhookEndpoint } = await import("./endpoints");
  const { createWorkflow, publishWorkflow } = await import("@/lib/workflows/service");
  const acmeContext = await orgContextOf(acme)();
  const created = await createWebhookEndpoint(
    acmeContext as never,
    {
      name: "HRIS",
      sourceType: "standard_webhooks",
    } as never,
  );
  endpoint = { id: created.endpoint.id, secret: created.secret as string };
  const other = await createWebhookEndpoint(
    (await orgContextOf(globex)()) as never,
    {
      name: "Their HRIS",
      sourceType: "standard_webhooks",
    } as never,
  );
  otherEndpoint = { id: other.endpoint.id, secret: other.secret as string };
  const workflow = await createWorkflow(acmeContext, {
    name: "Engineering onboarding",
    definition: {
      schemaVersion: 1,
      nodes: [
        {
          id: "trigger",
          kind: "trigger",
          name: "Joiner in engineering",
          config: {
            type: "lifecycle_event",
            event: "employee.onboard",
            filter: 'employee.department = "Engineering"',
          },
          position: { x: 0, y: 0 },
        },
        {
          id: "hello",
          kind: "transform",
          name: "Hello",
          config: { expression: '"hello " & employee.firstName' },
          position: { x: 0, y: 100 },
        },
      ],
      edges: [{ id: "e1", from: "trigger", to: "hello" }],
    },
  });
  workflowId = workflow.id;
  await publishWorkflow(acmeContext, workflow.id, {});
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

describe("POST /api/hooks/{endpointId}", () => {
  it("stores a correctly signed onboarding delivery and starts the matching workflow once", async () => {
    const response = await post(endpoint.id, onboard({ id: "E-valid" }), {
      secret: endpoint.secret,
    });
    expect(response.status, await response.clone().text()).toBe(202);
    const body = (await response.json()) as { deliveryId: string; events: number };
    expect(body.events).toBe(1);
    const delivery = await prisma.webhookDelivery.findUniqueOrThrow({
      where: { id: body.deliveryId },
    });
    expect(delivery.headers).not.toHaveProperty("webhook-signature");
    const [run] = await runsOf("E-valid");
    expect(run?.workflowId).toBe(workflowId);
    const finished = await waitForRun(prisma, run?.id as string, { logs: engine.logs });
    expect(finished.status).toBe("completed");
    expect(finished.stepRuns.find((step) => step.nodeId === "hello")?.output).toBe("hello Fox");
  });

  it("answers a repeated delivery id with 200 and starts nothing new, also when 20 arrive at once", async () => {
    const id = `msg_${randomUUID()}`;
    const payload = onboard({ id: "E-dup" });
    const first = await post(endpoint.id, payload, { secret: endpoint.secret, id });
    expect(first.status).toBe(202);
    const again = await Promise.all(
      Array.from({ length: 20 }, () => post(endpoint.id, payload, { secret: endpoint.secret, id })),
    );
    expect(again.map((response) => response.status)).toEqual(Array(20).fill(200));
    expect(await again[0]?.json()).toMatchObject({ duplicate: true });
    expect(await runsOf("E-dup")).toHaveLength(1);
    expect(await prisma.lifecycleEvent.count({ where: { employeeExternalId: "E-dup" } })).toBe(1);
  });

  it("starts no workflow whose filter does not match", async () => {
    const response = await post(endpoint.id, onboard({ id: "E-sales", department: "Sales" }), {
      secret: endpoint.secret,
    });
    expect(response.status).toBe(202);
    expect(await runsOf("E-sales")).toHaveLength(0);
  });

  it("refuses bad signatures, wrong secrets and stale or future timestamps with 401, storing no event", async () => {
    const before = await counts(acme.organization.id);
    const now = Math.floor(Date.now() / 1000);
    const cases = [
      post(endpoint.id, onboard(), {
        secret: endpoint.secret,
        headers: { "webhook-signature": "v1,AAAA" },
      }),
      post(endpoint.id, onboard(), { secret: otherEndpoint.secret }),
      post(endpoint.id, onboard(), { secret: endpoint.secret, timestamp: now - 301 }),
      post(endpoint.id, onboard(), { secret: endpoint.secret, timestamp: now + 301 }),
    ];
    const responses = await Promise.all(cases);
    expect(responses.map((response) => response.status)).toEqual([401, 401, 401, 401]);
    const reasons = await Promise.all(
      responses.map(
        async (response) =>
          ((await response.json()) as { error: { message: string } }).error.message,
      ),
    );
    expect(reasons[0]).toMatch(/signature/);
    expect(reasons[2]).toMatch(/tolerance/);
    expect(await counts(acme.organization.id)).toEqual(before);
    // The log says why, without the body.
    const rejected = await prisma.webhookDelivery.findFirstOrThrow({
      where: { endpointId: endpoint.id, status: "rejected" },
    });
    expect(rejected.rawBody).toBe("");
    expect(rejected.rejectionReason).toBeTruthy();
  });

  it("refuses a delivery signed for another organisation's endpoint", async () => {
    const beforeAcme = await counts(acme.organization.id);
    const beforeGlobex = await counts(globex.organization.id);
    const response = await post(endpoint.id, onboard(), { secret: otherEndpoint.secret });
    expect(response.status).toBe(401);
    expect(await counts(acme.organization.id)).toEqual(beforeAcme);
    expect(await counts(globex.organization.id)).toEqual(beforeGlobex);
  });

  it("rejects malformed JSON and JSON of the wrong shape with 400 naming the field", async () => {
    const malformed = await post(endpoint.id, "{not json", { secret: endpoint.secret });
    expect(malformed.status).toBe(400);
    const wrong = await post(endpoint.id, onboard({ email: "not-an-email" }), {
      secret: endpoint.secret,
    });
    expect(wrong.status).toBe(400);
    const body = (await wrong.json()) as { error: { issues: { field: string }[] } };
    expect(body.error.issues[0]?.field).toBe("employee.email");
  });

  it("answers 413 for an oversized body, 415 for another content type, 404 for unknown or disabled endpoints", async () => {
    const huge = JSON.stringify({
      type: "employee.onboard",
      employee,
      padding: "x".repeat(300_000),
    });
    expect((await post(endpoint.id, huge, { secret: endpoint.secret })).status).toBe(413);
    expect(
      (
        await post(endpoint.id, onboard(), {
          secret: endpoint.secret,
          headers: { "content-type": "text/plain" },
        })
      ).status,
    ).toBe(415);
    expect((await post(randomUUID(), onboard(), { secret: endpoint.secret })).status).toBe(404);
    expect((await post("not-a-uuid", onboard(), { secret: endpoint.secret })).status).toBe(404);
    await prisma.webhookEndpoint.update({
      where: { id: otherEndpoint.id },
      data: { enabled: false },
    });
    expect((await post(otherEndpoint.id, onboard(), { secret: otherEndpoint.secret })).status).toBe(
      404,
    );
  });
});

describe("BambooHR deliveries", () => {
  it("verifies BambooHR's signature and stores one lifecycle event per employee", async () => {
    const { createWebhookEndpoint } = await import("./endpoints");
    const { signBambooHr } = await import("./verify/bamboohr");
    const secret = "bamboohr-private-key-0123456789abcdef";
    const created = await createWebhookEndpoint(
      (await orgContextOf(acme)()) as never,
      {
        name: "BambooHR",
        sourceType: "bamboohr",
        secret,
      } as never,
    );
    const body = readFileSync(
      path.resolve("lib/webhooks/fixtures/bamboohr-job-change.json"),
      "utf8",
    );
    const timestamp = new Date().toISOString();
    const send = (signature: string) =>
      callRoute(ROUTE, "POST", `/api/hooks/${created.endpoint.id}`, {
        params: { endpointId: created.endpoint.id },
        headers: {
          "content-type": "application/json",
          "x-bamboohr-timestamp": timestamp,
          "x-bamboohr-signature": signature,
        },
        body,
      });
    expect((await send("0".repeat(64))).status).toBe(401);
    const accepted = await send(signBambooHr(secret, timestamp, body));
    expect(accepted.status, await accepted.clone().text()).toBe(202);
    const { deliveryId } = (await accepted.json()) as { deliveryId: string };
    const events = await prisma.lifecycleEvent.findMany({
      where: { webhookDeliveryId: deliveryId },
      orderBy: { sequence: "asc" },
    });
    expect(events.map((event) => [event.type, event.employeeExternalId])).toEqual([
      ["employee.transfer", "1533"],
      ["employee.transfer", expect.any(String)],
    ]);
    // BambooHR sends no delivery id: the same body and timestamp again is the same delivery.
    const again = await send(signBambooHr(secret, timestamp, body));
    expect(again.status).toBe(200);
  });
});

describe("the outbox sweeper", () => {
  it("dispatches events stored while the engine was unreachable, once", async () => {
    const { dispatchLifecycleEvents, sweepUndispatched } = await import("./dispatch");
    const { inngest } = await import("@/inngest/client");
    const event = await prisma.lifecycleEvent.create({
      data: {
        organizationId: acme.organization.id,
        type: "employee.onboard",
        source: "webhook",
        employeeExternalId: "E-outbox",
        payload: { employee: { ...employee, id: "E-outbox" } },
        createdAt: new Date(Date.now() - 60_000),
      },
    });
    const saved = process.env.INNGEST_BASE_URL;
    process.env.INNGEST_BASE_URL = "http://127.0.0.1:9";
    inngest.setEnvVars();
    try {
      const sent = await dispatchLifecycleEvents({
        organizationId: acme.organization.id,
        lifecycleEventIds: [event.id],
      });
      expect(sent).toBe(false);
    } finally {
      process.env.INNGEST_BASE_URL = saved;
      inngest.setEnvVars();
    }
    expect(
      (await prisma.lifecycleEvent.findUniqueOrThrow({ where: { id: event.id } })).dispatchedAt,
    ).toBeNull();
    const swept = await sweepUndispatched(30_000);
    expect(swept.dispatched).toBeGreaterThanOrEqual(1);
    const again = await sweepUndispatched(30_000);
    expect(again.found).toBe(0);
    expect(await runsOf("E-outbox")).toHaveLength(1);
    // Sending the same event again (a crashed relay) starts nothing twice: the
    // engine drops the repeated event id, and the run's id is derived anyway.
    await dispatchLifecycleEvents({
      organizationId: acme.organization.id,
      lifecycleEventIds: [event.id],
    });
    const { startRunsForLifecycleEvent } = await import("@/lib/runs/lifecycle-runs");
    await startRunsForLifecycleEvent(acme.organization.id, event.id);
    expect(await runsOf("E-outbox")).toHaveLength(1);
  });
});
