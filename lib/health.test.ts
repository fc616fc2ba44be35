import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningPostgres, startEmbeddedPostgres } from "@/scripts/lib/embedded-postgres";
import { findFreePort } from "@/scripts/lib/ports";

// The readiness probe against a Postgres we can stop and start: 503 with a
// reason while it is down, 200 again once it is back, with no app restart.

const dir = await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-health-"));
await fs.chmod(dir, 0o755);
const dataDir = path.join(dir, "data");
const port = await findFreePort();
let server: RunningPostgres = await startEmbeddedPostgres({ dataDir, port });
process.env.DATABASE_URL = server.url("postgres");

const { GET: ready } = await import("@/app/api/health/ready/route");
const { GET: live } = await import("@/app/api/health/route");

afterAll(async () => {
  await server.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

describe("health endpoints", () => {
  it("liveness answers 200 without touching the database", async () => {
    const response = live();
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
  });

  it("readiness is 200 while the database answers", async () => {
    const response = await ready();
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      status: "ready",
      checks: { database: { ok: true } },
    });
  });

  it("readiness is 503 with a reason while Postgres is down, and recovers when it returns", async () => {
    await server.stop();
    const down = await ready();
    expect(down.status).toBe(503);
    const body = await down.json();
    expect(body.status).toBe("unavailable");
    expect(body.reason).toMatch(/^database unavailable: /);
    expect(JSON.stringify(body)).not.toContain(server.password);

    server = await startEmbeddedPostgres({ dataDir, port });
    const back = await ready();
    expect(back.status).toBe(200);
  });
});
