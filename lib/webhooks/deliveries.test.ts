import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "@/lib/openapi";
import { testDatabase } from "@/test/support/database";
import { type EngineEnvironment, startEngine, waitForRun } from "@/test/support/engine";
import { apiRouteFiles, callRoute, type HttpMethod } from "@/test/support/routes";
import { createTenant, orgContextOf, type Tenant } from "@/test/support/tenants";
import { signStandardWebhook } from "./verify/standard-webhooks";

// The delivery log through its route handlers, with the engine running:
// deliveries posted (signed, badly signed, malformed, repeated) to the real
// webhook route, read back with their statuses, reasons, events and the runs
// they started; a replay stores new events that really start the workflow again.

const prisma = testDatabase();
const HOOK = path.resolve("app/api/hooks/[endpointId]/route.ts");
const LIST = "/api/v1/webhook-endpoints/[endpointId]/deliveries";
const ONE = "/api/v1/webhook-endpoints/[endpointId]/deliveries/[deliveryId]";
const REPLAY = "/api/v1/webhook-endpoints/[endpointId]/deliveries/[deliveryId]/replay";
const ENDPOINT = "/api/v1/webhook-endpoints/[endpointId]";

let engine: EngineEnvironment;
let acme: Tenant;
let globex: Tenant;
let endpoint: { id: string; secret: string };
let otherEndpoint: { id: string; secret: string };

const file = (pattern: string) => {
  const route = apiRouteFiles().find((r) => r.pattern === pattern);
  if (!route) throw new Error(`no route ${pattern}`);
  return route.file;
};

async function call(
  method: HttpMethod,
  pattern: string,
  key: string,
  options: { params?: Record<string, string>; query?: string; body?: unknown } = {},
) {
  const url = pattern.replace(/\[(\w+)\]/g, (_, name: string) => options.params?.[name] ?? "");
  const response = await callRoute(
    file(pattern),
    method,
    `http://localhost${url}${options.query ?? ""}`,
    {
      params: options.params,
      headers: {
        authorization: `Bearer ${key}`,
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    },
  );
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

type Summary = {
  id: string;
  deliveryKey: string;
  status: string;
  rejectionReason: string | null;
  eventCount: number;
  runCount: number;
};
type Detail = Summary & {
  headers: Record<string, string>;
  body: string;
  bodyTruncated: boolean;
  replayable: boolean;
  events: {
    id: string;
    type: string;
    sequence: number;
    dispatchedAt: string | null;
    employee: { id: string; name: string; email: string } | null;
    replay: { at: string; by: string } | null;
    runs: { id: string; status: string; workflow: { name: string } }[];
  }[];
};

const owner = () => acme.keys.owner.secret;
const list = (query = "", key = owner(), endpointId = endpoint.id) =>
  call("GET", LIST, key, { params: { endpointId }, query });
const detail = async (deliveryId: string, key = owner(), endpointId = endpoint.id) =>
  call("GET", ONE, key, { params: { endpointId, deliveryId } });
const replay = (deliveryId: string, key = owner(), endpointId = endpoint.id) =>
  call("POST", REPLAY, key, { params: { endpointId, deliveryId } });

function deliver(body: string, options: { secret?: string; id?: string } = {}) {
  const id = options.id ?? `msg_${randomUUID()}`;
  const timestamp = Math.floor(Date.now() / 1000);
  return callRoute(HOOK, "POST", `/api/hooks/${endpoint.id}`, {
    params: { endpointId: endpoint.id },
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signStandardWebhook(
        options.secret ?? endpoint.secret,
        id,
        timestamp,
        body,
      ),
    },
    body,
  });
}

const onboard = (employeeId: string) =>
  JSON.stringify({
    type: "employee.onboard",
    employee: {
      id: employeeId,
      firstName: "Dana",
      lastName: "Scully",
      email: `${employeeId.toLowerCase()}@acme.example`,
    },
  });

/** Polls the delivery until `until` holds (the dispatch and the runs happen after the answer). */
async function detailWhen(deliveryId: string, until: (delivery: Detail) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = await detail(deliveryId);
    expect(found.status, found.text).toBe(200);
    const delivery = found.body.delivery as Detail;
    if (until(delivery)) return delivery;
    if (Date.now() > deadline)
      throw new Error(
        `delivery ${deliveryId} did not get there: ${found.text}\n${engine.logs.slice(-20).join("\n")}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

const runsOf = (delivery: Detail) => delivery.events.flatMap((event) => event.runs);

beforeAll(async () => {
  engine = await startEngine();
  acme = await createTenant(prisma, "log-acme");
  globex = await createTenant(prisma, "log-globex");
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
    name: "Joiner welcome",
    definition: {
      schemaVersion: 1,
      nodes: [
        {
          id: "trigger",
          kind: "trigger",
          name: "Joiner",
          config: { type: "lifecycle_event", event: "employee.onboard" },
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
  await publishWorkflow(acmeContext, workflow.id, {});
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

describe("the delivery log", () => {
  let validId: string;
  const validKey = `msg_${randomUUID()}`;

  it("lists valid, rejected and repeated deliveries newest first, with statuses, reasons, events and runs", async () => {
    const valid = await deliver(onboard("E-log-1"), { id: validKey });
    expect(valid.status, await valid.clone().text()).toBe(202);
    validId = ((await valid.json()) as { deliveryId: string }).deliveryId;
    // The same webhook-id again: acknowledged, not logged twice, nothing started twice.
    expect((await deliver(onboard("E-log-1"), { id: validKey })).status).toBe(200);
    expect((await deliver(onboard("E-log-2"), { secret: otherEndpoint.secret })).status).toBe(401);
    const malformed = JSON.stringify({ type: "employee.onboard", employee: { id: "E-log-3" } });
    expect((await deliver(malformed)).status).toBe(400);

    const delivery = await detailWhen(
      validId,
      (found) => found.status === "dispatched" && runsOf(found).length === 1,
    );
    const [run] = runsOf(delivery);
    expect(run?.workflow.name).toBe("Joiner welcome");
    expect((await waitForRun(prisma, run?.id as string, { logs: engine.logs })).status).toBe(
      "completed",
    );

    const page = await list();
    expect(page.status, page.text).toBe(200);
    const deliveries = page.body.deliveries as Summary[];
    expect(deliveries).toHaveLength(3);
    expect(deliveries.map((entry) => entry.status)).toEqual(["rejected", "rejected", "dispatched"]);
    expect(deliveries[0]?.rejectionReason).toMatch(/^employee\.firstName: /);
    expect(deliveries[1]?.rejectionReason).toMatch(/signature/);
    expect(deliveries[2]).toMatchObject({
      id: validId,
      deliveryKey: validKey,
      eventCount: 1,
      runCount: 1,
    });
    expect(page.body.nextCursor).toBeNull();
  });

  it("pages with a cursor and filters by status", async () => {
    const first = await list("?limit=2");
    expect(first.body.deliveries).toHaveLength(2);
    expect(first.body.nextCursor).toBe(first.body.deliveries[1].id);
    const second = await list(`?limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body.deliveries.map((entry: Summary) => entry.id)).toEqual([validId]);
    expect(second.body.nextCursor).toBeNull();
    const rejected = await list("?status=rejected");
    expect(rejected.body.deliveries.map((entry: Summary) => entry.status)).toEqual([
      "rejected",
      "rejected",
    ]);
  });

  it("shows a delivery's headers without signatures, its body, its normalised event and its run", async () => {
    const delivery = await detailWhen(validId, () => true);
    expect(delivery.headers["webhook-id"]).toBe(validKey);
    expect(delivery.headers).not.toHaveProperty("webhook-signature");
    expect(JSON.parse(delivery.body)).toMatchObject({ employee: { id: "E-log-1" } });
    expect(delivery.bodyTruncated).toBe(false);
    expect(delivery.replayable).toBe(true);
    expect(delivery.events).toEqual([
      expect.objectContaining({
        type: "employee.onboard",
        sequence: 0,
        employee: expect.objectContaining({ id: "E-log-1", name: "Dana Scully" }),
        dispatchedAt: expect.any(String),
        replay: null,
      }),
    ]);
    const rejected = (await list("?status=rejected")).body.deliveries[0] as Summary;
    const shown = (await detail(rejected.id)).body.delivery as Detail;
    expect(shown).toMatchObject({ body: "", replayable: false, events: [] });
  });

  it("replays a delivery: new lifecycle events, a second run, an audit entry", async () => {
    const replayed = await replay(validId);
    expect(replayed.status, replayed.text).toBe(202);
    expect(replayed.body).toMatchObject({
      delivery: { id: validId, status: "dispatched" },
      events: [{ type: "employee.onboard", sequence: 1 }],
      dispatched: true,
    });
    const delivery = await detailWhen(validId, (found) => runsOf(found).length === 2);
    expect(delivery.events.map((event) => event.sequence)).toEqual([0, 1]);
    expect(delivery.events[1]?.replay).toMatchObject({ by: "API key owner key" });
    const [first, second] = runsOf(delivery);
    expect(second?.id).not.toBe(first?.id);
    expect((await waitForRun(prisma, second?.id as string, { logs: engine.logs })).status).toBe(
      "completed",
    );
    expect((await list()).body.deliveries[2]).toMatchObject({ eventCount: 2, runCount: 2 });

    const audit = await prisma.auditLog.findMany({
      where: { organizationId: acme.organization.id, action: "webhook_delivery.replayed" },
    });
    expect(audit).toEqual([
      expect.objectContaining({
        actorType: "api_key",
        actorApiKeyId: acme.keys.owner.id,
        targetType: "webhook_delivery",
        targetId: validId,
        summary: expect.objectContaining({ endpoint: "HRIS", events: 1, sequences: [1, 1] }),
      }),
    ]);
  });

  it("refuses to replay a rejected delivery, and a body the current settings no longer normalise (naming the field)", async () => {
    const rejected = (await list("?status=rejected")).body.deliveries[0] as Summary;
    expect((await replay(rejected.id)).status).toBe(409);

    const settings = (config: Record<string, unknown>) =>
      call("PATCH", ENDPOINT, owner(), { params: { endpointId: endpoint.id }, body: { config } });
    const events = () => prisma.lifecycleEvent.count({ where: { webhookDeliveryId: validId } });
    const before = await events();
    try {
      expect(
        (await settings({ mapping: '{ "type": type, "employee": { "id": employee.id } }' })).status,
      ).toBe(200);
      const broken = await replay(validId);
      expect(broken.status).toBe(400);
      expect(broken.body.error.issues[0].field).toBe("(mapped).employee.firstName");

      expect((await settings({ eventTypes: ["employee.exit"] })).status).toBe(200);
      const filtered = await replay(validId);
      expect(filtered.status).toBe(409);
      expect(filtered.body.error.issues[0].field).toBe("config.eventTypes");
    } finally {
      await settings({});
    }
    expect(await events()).toBe(before);
  });
});

describe("replays and large bodies", () => {
  it("two replays at once both land, one after the other in sequence", async () => {
    const delivery = (await list("?status=dispatched")).body.deliveries[0] as Summary;
    const before = await detailWhen(delivery.id, () => true);
    const next = Math.max(...before.events.map((event) => event.sequence)) + 1;
    const both = await Promise.all([replay(delivery.id), replay(delivery.id)]);
    expect(both.map((response) => response.status)).toEqual([202, 202]);
    expect(
      both
        .flatMap((response) => response.body.events.map((e: { sequence: number }) => e.sequence))
        .sort((a: number, b: number) => a - b),
    ).toEqual([next, next + 1]);
    await detailWhen(delivery.id, (found) => runsOf(found).length === before.events.length + 2);
  });

  it("shows a body over 64 KiB cut, with its full size", async () => {
    const customFields = Object.fromEntries(
      Array.from({ length: 60 }, (_, index) => [`field${index}`, "x".repeat(1900)]),
    );
    const body = JSON.stringify({
      type: "employee.update",
      employee: {
        id: "E-big",
        firstName: "Big",
        lastName: "Body",
        email: "big@acme.example",
        customFields,
      },
    });
    const response = await deliver(body);
    expect(response.status, await response.clone().text()).toBe(202);
    const { deliveryId } = (await response.json()) as { deliveryId: string };
    const shown = (await detail(deliveryId)).body.delivery as Detail & { bodyBytes: number };
    expect(shown.bodyTruncated).toBe(true);
    expect(shown.bodyBytes).toBe(Buffer.byteLength(body));
    expect(Buffer.byteLength(shown.body)).toBe(64 * 1024);
    expect(body.startsWith(shown.body)).toBe(true);
  });
});

describe("who may read and replay", () => {
  it("refuses a viewer with 403", async () => {
    const viewer = acme.keys.viewer.secret;
    const delivery = (await list()).body.deliveries.at(-1) as Summary;
    expect((await list("", viewer)).status).toBe(403);
    expect((await detail(delivery.id, viewer)).status).toBe(403);
    expect((await replay(delivery.id, viewer)).status).toBe(403);
  });

  it("answers 404 for another organisation's endpoint or delivery, and for ids that exist nowhere", async () => {
    const acmeDelivery = ((await list()).body.deliveries.at(-1) as Summary).id;
    const globexKey = globex.keys.owner.secret;
    const before = await prisma.lifecycleEvent.count();
    // Globex aims at Acme's endpoint, and at Acme's delivery through its own endpoint.
    expect((await list("", globexKey)).status).toBe(404);
    expect((await detail(acmeDelivery, globexKey)).status).toBe(404);
    expect((await replay(acmeDelivery, globexKey)).status).toBe(404);
    expect((await detail(acmeDelivery, globexKey, otherEndpoint.id)).status).toBe(404);
    expect((await replay(acmeDelivery, globexKey, otherEndpoint.id)).status).toBe(404);
    expect((await list(`?cursor=${acmeDelivery}`, globexKey, otherEndpoint.id)).status).toBe(400);
    // Acme's own delivery through another endpoint id is not found either.
    expect((await detail(acmeDelivery, owner(), otherEndpoint.id)).status).toBe(404);
    expect((await detail(randomUUID())).status).toBe(404);
    expect((await detail("not-a-uuid")).status).toBe(404);
    expect((await list("", owner(), randomUUID())).status).toBe(404);
    expect(await prisma.lifecycleEvent.count()).toBe(before);
  });

  it("answers 400 naming the field for a bad query", async () => {
    for (const [query, field] of [
      ["?status=bogus", "status"],
      ["?limit=0", "limit"],
      ["?limit=many", "limit"],
      ["?cursor=nope", "cursor"],
    ] as const) {
      const response = await list(query);
      expect(response.status, query).toBe(400);
      expect(response.body.error.issues.map((issue: { field: string }) => issue.field)).toEqual([
        field,
      ]);
    }
  });
});

describe("the OpenAPI document", () => {
  it("describes the delivery log, replay and the webhook route with its signature headers and answers", () => {
    const paths = openApiDocument().paths as Record<
      string,
      Record<
        string,
        {
          "x-permission"?: string;
          parameters: { name: string; in: string }[];
          responses: Record<string, unknown>;
          requestBody?: unknown;
        }
      >
    >;
    const base = "/v1/webhook-endpoints/{endpointId}/deliveries";
    expect(paths[base]?.get?.["x-permission"]).toBe("webhooks:manage");
    expect(paths[base]?.get?.parameters.map((p) => p.name)).toEqual(
      expect.arrayContaining(["endpointId", "status", "cursor", "limit"]),
    );
    expect(paths[`${base}/{deliveryId}`]?.get?.["x-permission"]).toBe("webhooks:manage");
    const replayOperation = paths[`${base}/{deliveryId}/replay`]?.post;
    expect(replayOperation?.["x-permission"]).toBe("webhooks:manage");
    expect(Object.keys(replayOperation?.responses ?? {})).toEqual(
      expect.arrayContaining(["202", "400", "403", "404", "409"]),
    );
    const hook = paths["/hooks/{endpointId}"]?.post;
    expect(hook?.["x-permission"]).toBeUndefined();
    expect(hook?.parameters.filter((p) => p.in === "header").map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "webhook-id",
        "webhook-timestamp",
        "webhook-signature",
        "X-BambooHR-Timestamp",
        "X-BambooHR-Signature",
      ]),
    );
    expect(Object.keys(hook?.responses ?? {}).sort()).toEqual(
      ["200", "202", "400", "401", "404", "413", "415", "503"].sort(),
    );
    expect(JSON.stringify(hook?.requestBody)).toContain("firstName");
  });
});
