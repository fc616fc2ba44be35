import { randomUUID } from "node:crypto";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually } from "@/inngest-local/test/support/executor-api";
import { testDatabase } from "@/test/support/database";
import { callRoute } from "@/test/support/routes";
import { createTenant, orgContextOf, type Tenant } from "@/test/support/tenants";
import { signStandardWebhook } from "./verify/standard-webhooks";

// The ingest route keeps an endpoint and its opened secrets for a few seconds
// (./endpoint-cache.ts). These tests warm that cache with a delivery first,
// then change the endpoint the way an admin does (the settings service) and
// check that the very next delivery sees the change; and that a change made
// behind this process's back (another instance) shows within the TTL.

const prisma = testDatabase();
const ROUTE = path.resolve("app/api/hooks/[endpointId]/route.ts");
let acme: Tenant;

beforeAll(async () => {
  // No engine here: dispatch after the response fails quietly (the sweeper's job).
  process.env.INNGEST_BASE_URL = "http://127.0.0.1:9";
  process.env.INNGEST_DEV = "1";
  const { inngest } = await import("@/inngest/client");
  inngest.setEnvVars();
  acme = await createTenant(prisma, "endpoint-cache");
}, 60_000);

async function context() {
  return (await orgContextOf(acme)()) as never;
}

async function newEndpoint() {
  const { createWebhookEndpoint } = await import("./endpoints");
  const created = await createWebhookEndpoint(await context(), {
    name: `HRIS ${randomUUID().slice(0, 8)}`,
    sourceType: "standard_webhooks",
  } as never);
  return { id: created.endpoint.id, secret: created.secret as string };
}

function delivery(secret: string, timestamp = Math.floor(Date.now() / 1000)) {
  const id = `msg_${randomUUID()}`;
  const body = JSON.stringify({
    type: "employee.onboard",
    employee: {
      id: `E-${randomUUID().slice(0, 8)}`,
      firstName: "Monica",
      lastName: "Reyes",
      email: "monica@acme.example",
    },
  });
  return {
    body,
    headers: {
      "content-type": "application/json",
      "webhook-id": id,
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signStandardWebhook(secret, id, timestamp, body),
    },
  };
}

async function post(endpointId: string, secret: string): Promise<number> {
  const response = await callRoute(ROUTE, "POST", `/api/hooks/${endpointId}`, {
    params: { endpointId },
    ...delivery(secret),
  });
  return response.status;
}

describe("the ingest route's endpoint cache", () => {
  it("a disabled endpoint answers 404 to the very next delivery, and accepts again once enabled", async () => {
    const { updateWebhookEndpoint } = await import("./endpoints");
    const endpoint = await newEndpoint();
    expect(await post(endpoint.id, endpoint.secret)).toBe(202); // cached now
    await updateWebhookEndpoint(await context(), endpoint.id, { enabled: false });
    expect(await post(endpoint.id, endpoint.secret)).toBe(404);
    await updateWebhookEndpoint(await context(), endpoint.id, { enabled: true });
    expect(await post(endpoint.id, endpoint.secret)).toBe(202);
  });

  it("a deleted endpoint answers 404 to the very next delivery", async () => {
    const { deleteWebhookEndpoint } = await import("./endpoints");
    const endpoint = await newEndpoint();
    expect(await post(endpoint.id, endpoint.secret)).toBe(202);
    await deleteWebhookEndpoint(await context(), endpoint.id);
    expect(await post(endpoint.id, endpoint.secret)).toBe(404);
  });

  it("a rotated secret verifies at once; the replaced one keeps verifying only while its overlap lasts", async () => {
    const { rotateWebhookSecret } = await import("./endpoints");
    const endpoint = await newEndpoint();
    expect(await post(endpoint.id, endpoint.secret)).toBe(202);

    const first = await rotateWebhookSecret(await context(), endpoint.id, { overlapMinutes: 60 });
    const second = first.secret as string;
    expect(await post(endpoint.id, second)).toBe(202);
    expect(await post(endpoint.id, endpoint.secret)).toBe(202); // inside the overlap

    // Without an overlap the replaced secret stops verifying with the very next delivery.
    const third = (await rotateWebhookSecret(await context(), endpoint.id, { overlapMinutes: 0 }))
      .secret as string;
    expect(await post(endpoint.id, third)).toBe(202);
    expect(await post(endpoint.id, second)).toBe(401);
    expect(await post(endpoint.id, endpoint.secret)).toBe(401);
  });

  it("checks the replaced secret's window at each delivery's time, not when the endpoint was cached", async () => {
    const { rotateWebhookSecret } = await import("./endpoints");
    const { ingestWebhook } = await import("./ingest");
    const endpoint = await newEndpoint();
    const rotated = await rotateWebhookSecret(await context(), endpoint.id, { overlapMinutes: 1 });
    const current = rotated.secret as string;
    expect(await post(endpoint.id, endpoint.secret)).toBe(202); // cached, old secret still valid

    const ingestAt = (secret: string, at: Date) => {
      const { body, headers } = delivery(secret, Math.floor(at.getTime() / 1000));
      return ingestWebhook(
        endpoint.id,
        new Request(`http://officeflow.test/api/hooks/${endpoint.id}`, {
          method: "POST",
          headers,
          body,
        }),
        at,
      );
    };
    const afterWindow = new Date(Date.now() + 2 * 60_000);
    expect((await ingestAt(endpoint.secret, afterWindow)).status).toBe(401);
    expect((await ingestAt(current, afterWindow)).status).toBe(202);
  });

  it("a change made by another instance (straight in the database) shows within the cache's TTL", async () => {
    const { ENDPOINT_CACHE_TTL_MS } = await import("./endpoint-cache");
    const endpoint = await newEndpoint();
    expect(await post(endpoint.id, endpoint.secret)).toBe(202);
    await prisma.webhookEndpoint.update({ where: { id: endpoint.id }, data: { enabled: false } });
    await eventually(
      "a 404 once the cached entry expired",
      async () => ((await post(endpoint.id, endpoint.secret)) === 404 ? true : undefined),
      // The TTL, plus room for this loop's own pace on a loaded machine.
      ENDPOINT_CACHE_TTL_MS + 10_000,
    );
  });
});
