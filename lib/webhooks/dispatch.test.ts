import { randomUUID } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, runsForEvent } from "@/inngest-local/test/support/executor-api";
import { testDatabase } from "@/test/support/database";
import { type EngineEnvironment, startEngine } from "@/test/support/engine";
import { callRoute } from "@/test/support/routes";
import { createTenant, orgContextOf, type Tenant } from "@/test/support/tenants";
import { signStandardWebhook } from "./verify/standard-webhooks";

// The relay from stored lifecycle events to the engine, batched: which rows a
// batch marks, what the engine receives, and what is left for the sweeper
// when the engine cannot be reached. Real rows, real executor, real HTTP.

const prisma = testDatabase();
const ROUTE = path.resolve("app/api/hooks/[endpointId]/route.ts");
let engine: EngineEnvironment;
let acme: Tenant;
let globex: Tenant;
const endpoints = new Map<string, { id: string; secret: string }>();

beforeAll(async () => {
  engine = await startEngine();
  acme = await createTenant(prisma, "dispatch-acme");
  globex = await createTenant(prisma, "dispatch-globex");
  const { createWebhookEndpoint } = await import("./endpoints");
  for (const tenant of [acme, globex]) {
    const created = await createWebhookEndpoint(
      (await orgContextOf(tenant)()) as never,
      { name: "HRIS", sourceType: "standard_webhooks" } as never,
    );
    endpoints.set(tenant.organization.id, {
      id: created.endpoint.id,
      secret: created.secret as string,
    });
  }
}, 60_000);

afterAll(async () => {
  await engine?.stop();
});

/** A stored delivery with `events` lifecycle events, none dispatched yet (as ingest leaves them). */
async function storedDelivery(tenant: Tenant, events = 1) {
  const organizationId = tenant.organization.id;
  const delivery = await prisma.webhookDelivery.create({
    data: {
      organizationId,
      endpointId: endpoints.get(organizationId)?.id as string,
      deliveryKey: `msg_${randomUUID()}`,
      status: "pending_dispatch",
      rawBody: "{}",
      headers: {},
    },
  });
  const ids: string[] = [];
  for (let sequence = 0; sequence < events; sequence++) {
    const event = await prisma.lifecycleEvent.create({
      data: {
        organizationId,
        type: "employee.update",
        source: "webhook",
        employeeExternalId: `E-${randomUUID().slice(0, 8)}`,
        payload: {},
        webhookDeliveryId: delivery.id,
        sequence,
      },
    });
    ids.push(event.id);
  }
  return { organizationId, deliveryId: delivery.id, lifecycleEventIds: ids };
}

async function dispatchState(
  groups: { deliveryId?: string | null; lifecycleEventIds: string[] }[],
) {
  const events = await prisma.lifecycleEvent.findMany({
    where: { id: { in: groups.flatMap((group) => group.lifecycleEventIds) } },
    select: { dispatchedAt: true },
  });
  const deliveries = await prisma.webhookDelivery.findMany({
    where: { id: { in: groups.flatMap((group) => (group.deliveryId ? [group.deliveryId] : [])) } },
    select: { status: true },
  });
  return {
    eventsDispatched: events.filter((event) => event.dispatchedAt !== null).length,
    deliveryStatuses: [...new Set(deliveries.map((delivery) => delivery.status))],
  };
}

/** Runs `body` with the Inngest client pointed at a port where nothing listens. */
async function withEngineUnreachable(body: () => Promise<void>) {
  const { inngest } = await import("@/inngest/client");
  const saved = process.env.INNGEST_BASE_URL;
  process.env.INNGEST_BASE_URL = "http://127.0.0.1:9";
  inngest.setEnvVars();
  try {
    await body();
  } finally {
    process.env.INNGEST_BASE_URL = saved;
    inngest.setEnvVars();
  }
}

describe("batched dispatch", () => {
  it("sends a burst of deliveries in one request and marks exactly the sent events and deliveries", async () => {
    const { createLifecycleDispatchBatcher, dispatchLifecycleEventGroups } = await import(
      "./dispatch"
    );
    const sent = [
      await storedDelivery(acme, 2),
      await storedDelivery(globex),
      await storedDelivery(acme),
      await storedDelivery(globex, 3),
    ];
    const notSent = [await storedDelivery(acme), await storedDelivery(globex)];
    const requests: number[] = [];
    const batcher = createLifecycleDispatchBatcher(async (groups) => {
      requests.push(groups.reduce((sum, group) => sum + group.lifecycleEventIds.length, 0));
      return dispatchLifecycleEventGroups(groups);
    });
    await Promise.all(sent.map((group) => batcher.add(group)));

    expect(requests).toEqual([7]);
    expect(await dispatchState(sent)).toEqual({
      eventsDispatched: 7,
      deliveryStatuses: ["dispatched"],
    });
    expect(await dispatchState(notSent)).toEqual({
      eventsDispatched: 0,
      deliveryStatuses: ["pending_dispatch"],
    });
    // The engine received each sent event once, under its own id.
    for (const id of sent.flatMap((group) => group.lifecycleEventIds))
      await eventually(
        `the engine's run for lifecycle-${id}`,
        async () =>
          (await runsForEvent(engine.executor, `lifecycle-${id}`)).length === 1 ? true : undefined,
        20_000,
      );
    for (const id of notSent.flatMap((group) => group.lifecycleEventIds))
      expect(await runsForEvent(engine.executor, `lifecycle-${id}`)).toEqual([]);
  });

  it("marks nothing of another organisation, whatever ids a group names", async () => {
    const { markDispatched } = await import("@/lib/db/webhook-delivery-store");
    const theirs = await storedDelivery(globex);
    await markDispatched([{ ...theirs, organizationId: acme.organization.id }]);
    expect(await dispatchState([theirs])).toEqual({
      eventsDispatched: 0,
      deliveryStatuses: ["pending_dispatch"],
    });
  });

  it("leaves the rows of a batch the engine did not take for the sweeper, which sends them once", async () => {
    const { createLifecycleDispatchBatcher, sweepUndispatched } = await import("./dispatch");
    const groups = [await storedDelivery(acme), await storedDelivery(globex, 2)];
    await withEngineUnreachable(async () => {
      const batcher = createLifecycleDispatchBatcher();
      await Promise.all(groups.map((group) => batcher.add(group)));
    });
    expect(await dispatchState(groups)).toEqual({
      eventsDispatched: 0,
      deliveryStatuses: ["pending_dispatch"],
    });

    const swept = await sweepUndispatched(0);
    expect(swept.dispatched).toBeGreaterThanOrEqual(3);
    expect(await dispatchState(groups)).toEqual({
      eventsDispatched: 3,
      deliveryStatuses: ["dispatched"],
    });
    expect((await sweepUndispatched(0)).found).toBe(0);
    for (const id of groups.flatMap((group) => group.lifecycleEventIds))
      await eventually(
        `the engine's run for lifecycle-${id}`,
        async () =>
          (await runsForEvent(engine.executor, `lifecycle-${id}`)).length === 1 ? true : undefined,
        20_000,
      );
  });

  it("dispatches every event of a burst of webhook deliveries after the responses", async () => {
    const endpoint = endpoints.get(acme.organization.id) as { id: string; secret: string };
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, index) => {
        const id = `msg_${randomUUID()}`;
        const timestamp = Math.floor(Date.now() / 1000);
        const body = JSON.stringify({
          type: "employee.onboard",
          employee: {
            id: `E-burst-${index}`,
            firstName: "Dana",
            lastName: "Scully",
            email: `dana${index}@acme.example`,
          },
        });
        return callRoute(ROUTE, "POST", `/api/hooks/${endpoint.id}`, {
          params: { endpointId: endpoint.id },
          headers: {
            "content-type": "application/json",
            "webhook-id": id,
            "webhook-timestamp": String(timestamp),
            "webhook-signature": signStandardWebhook(endpoint.secret, id, timestamp, body),
          },
          body,
        });
      }),
    );
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(202));
    const where = {
      organizationId: acme.organization.id,
      employeeExternalId: { startsWith: "E-burst-" },
    };
    await eventually(
      "every event of the burst dispatched",
      async () =>
        (await prisma.lifecycleEvent.count({
          where: { ...where, dispatchedAt: { not: null } },
        })) === 20
          ? true
          : undefined,
      20_000,
      async () => prisma.lifecycleEvent.count({ where: { ...where, dispatchedAt: null } }),
    );
    expect(await prisma.lifecycleEvent.count({ where })).toBe(20);
  });
});
