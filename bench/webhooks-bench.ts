import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { Pool as HttpPool } from "undici";
import { signStandardWebhook } from "@/lib/webhooks/verify/standard-webhooks";
import { transactionCount } from "../inngest-local/bench/measure";
import { PROFILE_SETTINGS, startProfile } from "../inngest-local/bench/profile";
import {
  Child,
  cpuSeconds,
  percentile,
  pooled,
  RssSampler,
  round,
  sleep,
  table,
} from "../inngest-local/bench/support";
import { runningServerOf, startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { applyMigrations } from "../scripts/lib/migrator";
import { findFreePort } from "../scripts/lib/ports";
import { createDatabase } from "../test/support/postgres-server";
import {
  buildModeOf,
  ensureProductionBuild,
  repoRoot,
  snapshotProductionBuild,
} from "./lib/production-build";

// `npm run bench:webhooks`: the webhook endpoint (POST /api/hooks/{id},
// Standard Webhooks, HMAC-SHA256) of the production build under a load
// generator on loopback, served as e2e/support/start-app.ts serves it:
// `next start` on a fresh, migrated database, the local executor in
// production mode (a signing key shared with the app, here as a process of
// its own so it does not share the load generator's event loop), and a
// published workflow (trigger → one transform node) that every delivery
// starts, so deliveries really produce runs. Runs are processed
// asynchronously by the executor: they use the same 2 cores during the load
// but are not part of any latency figure.
//
// Phases, in order:
//   baseline    GET /api/health (answers without touching anything) with the
//               same autocannon settings: the framework's floor on this machine
//   warm-up     signed deliveries, autocannon, --warm-up s (not reported)
//   saturation  signed deliveries, autocannon, --connections closed-loop
//               connections, pipelining 1, --duration s: capacity
//               (deliveries/s) and its latencies (closed loop: mean latency =
//               connections ÷ throughput, Little's law)
//   paced       open loop at --rate deliveries/s for --paced-duration s
//               (latency measured from each request's scheduled send time):
//               latency at the goal rate; 0 skips it, and it is not run when
//               saturation showed a capacity below 90 % of the rate (it would
//               only measure a growing queue)
//   replay      --replays already-accepted ids, re-signed with a fresh
//               timestamp: each must answer 200 duplicate and store nothing
// Then it waits until every stored lifecycle event was dispatched to the
// executor and checks, from the rows: every accepted delivery stored exactly
// once with exactly one lifecycle event, no delivery key twice, nothing
// rejected, nothing stored by a replay. Requests in flight when a phase stops
// (autocannon drops them) are "unanswered": they may or may not be stored,
// and are counted apart from the accepted ones.
//
// Every delivery is pre-signed (distinct webhook-id, fresh timestamp) just
// before its phase; a phase that outruns its pre-signed supply signs the rest
// as it goes (reported).
//
// The build: `next build` into .next when .next/BUILD_ID is missing or older
// than the app's sources (app/, lib/, components/, inngest/, prisma/schema,
// configs, package-lock.json); --rebuild always builds, --no-build never
// does. `npm run test:e2e` builds into the same .next, so this refuses to
// start while another `next build` of this checkout is running, and serves
// a hard-linked copy of the build from a temporary directory, so that a
// later e2e build cannot pull it from under the benchmark.
//
// Flags: --connections N (50) --duration S (30) --warm-up S (5)
//   --baseline-duration S (10) --rate R (500; 0 skips the paced phase)
//   --paced-duration S (20) --replays N (1000) --dispatch-timeout S (180)
//   --rebuild --no-build --pg-setting name=value (repeatable; Postgres runs
//   with its durable defaults) --app-pool N (DATABASE_POOL_MAX of the app;
//   default: the app's own, 10) --profile (Postgres statements per delivery
//   of the saturation phase, pg_stat_statements) --cpu-prof (V8 CPU profile
//   of the app server, written to a directory printed at the end)
//   --executor real|null (null: a stub that accepts the app's events and
//   starts nothing — isolates ingest from run processing)
// BENCH_VERBOSE=1 streams the app's and executor's output to stderr.

const nextBin = path.join(repoRoot, "node_modules/next/dist/bin/next");
const executorCli = path.join(repoRoot, "inngest-local/src/cli.ts");
const GOAL_PER_S = 500;
const GOAL_P95_MS = 50;
const BASELINE_WARM_UP_S = 2;
const LIFECYCLE_EVENT = "employee.onboard";

const { values: flags } = parseArgs({
  options: {
    connections: { type: "string", default: "50" },
    duration: { type: "string", default: "30" },
    "warm-up": { type: "string", default: "5" },
    "baseline-duration": { type: "string", default: "10" },
    rate: { type: "string", default: String(GOAL_PER_S) },
    "paced-duration": { type: "string", default: "20" },
    replays: { type: "string", default: "1000" },
    "dispatch-timeout": { type: "string", default: "180" },
    rebuild: { type: "boolean", default: false },
    "no-build": { type: "boolean", default: false },
    "pg-setting": { type: "string", multiple: true, default: [] },
    "app-pool": { type: "string" },
    profile: { type: "boolean", default: false },
    "cpu-prof": { type: "boolean", default: false },
    executor: { type: "string", default: "real" },
  },
});

type IntegerFlag =
  | "connections"
  | "duration"
  | "warm-up"
  | "baseline-duration"
  | "rate"
  | "paced-duration"
  | "replays"
  | "dispatch-timeout"
  | "app-pool";

function integerFlag(name: IntegerFlag, min: number): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got "${flags[name]}"`);
  return value;
}

const CONNECTIONS = integerFlag("connections", 1);
const DURATION_S = integerFlag("duration", 1);
const WARM_UP_S = integerFlag("warm-up", 0);
const BASELINE_S = integerFlag("baseline-duration", 0);
const RATE = integerFlag("rate", 0);
const PACED_S = integerFlag("paced-duration", 1);
const REPLAYS = integerFlag("replays", 0);
const DISPATCH_TIMEOUT_MS = integerFlag("dispatch-timeout", 1) * 1000;
const APP_POOL = flags["app-pool"] === undefined ? undefined : integerFlag("app-pool", 1);
if (flags.executor !== "real" && flags.executor !== "null")
  throw new Error(`--executor must be "real" or "null", got "${flags.executor}"`);
const REAL_EXECUTOR = flags.executor === "real";

const log = (line: string) => console.error(`[bench] ${line}`);
const cleanups: (() => Promise<unknown>)[] = [];

// ---------------------------------------------------------------- the build

// ------------------------------------------------------- processes and data

type Postgres = { url: (database: string) => string; pid: number };

async function startPostgres(): Promise<Postgres> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-webhooks-bench-pg-"));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.chmod(dir, 0o755); // as root the server runs as `postgres` and must get through
  // Durable defaults (fsync, synchronous_commit on), as in production: a 202
  // promises the delivery is stored. --pg-setting overrides.
  const settings: Record<string, string> = flags.profile ? { ...PROFILE_SETTINGS } : {};
  for (const setting of flags["pg-setting"]) {
    const [name, ...value] = setting.split("=");
    if (!name || value.length === 0) throw new Error(`--pg-setting needs name=value: ${setting}`);
    settings[name] = value.join("=");
  }
  const dataDir = path.join(dir, "data");
  const server = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), settings });
  cleanups.push(() => server.stop());
  const running = await runningServerOf(dataDir);
  if (!running) throw new Error("Postgres started but its postmaster.pid is unreadable");
  return { url: server.url, pid: running.pid };
}

type Fixture = { organizationId: string; endpointId: string; secret: string };

/**
 * An organisation (test/support/tenants.ts), a standard_webhooks endpoint and
 * a published workflow triggered by employee.onboard, made through the app's
 * own services (the same way the seed does) on the bench's database.
 */
async function createFixture(databaseUrl: string, withWorkflow: boolean): Promise<Fixture> {
  const { createDatabaseHandle } = await import("@/lib/db/create-client");
  const { createTenant, orgContextOf } = await import("@/test/support/tenants");
  const { createWebhookEndpoint, createWebhookEndpointSchema } = await import(
    "@/lib/webhooks/endpoints"
  );
  const workflows = await import("@/lib/workflows/service");
  const handle = createDatabaseHandle(databaseUrl, 2);
  try {
    const tenant = await createTenant(handle.prisma, "webhooks-bench");
    const context = await orgContextOf(tenant)();
    const created = await createWebhookEndpoint(
      context,
      createWebhookEndpointSchema.parse({
        name: "Bench HR system",
        sourceType: "standard_webhooks",
      }),
    );
    if (!created.secret) throw new Error("the endpoint was created without a generated secret");
    if (withWorkflow) {
      const workflow = await workflows.createWorkflow(context, {
        name: "Webhook bench: onboard → transform",
        definition: {
          schemaVersion: 1,
          nodes: [
            {
              id: "trigger",
              kind: "trigger",
              name: "Employee onboarded",
              config: { type: "lifecycle_event", event: LIFECYCLE_EVENT },
              position: { x: 0, y: 0 },
            },
            {
              id: "full_name",
              kind: "transform",
              name: "Full name",
              config: {
                expression: '{ "fullName": employee.firstName & " " & employee.lastName }',
              },
              position: { x: 0, y: 120 },
            },
          ],
          edges: [{ id: "trigger-full_name", from: "trigger", to: "full_name" }],
        } as never,
      });
      await workflows.publishWorkflow(context, workflow.id, {});
    }
    return {
      organizationId: tenant.organization.id,
      endpointId: created.endpoint.id,
      secret: created.secret,
    };
  } finally {
    await handle.close();
    // The services above went through the app's per-process client (lib/db/client.ts).
    const global = globalThis as { officeflowDatabase?: { close: () => Promise<void> } };
    await global.officeflowDatabase?.close();
    global.officeflowDatabase = undefined;
  }
}

/** A stand-in for the executor's event API that accepts every event and starts nothing. */
async function startNullExecutor(): Promise<string> {
  let counter = 0;
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.method !== "POST" || !request.url?.startsWith("/e/")) {
        response.writeHead(404).end();
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8") || "[]") as unknown;
      const events = Array.isArray(body) ? body : [body];
      const ids = events.map(() => `null-${++counter}`);
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ ids, status: 200 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// --------------------------------------------------------------- deliveries

type Delivery = { id: string; body: Buffer; headers: Record<string, string> };

/**
 * Signed deliveries, each with its own webhook-id. `presign(n)` signs n ahead
 * with the current time; `next()` hands them out and signs on the spot once
 * the supply runs out (counted in `signedLate`).
 */
class Deliveries {
  private supply: Delivery[] = [];
  private taken = 0;
  private serial = 0;
  signedLate = 0;
  private readonly tag = randomBytes(4).toString("hex");

  constructor(private readonly secret: string) {}

  private make(id: string, body: Buffer): Delivery {
    const timestamp = Math.floor(Date.now() / 1000);
    return {
      id,
      body,
      headers: {
        "content-type": "application/json",
        "webhook-id": id,
        "webhook-timestamp": String(timestamp),
        "webhook-signature": signStandardWebhook(this.secret, id, timestamp, body),
      },
    };
  }

  private fresh(): Delivery {
    const n = ++this.serial;
    const body = Buffer.from(
      JSON.stringify({
        type: LIFECYCLE_EVENT,
        employee: {
          id: `emp-${this.tag}-${n}`,
          firstName: "Bench",
          lastName: `Employee ${n}`,
          email: `bench.employee.${n}@example.test`,
        },
      }),
    );
    return this.make(`msg_bench_${this.tag}_${n}`, body);
  }

  presign(count: number) {
    this.supply = Array.from({ length: count }, () => this.fresh());
    this.taken = 0;
  }

  next(): Delivery {
    const ready = this.supply[this.taken];
    if (ready) {
      this.taken += 1;
      return ready;
    }
    this.signedLate += 1;
    return this.fresh();
  }

  /** The same id and body as `delivery`, signed again now: a sender's retry. */
  resign(delivery: Delivery): Delivery {
    return this.make(delivery.id, delivery.body);
  }
}

/** Every delivery sent, by id: its status (0 while unanswered) and, from the body, whether it looked right. */
class Ledger {
  readonly sent = new Map<string, Delivery>();
  readonly status = new Map<string, number>();
  unexpectedBodies = 0;
  /** A few bodies of answers other than 202, for the report. */
  readonly refusals = new Map<string, number>();

  record(delivery: Delivery) {
    this.sent.set(delivery.id, delivery);
    this.status.set(delivery.id, 0);
  }

  answer(id: string, status: number, body: string) {
    this.status.set(id, status);
    // 202: stored, one lifecycle event, not a duplicate.
    if (status === 202 && !(body.includes('"duplicate":false') && body.includes('"events":1')))
      this.unexpectedBodies += 1;
    if (status !== 202) {
      const sample = `${status} ${body.slice(0, 160)}`;
      if (this.refusals.has(sample) || this.refusals.size < 5)
        this.refusals.set(sample, (this.refusals.get(sample) ?? 0) + 1);
    }
  }

  idsWith(predicate: (status: number) => boolean): string[] {
    return [...this.status].filter(([, status]) => predicate(status)).map(([id]) => id);
  }
}

// ------------------------------------------------------------------ phases

type CpuSnapshot = { app: number; executor: number; postgres: number; bench: number; at: number };

type Pids = { app: number; executor?: number; postgres: number };

function cpuSnapshot(pids: Pids): CpuSnapshot {
  const usage = process.cpuUsage();
  return {
    app: cpuSeconds(pids.app),
    executor: pids.executor ? cpuSeconds(pids.executor) : 0,
    postgres: cpuSeconds(pids.postgres),
    bench: (usage.user + usage.system) / 1e6,
    at: performance.now(),
  };
}

type CpuKey = "app" | "executor" | "postgres" | "bench";
const CPU_KEYS: CpuKey[] = ["app", "executor", "postgres", "bench"];

/** CPU used between two snapshots per process tree: seconds, and percent of one core. */
function cpuUsed(from: CpuSnapshot, to: CpuSnapshot) {
  const wallS = (to.at - from.at) / 1000;
  const seconds = Object.fromEntries(CPU_KEYS.map((key) => [key, to[key] - from[key]])) as Record<
    CpuKey,
    number
  >;
  const percent = Object.fromEntries(
    CPU_KEYS.map((key) => [key, (seconds[key] / wallS) * 100]),
  ) as Record<CpuKey, number>;
  return { seconds, percent };
}

type PhaseResult = {
  label: string;
  wallS: number;
  /** Responses by status. */
  statuses: Map<number, number>;
  ok: number;
  perS: number;
  latencies: number[];
  /** 2xx responses per whole second of the phase. */
  perSecond: number[];
  errors: number;
  timeouts: number;
  cpu: ReturnType<typeof cpuUsed>;
  signedLate?: number;
  presigned?: number;
  /** Paced phase only: the offered rate. */
  offeredPerS?: number;
};

type PhaseCommon = { baseUrl: string; pids: Pids };

function summarise(
  label: string,
  startedAt: number,
  responses: { at: number; status: number; ms: number }[],
  cpuFrom: CpuSnapshot,
  cpuTo: CpuSnapshot,
  extra: Partial<PhaseResult> = {},
): PhaseResult {
  const statuses = new Map<number, number>();
  const latencies: number[] = [];
  let lastAt = startedAt;
  const buckets: number[] = [];
  for (const response of responses) {
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    latencies.push(response.ms);
    lastAt = Math.max(lastAt, response.at);
    if (response.status >= 200 && response.status < 300) {
      const second = Math.floor((response.at - startedAt) / 1000);
      buckets[second] = (buckets[second] ?? 0) + 1;
    }
  }
  const wallS = (lastAt - startedAt) / 1000;
  const ok = [...statuses].reduce(
    (sum, [status, count]) => (status >= 200 && status < 300 ? sum + count : sum),
    0,
  );
  // Whole seconds from the first answer on (a closed loop's first second may
  // end before its first slow answer); the last one is cut short by the end.
  const firstSecond = buckets.findIndex((count) => count !== undefined);
  const perSecond =
    firstSecond === -1
      ? []
      : Array.from(
          { length: Math.floor(wallS) - firstSecond - 1 },
          (_, i) => buckets[firstSecond + 1 + i] ?? 0,
        );
  return {
    label,
    wallS,
    statuses,
    ok,
    perS: wallS > 0 ? ok / wallS : 0,
    latencies,
    perSecond,
    errors: 0,
    timeouts: 0,
    cpu: cpuUsed(cpuFrom, cpuTo),
    ...extra,
  };
}

/** One autocannon run: GET `path`, or POST the deliveries handed out by `deliveries`. */
async function cannon(
  common: PhaseCommon,
  options: {
    label: string;
    path: string;
    durationS: number;
    deliveries?: { source: Deliveries; ledger: Ledger };
  },
): Promise<PhaseResult> {
  const { deliveries } = options;
  type Context = { id?: string };
  const request: autocannon.Request = deliveries
    ? {
        method: "POST",
        path: options.path,
        setupRequest: (base, context) => {
          const delivery = deliveries.source.next();
          deliveries.ledger.record(delivery);
          (context as Context).id = delivery.id;
          return { ...base, headers: delivery.headers, body: delivery.body };
        },
        // With pipelining 1 the context still names this response's request:
        // autocannon builds the next request only after this callback.
        onResponse: (status, body, context) => {
          const id = (context as Context).id;
          if (id) deliveries.ledger.answer(id, status, body);
        },
      }
    : { method: "GET", path: options.path };
  const responses: { at: number; status: number; ms: number }[] = [];
  const cpuFrom = cpuSnapshot(common.pids);
  const startedAt = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: common.baseUrl,
        connections: CONNECTIONS,
        pipelining: 1,
        duration: options.durationS,
        timeout: 10,
        requests: [request],
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on("response", (_client, status, _bytes, ms) => {
      responses.push({ at: performance.now(), status, ms });
    });
  });
  const cpuTo = cpuSnapshot(common.pids);
  return summarise(options.label, startedAt, responses, cpuFrom, cpuTo, {
    errors: result.errors,
    timeouts: result.timeouts,
  });
}

/**
 * Open loop: deliveries sent at `rate`/s whatever the answers, each timed from
 * its scheduled send time (so a slow answer delays nothing and hides nothing).
 */
async function paced(
  common: PhaseCommon,
  options: { path: string; rate: number; durationS: number; source: Deliveries; ledger: Ledger },
): Promise<PhaseResult> {
  const pool = new HttpPool(common.baseUrl, { connections: 256, pipelining: 1 });
  const total = Math.round(options.rate * options.durationS);
  const intervalMs = 1000 / options.rate;
  const responses: { at: number; status: number; ms: number }[] = [];
  let errors = 0;
  const send = async (due: number) => {
    const delivery = options.source.next();
    options.ledger.record(delivery);
    try {
      const answer = await pool.request({
        path: options.path,
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
        headersTimeout: 30_000,
        bodyTimeout: 30_000,
      });
      const text = await answer.body.text();
      const at = performance.now();
      options.ledger.answer(delivery.id, answer.statusCode, text);
      responses.push({ at, status: answer.statusCode, ms: at - due });
    } catch {
      errors += 1;
    }
  };
  const cpuFrom = cpuSnapshot(common.pids);
  const startedAt = performance.now() + 20;
  const inFlight: Promise<void>[] = [];
  let scheduled = 0;
  while (scheduled < total) {
    const now = performance.now();
    while (scheduled < total && startedAt + scheduled * intervalMs <= now) {
      inFlight.push(send(startedAt + scheduled * intervalMs));
      scheduled += 1;
    }
    await sleep(1);
  }
  await Promise.all(inFlight);
  const cpuTo = cpuSnapshot(common.pids);
  await pool.close();
  return summarise(`paced ${options.rate}/s`, startedAt, responses, cpuFrom, cpuTo, {
    errors,
    offeredPerS: options.rate,
  });
}

/** Re-sends already-accepted deliveries (fresh signatures, same ids and bodies). */
async function replay(
  common: PhaseCommon,
  options: { path: string; count: number; source: Deliveries; ledger: Ledger },
) {
  const accepted = options.ledger.idsWith((status) => status === 202);
  const step = Math.max(1, Math.floor(accepted.length / options.count));
  const picked = accepted.filter((_, i) => i % step === 0).slice(0, options.count);
  const deliveries = picked.map((id) => {
    const original = options.ledger.sent.get(id);
    if (!original) throw new Error(`no delivery recorded for ${id}`);
    return options.source.resign(original);
  });
  const pool = new HttpPool(common.baseUrl, { connections: CONNECTIONS, pipelining: 1 });
  const statuses = new Map<number, number>();
  let notDuplicate = 0;
  await pooled(deliveries.length, CONNECTIONS, async (i) => {
    const delivery = deliveries[i] as Delivery;
    const answer = await pool.request({
      path: options.path,
      method: "POST",
      headers: delivery.headers,
      body: delivery.body,
    });
    const text = await answer.body.text();
    statuses.set(answer.statusCode, (statuses.get(answer.statusCode) ?? 0) + 1);
    if (answer.statusCode !== 200 || !text.includes('"duplicate":true')) notDuplicate += 1;
  });
  await pool.close();
  return { ids: picked, statuses, notDuplicate };
}

// ------------------------------------------------------------- the counts

type Counts = {
  stored: number;
  rejected: number;
  duplicateKeys: number;
  events: number;
  dispatched: number;
  runs: number;
  runsCompleted: number;
  runsFailed: number;
  duplicateRuns: number;
  /** Per stored (non-rejected) delivery key: its lifecycle events. */
  eventsByKey: Map<string, number>;
};

async function readCounts(db: pg.Pool, fixture: Fixture): Promise<Counts> {
  const deliveries = await db.query<{ key: string; status: string; events: number }>(
    `SELECT d."deliveryKey" AS key, d.status::text AS status, count(e.id)::int AS events
       FROM "WebhookDelivery" d LEFT JOIN "LifecycleEvent" e ON e."webhookDeliveryId" = d.id
      WHERE d."endpointId" = $1
      GROUP BY d.id`,
    [fixture.endpointId],
  );
  const eventsByKey = new Map<string, number>();
  let rejected = 0;
  let duplicateKeys = 0;
  for (const row of deliveries.rows) {
    if (row.status === "rejected") {
      rejected += 1;
      continue;
    }
    if (eventsByKey.has(row.key)) duplicateKeys += 1;
    eventsByKey.set(row.key, (eventsByKey.get(row.key) ?? 0) + row.events);
  }
  const events = await db.query<{ events: number; dispatched: number }>(
    `SELECT count(*)::int AS events, count("dispatchedAt")::int AS dispatched
       FROM "LifecycleEvent" WHERE "organizationId" = $1`,
    [fixture.organizationId],
  );
  const runs = await db.query<{
    runs: number;
    completed: number;
    failed: number;
    duplicates: number;
  }>(
    `SELECT count(*)::int AS runs,
            count(*) FILTER (WHERE status = 'completed')::int AS completed,
            count(*) FILTER (WHERE status IN ('failed', 'cancelled'))::int AS failed,
            (count(*) - count(DISTINCT ("lifecycleEventId", "workflowId")))::int AS duplicates
       FROM "WorkflowRun" WHERE "organizationId" = $1`,
    [fixture.organizationId],
  );
  return {
    stored: deliveries.rows.length - rejected,
    rejected,
    duplicateKeys,
    events: events.rows[0]?.events ?? 0,
    dispatched: events.rows[0]?.dispatched ?? 0,
    runs: runs.rows[0]?.runs ?? 0,
    runsCompleted: runs.rows[0]?.completed ?? 0,
    runsFailed: runs.rows[0]?.failed ?? 0,
    duplicateRuns: runs.rows[0]?.duplicates ?? 0,
    eventsByKey,
  };
}

/** Every delivery row of the endpoint (rejected ones too) and every lifecycle event of the organisation. */
async function rowTotals(db: pg.Pool, fixture: Fixture) {
  const { rows } = await db.query<{ deliveries: number; events: number }>(
    `SELECT (SELECT count(*) FROM "WebhookDelivery" WHERE "endpointId" = $1)::int AS deliveries,
            (SELECT count(*) FROM "LifecycleEvent" WHERE "organizationId" = $2)::int AS events`,
    [fixture.endpointId, fixture.organizationId],
  );
  return { deliveries: rows[0]?.deliveries ?? 0, events: rows[0]?.events ?? 0 };
}

/** Waits until the stored rows stop changing and every lifecycle event was dispatched. */
async function waitForDispatch(
  db: pg.Pool,
  fixture: Fixture,
  check: () => void,
): Promise<{ counts: Counts; waitedS: number; settled: boolean }> {
  const started = performance.now();
  let previous = -1;
  for (;;) {
    check();
    const counts = await readCounts(db, fixture);
    const settled = counts.stored === previous && counts.dispatched === counts.events;
    if (settled) return { counts, waitedS: (performance.now() - started) / 1000, settled };
    if (performance.now() - started > DISPATCH_TIMEOUT_MS)
      return { counts, waitedS: (performance.now() - started) / 1000, settled: false };
    previous = counts.stored;
    await sleep(1_000);
  }
}

async function statementProfile(db: pg.Pool, deliveries: number): Promise<string> {
  const { rows } = await db.query<{ calls: string; total_ms: number; query: string }>(
    `SELECT calls::text, total_exec_time AS total_ms, query FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT ILIKE '%pg_stat_statements%'
      ORDER BY total_exec_time DESC`,
  );
  const calls = rows.reduce((sum, row) => sum + Number(row.calls), 0);
  const totalMs = rows.reduce((sum, row) => sum + row.total_ms, 0);
  const lines = rows
    .slice(0, 16)
    .map((row) => [
      row.query.replace(/\s+/g, " ").slice(0, 100),
      round(Number(row.calls) / deliveries, 2),
      round(row.total_ms / Number(row.calls), 3),
      round(row.total_ms / deliveries, 3),
    ]);
  return [
    `\nPostgres statements during the saturation phase, per accepted delivery (pg_stat_statements;`,
    `all clients: the request, the dispatch after it, and the executor's and runs' work):`,
    table(["statement", "calls/delivery", "mean ms", "ms/delivery"], lines),
    `all statements: ${round(calls / deliveries, 1)} per delivery, ${round(totalMs / deliveries, 2)} ms of Postgres execution per delivery`,
  ].join("\n");
}

// ------------------------------------------------------------------ report

const ms = (value: number) => round(value, 1);
const pcts = (latencies: number[]) => ({
  p50: percentile(latencies, 50),
  p95: percentile(latencies, 95),
  p99: percentile(latencies, 99),
});

function statusText(statuses: Map<number, number>, keep: (status: number) => boolean): string {
  const parts = [...statuses]
    .filter(([status]) => keep(status))
    .sort(([a], [b]) => a - b)
    .map(([status, count]) => `${count}×${status}`);
  return parts.length > 0 ? parts.join(" ") : "0";
}

function phaseColumn(phase: PhaseResult | undefined): (string | number)[] {
  if (!phase) return Array.from({ length: 9 }, () => "–");
  const p = pcts(phase.latencies);
  const sustained =
    phase.perSecond.length > 0
      ? `${Math.min(...phase.perSecond)} / ${percentile(phase.perSecond, 50)}`
      : "–";
  const { percent, seconds } = phase.cpu;
  const perOk = (key: CpuKey) => (phase.ok > 0 ? (seconds[key] * 1000) / phase.ok : Number.NaN);
  return [
    round(phase.wallS, 1),
    round(phase.perS),
    sustained,
    `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)}`,
    ms(Math.max(...phase.latencies)),
    statusText(phase.statuses, (status) => status < 200 || status >= 300),
    `${phase.errors} / ${phase.timeouts}`,
    CPU_KEYS.map((key) => Math.round(percent[key])).join(" / "),
    CPU_KEYS.map((key) => round(perOk(key), 2)).join(" / "),
  ];
}

// -------------------------------------------------------------------- main

let cleaning: Promise<void> | undefined;
let interrupted = false;

/** Stops everything started so far, last started first; once, whoever asks first. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  })();
  return cleaning;
}

async function main(): Promise<number> {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  process.chdir(repoRoot); // the migrator reads prisma/migrations relative to the working directory
  const build = await ensureProductionBuild({
    mode: buildModeOf(flags),
    log,
    onCleanup: (step) => cleanups.push(step),
  });
  log(`production build: ${build}`);
  const appDir = await snapshotProductionBuild({
    prefix: "officeflow-webhooks-bench-app-",
    onCleanup: (step) => cleanups.push(step),
  });

  const postgres = await startPostgres();
  const databaseUrl = await createDatabase(postgres.url("postgres"), "officeflow_webhooks_bench");
  await applyMigrations(databaseUrl);
  // The services that make the fixture read the server environment (lib/env.ts).
  const encryptionKeys = `bench:${randomBytes(32).toString("base64")}`;
  process.env.DATABASE_URL = databaseUrl;
  process.env.OFFICEFLOW_ENCRYPTION_KEYS = encryptionKeys;
  process.env.DATABASE_POOL_MAX = "2";
  const fixture = await createFixture(databaseUrl, REAL_EXECUTOR);
  // The children get the bench's environment: nothing of it may change the app's settings.
  delete process.env.DATABASE_POOL_MAX;
  delete process.env.INNGEST_DEV;
  const db = new pg.Pool({ connectionString: databaseUrl, max: 3 });
  // Postgres stops right after end(), which does not wait for the sockets to close.
  db.on("error", () => undefined);
  cleanups.push(() => db.end());

  // The executor in production mode: calls to the app signed with a key both share.
  const signingKey = `signkey-bench-${randomBytes(32).toString("hex")}`;
  let executor: Child | undefined;
  let executorUrl: string;
  if (REAL_EXECUTOR) {
    const executorPort = await findFreePort();
    executor = Child.start("executor", process.execPath, ["--import", "tsx", executorCli], {
      cwd: repoRoot,
      env: {
        DATABASE_URL: databaseUrl,
        INNGEST_LOCAL_PORT: String(executorPort),
        INNGEST_SIGNING_KEY: signingKey,
        INNGEST_LOCAL_BACKOFF: "fast",
      },
    });
    const running = executor;
    cleanups.push(() => running.stop());
    executorUrl = (await executor.waitForOutput(/listening on (http:\S+)/, 60_000))[1] as string;
  } else {
    executorUrl = await startNullExecutor();
  }

  const appPort = await findFreePort();
  const baseUrl = `http://127.0.0.1:${appPort}`;
  const profileDir = flags["cpu-prof"]
    ? await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-webhooks-cpu-prof-"))
    : undefined;
  const app = Child.start(
    "app",
    process.execPath,
    [
      ...(profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []),
      nextBin,
      "start",
      appDir,
      "-p",
      String(appPort),
      "-H",
      "127.0.0.1",
    ],
    {
      cwd: appDir,
      env: {
        DATABASE_URL: databaseUrl,
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        AUTH_SECRET: `bench-only-secret-${randomBytes(24).toString("hex")}`,
        OFFICEFLOW_ENCRYPTION_KEYS: encryptionKeys,
        NEXTAUTH_URL: baseUrl,
        APP_URL: baseUrl,
        INNGEST_BASE_URL: executorUrl,
        INNGEST_SIGNING_KEY: signingKey,
        INNGEST_EVENT_KEY: "bench-event-key",
        ...(APP_POOL ? { DATABASE_POOL_MAX: String(APP_POOL) } : {}),
      },
    },
  );
  // V8 writes a --cpu-prof profile only at a clean exit, and Next's SIGTERM
  // handler first waits for the server to close: that never happened while
  // the executor kept calling /api/inngest for the runs still queued, so the
  // SIGKILL came first and the profile directory stayed empty. Stop the
  // executor first (cleanups run last-pushed first) and give the app time.
  cleanups.push(() => app.stop(profileDir ? 60_000 : undefined));
  const runningExecutor = executor;
  if (profileDir && runningExecutor) cleanups.push(() => runningExecutor.stop());
  const check = () => {
    for (const child of [app, executor]) {
      if (child && !child.isAlive) throw new Error(`the ${child.label} exited:\n${child.tail()}`);
    }
  };
  for (let started = performance.now(); ; ) {
    check();
    const ready = await fetch(`${baseUrl}/api/health`).catch(() => undefined);
    if (ready?.ok) break;
    if (performance.now() - started > 90_000)
      throw new Error(`the app did not answer /api/health within 90 s:\n${app.tail()}`);
    await sleep(200);
  }
  if (REAL_EXECUTOR) {
    const synced = await fetch(`${executorUrl}/local/sync`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `${baseUrl}/api/inngest` }),
    });
    if (!synced.ok) throw new Error(`sync failed: ${synced.status} ${await synced.text()}`);
  }

  const pids: Pids = { app: app.pid, executor: executor?.pid, postgres: postgres.pid };
  const common: PhaseCommon = { baseUrl, pids };
  const hookPath = `/api/hooks/${fixture.endpointId}`;
  const source = new Deliveries(fixture.secret);
  const ledger = new Ledger();
  const sampler = new RssSampler({ app: app.pid });

  // One delivery first: the route works and answers 202 with one event.
  const first = source.next();
  ledger.record(first);
  const answer = await fetch(`${baseUrl}${hookPath}`, {
    method: "POST",
    headers: first.headers,
    body: first.body.toString("utf8"),
  });
  const answerText = await answer.text();
  ledger.answer(first.id, answer.status, answerText);
  if (answer.status !== 202)
    throw new Error(`a signed delivery answered ${answer.status}: ${answerText.slice(0, 300)}`);

  let baseline: PhaseResult | undefined;
  if (BASELINE_S > 0) {
    log(
      `baseline: GET /api/health, ${CONNECTIONS} connections, ${BASELINE_WARM_UP_S} s + ${BASELINE_S} s`,
    );
    await cannon(common, { label: "warm-up", path: "/api/health", durationS: BASELINE_WARM_UP_S });
    baseline = await cannon(common, {
      label: "health",
      path: "/api/health",
      durationS: BASELINE_S,
    });
  }
  check();

  // Pre-signed supplies: enough for the framework's floor rate, then for the warm-up's rate.
  const ceiling = baseline ? baseline.perS : 5_000;
  if (WARM_UP_S > 0) {
    source.presign(Math.ceil(ceiling * WARM_UP_S * 1.2) + CONNECTIONS);
    log(`warm-up: deliveries, ${CONNECTIONS} connections, ${WARM_UP_S} s`);
    await cannon(common, {
      label: "warm-up",
      path: hookPath,
      durationS: WARM_UP_S,
      deliveries: { source, ledger },
    });
  }
  check();
  const measuredCount = ledger.sent.size;
  const warmUpRate = WARM_UP_S > 0 ? (measuredCount - 1) / WARM_UP_S : ceiling;
  const presigned = Math.ceil(Math.min(ceiling, warmUpRate) * DURATION_S * 1.5) + CONNECTIONS;
  source.presign(presigned);
  source.signedLate = 0;
  if (flags.profile) await startProfile(db);
  await sleep(1_100); // pg_stat_database lags up to 1 s
  const txBefore = await transactionCount(db);
  log(`saturation: deliveries, ${CONNECTIONS} connections, pipelining 1, ${DURATION_S} s`);
  const saturation = await cannon(common, {
    label: "saturation",
    path: hookPath,
    durationS: DURATION_S,
    deliveries: { source, ledger },
  });
  saturation.presigned = presigned;
  saturation.signedLate = source.signedLate;
  await sleep(1_100);
  const txPerDelivery = ((await transactionCount(db)) - txBefore) / Math.max(1, saturation.ok);
  const profile = flags.profile ? await statementProfile(db, Math.max(1, saturation.ok)) : "";
  check();

  let pacedPhase: PhaseResult | undefined;
  // Offered far above capacity, an open loop only queues: every latency is the queue's.
  const pacedSkipped =
    RATE > 0 && saturation.perS < RATE * 0.9
      ? `not run: saturation capacity ${round(saturation.perS)}/s is below ${RATE}/s`
      : undefined;
  if (RATE > 0 && !pacedSkipped) {
    const count = RATE * PACED_S;
    source.presign(count);
    source.signedLate = 0;
    log(`paced: ${RATE} deliveries/s, open loop, ${PACED_S} s`);
    pacedPhase = await paced(common, {
      path: hookPath,
      rate: RATE,
      durationS: PACED_S,
      source,
      ledger,
    });
    pacedPhase.presigned = count;
    pacedPhase.signedLate = source.signedLate;
  }
  check();

  let replays: Awaited<ReturnType<typeof replay>> | undefined;
  let replayStored = 0;
  if (REPLAYS > 0) {
    await sleep(1_000); // requests cut off when a phase stopped are still being stored
    const before = await rowTotals(db, fixture);
    log(`replay: ${REPLAYS} already-accepted ids, re-signed`);
    replays = await replay(common, { path: hookPath, count: REPLAYS, source, ledger });
    await sleep(500);
    const after = await rowTotals(db, fixture);
    replayStored = after.deliveries - before.deliveries + (after.events - before.events);
  }
  const appPeakMb = sampler.finish().app ?? 0;

  log("waiting until every stored lifecycle event is dispatched…");
  await sleep(1_000);
  const dispatch = await waitForDispatch(db, fixture, check);
  const { counts } = dispatch;

  // ---- the count check
  const accepted = ledger.idsWith((status) => status === 202);
  const acceptedSet = new Set(accepted);
  const unanswered = ledger.idsWith((status) => status === 0);
  const unansweredSet = new Set(unanswered);
  const refusedIds = ledger.idsWith((status) => status !== 0 && status !== 202);
  let acceptedStoredOnce = 0;
  let acceptedOneEvent = 0;
  let storedUnanswered = 0;
  let storedUnknown = 0;
  let storedRefused = 0;
  for (const [key, events] of counts.eventsByKey) {
    if (acceptedSet.has(key)) {
      acceptedStoredOnce += 1;
      if (events === 1) acceptedOneEvent += 1;
    } else if (unansweredSet.has(key)) storedUnanswered += 1;
    else if (ledger.sent.has(key)) storedRefused += 1;
    else storedUnknown += 1;
  }
  const eventsOfStored = [...counts.eventsByKey.values()].reduce((sum, n) => sum + n, 0);
  const eventsOfAccepted = accepted.reduce((sum, id) => sum + (counts.eventsByKey.get(id) ?? 0), 0);
  const checks: [string, boolean][] = [
    [
      `every accepted delivery stored: ${acceptedStoredOnce} of ${accepted.length}`,
      acceptedStoredOnce === accepted.length,
    ],
    [
      `each accepted delivery has exactly one lifecycle event: ${acceptedOneEvent} of ${accepted.length}`,
      acceptedOneEvent === accepted.length,
    ],
    [`delivery keys stored twice: ${counts.duplicateKeys}`, counts.duplicateKeys === 0],
    [
      `lifecycle events = events of stored deliveries: ${counts.events} = ${eventsOfStored}`,
      counts.events === eventsOfStored && counts.events === counts.stored,
    ],
    [
      `stored = accepted + stored from unanswered + stored despite an error answer: ${counts.stored} = ${accepted.length} + ${storedUnanswered} + ${storedRefused}`,
      counts.stored === accepted.length + storedUnanswered + storedRefused && storedUnknown === 0,
    ],
    [
      `every lifecycle event dispatched: ${counts.dispatched} of ${counts.events}`,
      dispatch.settled,
    ],
    [`rejected deliveries stored: ${counts.rejected}`, counts.rejected === 0],
    [
      `202 bodies not {events: 1, duplicate: false}: ${ledger.unexpectedBodies}`,
      ledger.unexpectedBodies === 0,
    ],
  ];
  if (replays)
    checks.push([
      `replays answered 200 duplicate: ${replays.ids.length - replays.notDuplicate} of ${replays.ids.length} (${statusText(replays.statuses, () => true)}); rows they added: ${replayStored}`,
      replays.notDuplicate === 0 && replayStored === 0,
    ]);
  if (REAL_EXECUTOR)
    checks.push([
      `lifecycle events that started two runs of the workflow: ${counts.duplicateRuns}`,
      counts.duplicateRuns === 0,
    ]);
  const countCheckOk = checks.every(([, ok]) => ok);

  // ---- the report
  const sat = pcts(saturation.latencies);
  const pace = pacedPhase ? pcts(pacedPhase.latencies) : undefined;
  const ratio = baseline && baseline.perS > 0 ? saturation.perS / baseline.perS : Number.NaN;
  const goals: [string, boolean][] = [
    [
      `≥ ${GOAL_PER_S} deliveries/s sustained (saturation, ${CONNECTIONS} connections)`,
      saturation.perS >= GOAL_PER_S,
    ],
    [`p95 < ${GOAL_P95_MS} ms at saturation (${CONNECTIONS} connections)`, sat.p95 < GOAL_P95_MS],
    [
      `every delivery answered 202 (a sender retries anything else): ${refusedIds.length} answered otherwise`,
      refusedIds.length === 0,
    ],
  ];
  if (pacedPhase && pace)
    goals.push([
      `p95 < ${GOAL_P95_MS} ms at ${RATE}/s offered, open loop (achieved ${round(pacedPhase.perS)}/s)`,
      pace.p95 < GOAL_P95_MS && pacedPhase.perS >= RATE * 0.98,
    ]);
  if (pacedSkipped)
    goals.push([
      `p95 < ${GOAL_P95_MS} ms at ${RATE}/s offered, open loop (${pacedSkipped})`,
      false,
    ]);

  const rows: [string, ...(string | number)[]][] = [];
  const labels = [
    "wall time (s)",
    "2xx responses/s",
    "2xx per whole second: min / median",
    "latency p50 / p95 / p99 (ms)",
    "latency max (ms)",
    "non-2xx responses",
    "socket errors / timeouts",
    "CPU % of one core: app / executor / Postgres / load gen.",
    "CPU ms per 2xx: app / executor / Postgres / load gen.",
  ];
  const columns = [phaseColumn(saturation), phaseColumn(pacedPhase), phaseColumn(baseline)];
  labels.forEach((label, i) => {
    rows.push([label, ...columns.map((column) => column[i] ?? "–")]);
  });
  console.log(
    `\nWebhook ingest benchmark: POST /api/hooks/{id} (Standard Webhooks, HMAC-SHA256, 1 lifecycle event per delivery)` +
      `\nproduction build (${build}), Postgres with durable commits${flags["pg-setting"].length > 0 ? ` + ${flags["pg-setting"].join(", ")}` : ""}, ` +
      `executor: ${REAL_EXECUTOR ? "local executor (production mode), workflow trigger → transform" : "null stub (no runs)"}, ` +
      `app pool ${APP_POOL ?? "default (10)"}; ${os.cpus().length} CPUs, load average ${os
        .loadavg()
        .map((v) => round(v, 1))
        .join(" ")}`,
  );
  console.log(
    table(
      [
        "",
        `saturation: ${CONNECTIONS} conn., ${DURATION_S} s`,
        RATE > 0 && !pacedSkipped ? `paced: ${RATE}/s open loop, ${PACED_S} s` : "paced: not run",
        BASELINE_S > 0
          ? `GET /api/health: ${CONNECTIONS} conn., ${BASELINE_S} s`
          : "baseline: skipped",
      ],
      rows,
    ),
  );
  console.log(
    `\ndeliveries/s ÷ /api/health requests/s = ${round(ratio, 3)} (the framework's floor on this machine, same load generator)` +
      `\nPostgres transactions per accepted delivery during saturation (all clients, executor included): ${round(txPerDelivery, 2)}` +
      `\npre-signed: ${saturation.presigned} for saturation (${saturation.signedLate} signed during the run)` +
      (pacedPhase
        ? `, ${pacedPhase.presigned} for paced (${pacedPhase.signedLate} signed during the run)`
        : "") +
      `; app peak RSS ${appPeakMb} MB` +
      `\nruns are processed asynchronously by the executor and are not part of any latency figure; ` +
      (REAL_EXECUTOR
        ? `at the end: ${counts.runs} runs created, ${counts.runsCompleted} completed, ${counts.runsFailed} failed (${counts.events} events)`
        : "the null executor starts no runs"),
  );
  if (pacedSkipped) console.log(`paced phase ${pacedSkipped}`);
  if (ledger.refusals.size > 0)
    console.log(
      `answers other than 202 (samples):\n${[...ledger.refusals].map(([sample, count]) => `  ${count}× ${sample}`).join("\n")}`,
    );
  if (profile) console.log(profile);
  console.log(
    `\ncount check (every phase: ${ledger.sent.size} unique deliveries sent, ${accepted.length} accepted, ` +
      `${unanswered.length} unanswered when a phase stopped or timed out; waited ${round(dispatch.waitedS, 1)} s for dispatch):\n` +
      checks.map(([text, ok]) => `  ${ok ? "ok    " : "FAILED"}  ${text}`).join("\n"),
  );
  console.log(
    `\ngoals:\n${goals.map(([goal, ok]) => `  ${ok ? "met   " : "MISSED"}  ${goal}`).join("\n")}`,
  );
  if (profileDir)
    console.log(`\nCPU profile of the app server: ${profileDir} (written when the server stops)`);
  console.log("");

  const json: Record<string, number | boolean> = {
    deliveries_per_s: round(saturation.perS),
    p50_ms: ms(sat.p50),
    p95_ms: ms(sat.p95),
    p99_ms: ms(sat.p99),
    min_deliveries_per_whole_s:
      saturation.perSecond.length > 0 ? Math.min(...saturation.perSecond) : 0,
    paced_run: pacedPhase !== undefined,
    ...(pacedPhase && pace
      ? {
          paced_offered_per_s: RATE,
          paced_deliveries_per_s: round(pacedPhase.perS),
          paced_p50_ms: ms(pace.p50),
          paced_p95_ms: ms(pace.p95),
          paced_p99_ms: ms(pace.p99),
        }
      : {}),
    ...(baseline
      ? {
          health_requests_per_s: round(baseline.perS),
          health_p95_ms: ms(pcts(baseline.latencies).p95),
          deliveries_per_health_request_ratio: round(ratio, 3),
        }
      : {}),
    accepted: accepted.length,
    stored: acceptedStoredOnce,
    events: eventsOfAccepted,
    stored_total: counts.stored,
    events_total: counts.events,
    dispatched_total: counts.dispatched,
    duplicates_stored: counts.duplicateKeys,
    rejected_stored: counts.rejected,
    unanswered: unanswered.length,
    stored_unanswered: storedUnanswered,
    non_2xx: refusedIds.length,
    replays: replays?.ids.length ?? 0,
    replays_answered_duplicate: replays ? replays.ids.length - replays.notDuplicate : 0,
    replays_stored: replayStored,
    runs_created: counts.runs,
    duplicate_runs: counts.duplicateRuns,
    pg_transactions_per_delivery: round(txPerDelivery, 2),
    app_cpu_pct_saturation: Math.round(saturation.cpu.percent.app),
    executor_cpu_pct_saturation: Math.round(saturation.cpu.percent.executor),
    postgres_cpu_pct_saturation: Math.round(saturation.cpu.percent.postgres),
    loadgen_cpu_pct_saturation: Math.round(saturation.cpu.percent.bench),
    app_cpu_ms_per_delivery: round(
      (saturation.cpu.seconds.app * 1000) / Math.max(1, saturation.ok),
      2,
    ),
    ...(baseline
      ? {
          app_cpu_ms_per_health_request: round(
            (baseline.cpu.seconds.app * 1000) / Math.max(1, baseline.ok),
            2,
          ),
        }
      : {}),
    app_peak_rss_mb: appPeakMb,
    connections: CONNECTIONS,
    duration_s: DURATION_S,
    count_check_ok: countCheckOk,
    goals_met: goals.every(([, ok]) => ok),
  };
  await cleanup();
  console.log(JSON.stringify(json));
  const measured = saturation.ok > 0 && (baseline === undefined || baseline.ok > 0);
  if (!measured) console.error("[bench] could not measure: a phase got no 2xx answer");
  return countCheckOk && measured ? 0 : 1;
}

main()
  .then((code) => process.exit(code))
  .catch(async (error) => {
    if (interrupted) return; // the signal handler exits
    console.error(`[bench] could not measure: ${(error as Error).stack ?? error}`);
    await cleanup();
    process.exit(1);
  });
