import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningPostgres, startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";
import { applyMigrations } from "@/scripts/lib/migrator";
import { findFreePort } from "@/scripts/lib/ports";
import { callRoute } from "@/test/support/routes";

// The database goes away while an HR system is posting: the endpoint answers
// 503 (so the sender retries) and stores nothing partial; once the database is
// back, the sender's retry of the same delivery is stored exactly once. This
// file runs on its own Postgres, which it stops and starts.

const ROUTE = path.resolve("app/api/hooks/[endpointId]/route.ts");
let dataDir: string;
let port: number;
let postgres: RunningPostgres | undefined;
let url: string;
let endpoint: { id: string; secret: string };

async function start() {
  postgres = await startEmbeddedPostgres({ dataDir, port, settings: { fsync: "off" } });
}

async function post(id: string) {
  const { signStandardWebhook } = await import("./verify/standard-webhooks");
  const body = JSON.stringify({
    type: "employee.onboard",
    employee: {
      id: "E-outage",
      firstName: "Walter",
      lastName: "Skinner",
      email: "walter@acme.example",
    },
  });
  const timestamp = Math.floor(Date.now() / 1000);
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
}

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-outage-pg-"));
  await fs.chmod(dataDir, 0o755);
  port = await findFreePort();
  await start();
  url = (postgres as RunningPostgres).url("postgres");
  await applyMigrations(url);
  // Before anything touches the app's database client, point it at this server.
  process.env.DATABASE_URL = url;
  // No engine in this file: dispatching fails quietly and the sweeper would pick it up.
  process.env.INNGEST_BASE_URL = "http://127.0.0.1:9";
  process.env.INNGEST_DEV = "1";
  const { db } = await import("@/lib/db/client");
  const organization = await db().organization.create({
    data: { slug: `outage-${randomUUID().slice(0, 6)}`, name: "Outage" },
  });
  const { createWebhookEndpoint } = await import("./endpoints");
  const { forOrg } = await import("@/lib/db/tenant");
  const actor = { type: "system" as const, label: "test" };
  const created = await createWebhookEndpoint(
    {
      db: forOrg(organization.id),
      url: new URL("http://localhost"),
      organization,
      actor,
      audit: { organizationId: organization.id, actor, meta: { ip: null, userAgent: null } },
    } as never,
    { name: "HRIS", sourceType: "standard_webhooks" } as never,
  );
  endpoint = { id: created.endpoint.id, secret: created.secret as string };
}, 60_000);

afterAll(async () => {
  await postgres?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe("the webhook endpoint while the database is down", () => {
  it("answers 503, and the sender's retry after recovery is stored once", async () => {
    const id = `msg_${randomUUID()}`;
    await postgres?.stop();
    postgres = undefined;
    const during = await post(id);
    expect(during.status).toBe(503);
    expect(during.headers.get("retry-after")).toBeTruthy();

    await start();
    const { db } = await import("@/lib/db/client");
    expect(await db().webhookDelivery.count({ where: { deliveryKey: id } })).toBe(0);

    // The pool may hand out a connection that died with the old server first.
    let retried = await post(id);
    for (let attempt = 0; retried.status === 503 && attempt < 10; attempt++)
      retried = await post(id);
    expect(retried.status, await retried.clone().text()).toBe(202);
    const again = await post(id);
    expect(again.status).toBe(200);
    expect(await db().webhookDelivery.count({ where: { deliveryKey: id } })).toBe(1);
    expect(await db().lifecycleEvent.count({ where: { employeeExternalId: "E-outage" } })).toBe(1);
  }, 60_000);
});
