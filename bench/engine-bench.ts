import { randomUUID } from "node:crypto";
import fs from "node:fs/promises";
import http from "node:http";
import inspector from "node:inspector/promises";
import { register } from "node:module";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import type { DatabaseHandle } from "@/lib/db/create-client";
import type { WorkflowDefinitionInput } from "@/lib/workflows/definition";
import { transactionCount } from "../inngest-local/bench/measure";
import { PROFILE_SETTINGS, profileReport, startProfile } from "../inngest-local/bench/profile";
import { cpuSeconds, percentile, round, sleep, table } from "../inngest-local/bench/support";
import { type RunningExecutor, startExecutor } from "../inngest-local/src/index";
import { runningServerOf, startEmbeddedPostgres } from "../scripts/lib/embedded-postgres";
import { applyMigrations } from "../scripts/lib/migrator";
import { findFreePort } from "../scripts/lib/ports";

// `npm run bench:engine`: the workflow engine end to end. A throwaway
// embedded Postgres, the local executor and the app's Inngest functions
// served by the real SDK over HTTP, all in this process (as
// test/support/engine.ts runs them); a published workflow of a trigger and
// no-op transform nodes; runs started by inserting queued WorkflowRun rows and
// sending their officeflow/run.requested events (id = run id), as startRun
// does. Timings come from the rows the engine writes: the event's send time
// (this process's clock) → the first non-trigger StepRun.startedAt → the
// WorkflowRun.finishedAt (the app's clock: the same host, the same process).
//
// Phases, in order, each on the same executor and app (after a warm-up):
//   unloaded  20 runs, one at a time: the latency floor
//   burst     N runs sent as fast as possible (batches): capacity, runs/s, nodes/s
//   bare      N runs of a plain function of M step.run no-ops (no database
//             writes), sent the same way: the executor + SDK alone
//   paced     N runs sent one at a time at --rate runs/s (the goal rate):
//             latency at a sustained load the engine should keep up with
// A burst's latencies are mostly queueing (the last events wait for the
// first runs), so the goal's event→first-node latency is taken from `paced`.
//
// Flags: --runs N (1000) --nodes M (10) --shape chain|parallel (chain: trigger
//   → n1 → … → nM; parallel: two branches of M/2) --rate R (20; 0 skips the
//   paced phase) --batch B (100, events per send in burst phases)
//   --checkpointing on|off (on, the executor's default) --timeout S (600, per
//   phase) --pg-setting name=value (repeatable) --profile (Postgres
//   statements per node of the engine burst, from pg_stat_statements)
//   --cpu-profile FILE (a V8 CPU profile of this process during the engine
//   burst, for Chrome DevTools or speedscope)
// BENCH_VERBOSE=1 streams the executor's log to stderr.

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const RUN_REQUESTED = "officeflow/run.requested";
const BARE_EVENT = "bench/bare-steps";
const WARM_UP_RUNS = 20;
const CLEANUP_STEP_MS = 30_000;
const ISOLATED_RUNS = 20;
const GOAL_RUNS_PER_S = 20;
const GOAL_FIRST_NODE_P95_MS = 500;

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "1000" },
    nodes: { type: "string", default: "10" },
    shape: { type: "string", default: "chain" },
    rate: { type: "string", default: String(GOAL_RUNS_PER_S) },
    batch: { type: "string", default: "100" },
    checkpointing: { type: "string", default: "on" },
    timeout: { type: "string", default: "600" },
    "pg-setting": { type: "string", multiple: true, default: [] },
    profile: { type: "boolean", default: false },
    "cpu-profile": { type: "string" },
  },
});

function integerFlag(name: "runs" | "nodes" | "batch" | "timeout" | "rate", min: number): number {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < min)
    throw new Error(`--${name} must be an integer ≥ ${min}, got "${flags[name]}"`);
  return value;
}
const N = integerFlag("runs", 1);
const M = integerFlag("nodes", 1);
const RATE = integerFlag("rate", 0);
const BATCH = integerFlag("batch", 1);
const TIMEOUT_MS = integerFlag("timeout", 1) * 1000;
const SHAPE = flags.shape;
if (SHAPE !== "chain" && SHAPE !== "parallel")
  throw new Error(`--shape must be chain or parallel, got "${SHAPE}"`);
if (SHAPE === "parallel" && M % 2 !== 0) throw new Error("--shape parallel needs an even --nodes");
if (flags.checkpointing !== "on" && flags.checkpointing !== "off")
  throw new Error(`--checkpointing must be on or off, got "${flags.checkpointing}"`);
const CHECKPOINTING = flags.checkpointing === "on";

const log = (line: string) => console.error(`[bench] ${line}`);
const executorLog: string[] = [];
const cleanups: { label: string; run: () => Promise<unknown> }[] = [];
const onCleanup = (label: string, run: () => Promise<unknown>) => cleanups.push({ label, run });

// ---------------------------------------------------------------- set-up

type Database = { url: string; pool: pg.Pool; postgresPid: number };

/** A throwaway embedded Postgres on a free port, migrated; removed at clean-up. */
async function startDatabase(): Promise<Database> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-engine-bench-"));
  onCleanup("remove the data directory", () => fs.rm(dir, { recursive: true, force: true }));
  await fs.chmod(dir, 0o755); // as root the server runs as `postgres` and must get through
  const settings: Record<string, string> = flags.profile ? { ...PROFILE_SETTINGS } : {};
  for (const setting of flags["pg-setting"]) {
    const [name, ...value] = setting.split("=");
    if (!name || value.length === 0) throw new Error(`--pg-setting needs name=value: ${setting}`);
    settings[name] = value.join("=");
  }
  const dataDir = path.join(dir, "data");
  const server = await startEmbeddedPostgres({ dataDir, port: await findFreePort(), settings });
  onCleanup("stop Postgres", () => server.stop());
  // Closed pools let go of their connections a moment later; a server stopping
  // under them makes their clients report errors. Give them that moment.
  onCleanup("wait for the connections to close", () => connectionsClosed(server.url("postgres")));
  const running = await runningServerOf(dataDir);
  if (!running) throw new Error("Postgres started but its postmaster.pid is unreadable");

  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  await admin.query("CREATE DATABASE officeflow_bench");
  await admin.end();
  const url = server.url("officeflow_bench");
  await applyMigrations(url, { dir: path.join(repoRoot, "prisma/migrations") });
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  // Without listeners a connection dropped by the server would crash the process.
  const warn = (error: Error) => log(`bench pool: ${error.message}`);
  pool.on("error", warn);
  pool.on("connect", (client) => client.on("error", warn));
  onCleanup("close the bench's pool", () => pool.end());
  return { url, pool, postgresPid: running.pid };
}

async function connectionsClosed(adminUrl: string, timeoutMs = 5_000) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ open: number }>(
        `SELECT count(*)::int AS open FROM pg_stat_activity
          WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      if (rows[0]?.open === 0) return;
      await sleep(50);
    }
  } finally {
    await client.end();
  }
}

/**
 * App modules import `server-only`, which throws outside React Server
 * Components; like the Vitest alias (vitest.config.ts), resolve it to an empty
 * module for this process.
 */
function stubServerOnly() {
  const hooks = `export async function resolve(specifier, context, next) {
  if (specifier === "server-only") return { url: "data:text/javascript,export{}", shortCircuit: true };
  return next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hooks)}`);
}

type BareTiming = { firstNodeAt?: number; finishedAt?: number };

type App = {
  inngest: typeof import("@/inngest/client").inngest;
  bareTimings: Map<string, BareTiming>;
  stop: () => Promise<void>;
};

/** The app's functions plus the bare baseline function, served by the real SDK; synced. */
async function startApp(executor: RunningExecutor): Promise<App> {
  const { inngest } = await import("@/inngest/client");
  inngest.setEnvVars(); // the client copied the environment when it was created
  const { functions } = await import("@/inngest/functions");
  const { serve } = await import("inngest/node");

  const bareTimings = new Map<string, BareTiming>();
  // The baseline: the same number of no-op steps in the same shape, recording
  // in memory when its first step ran and when it finished.
  const bare = inngest.createFunction(
    { id: "bench-bare-steps", retries: 0, triggers: [{ event: BARE_EVENT }] },
    async ({ event, step }) => {
      const timing = bareTimings.get(String(event.data.key));
      const noop = (i: number) =>
        step.run(`s${i}`, () => {
          if (timing) timing.firstNodeAt ??= Date.now();
          return i;
        });
      const chain = async (from: number, to: number) => {
        for (let i = from; i < to; i++) await noop(i);
      };
      if (SHAPE === "chain") await chain(0, M);
      else await Promise.all([chain(0, M / 2), chain(M / 2, M)]);
      if (timing) timing.finishedAt ??= Date.now();
      return M;
    },
  );

  const handler = serve({ client: inngest, functions: [...functions, bare] });
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith("/api/inngest")) return void handler(request, response);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const stop = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  const { port } = server.address() as AddressInfo;
  try {
    await executor.syncApp(`http://127.0.0.1:${port}/api/inngest`);
  } catch (error) {
    await stop();
    throw error;
  }
  return { inngest, bareTimings, stop };
}

/** An organisation and a published workflow of a trigger and M no-op transform nodes. */
async function publishBenchWorkflow(databaseUrl: string) {
  const { createDatabaseHandle } = await import("@/lib/db/create-client");
  const { createTenant, orgContextOf } = await import("@/test/support/tenants");
  const workflows = await import("@/lib/workflows/service");
  const handle = createDatabaseHandle(databaseUrl, 2);
  try {
    const tenant = await createTenant(handle.prisma, "bench");
    const context = await orgContextOf(tenant)();
    const created = await workflows.createWorkflow(context, {
      name: `Engine bench: ${M} no-op nodes (${SHAPE})`,
      definition: benchDefinition() as never,
    });
    const version = await workflows.publishWorkflow(context, created.id, {});
    return { context, workflowId: created.id, versionId: version.id };
  } finally {
    await handle.close();
  }
}

function benchDefinition(): WorkflowDefinitionInput {
  const ids = Array.from({ length: M }, (_, i) => `n${i + 1}`);
  const heads = SHAPE === "chain" ? [0] : [0, M / 2];
  const edges = ids.map((id, i) => ({
    id: `e${i + 1}`,
    from: heads.includes(i) ? "trigger" : (ids[i - 1] as string),
    to: id,
  }));
  return {
    schemaVersion: 1,
    nodes: [
      { id: "trigger", kind: "trigger", name: "Started by hand", config: { type: "manual" } },
      ...ids.map((id, i) => ({
        id,
        kind: "transform",
        name: `No-op ${i + 1}`,
        config: { expression: "1" },
      })),
    ],
    edges,
  };
}

// ---------------------------------------------------------------- measuring

type Bench = {
  db: Database;
  app: App;
  context: Awaited<ReturnType<typeof publishBenchWorkflow>>["context"];
  workflowId: string;
  versionId: string;
};

type P = { p50: number; p95: number };
const p50p95 = (values: number[]): P => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
});

type PhaseResult = {
  label: string;
  runs: number;
  wallS: number;
  runsPerS: number;
  nodesPerS: number;
  firstNode: P;
  completion: P;
  /** CPU per node: this process (executor + app + SDK) and Postgres. */
  cpuMsPerNode: { process: number; postgres: number };
  /** Approximate, from pg_stat_database. */
  txPerNode: number;
  /** How busy this process's event loop was (1 = saturated: the engine is CPU-bound here). */
  eventLoopBusy: number;
};

type Timing = { sentAt: number; firstNodeAt: number; finishedAt: number };

function summarise(
  label: string,
  timings: Timing[],
  usage: { processMs: number; postgresMs: number; transactions: number; eventLoopBusy: number },
): PhaseResult {
  const firstSent = Math.min(...timings.map((t) => t.sentAt));
  const lastDone = Math.max(...timings.map((t) => t.finishedAt));
  const wallS = (lastDone - firstSent) / 1000;
  const nodes = timings.length * M;
  return {
    label,
    runs: timings.length,
    wallS,
    runsPerS: timings.length / wallS,
    nodesPerS: nodes / wallS,
    firstNode: p50p95(timings.map((t) => t.firstNodeAt - t.sentAt)),
    completion: p50p95(timings.map((t) => t.finishedAt - t.sentAt)),
    cpuMsPerNode: { process: usage.processMs / nodes, postgres: usage.postgresMs / nodes },
    txPerNode: usage.transactions / nodes,
    eventLoopBusy: usage.eventLoopBusy,
  };
}

/** CPU and transaction counters around a phase. */
async function measureUsage<T>(db: Database, work: () => Promise<{ result: T; polls: number }>) {
  await sleep(1_100); // pg_stat_database lags up to a second
  const txBefore = await transactionCount(db.pool);
  const cpuBefore = process.cpuUsage();
  const eluBefore = performance.eventLoopUtilization();
  const pgBefore = cpuSeconds(db.postgresPid);
  const { result, polls } = await work();
  const cpu = process.cpuUsage(cpuBefore);
  const elu = performance.eventLoopUtilization(eluBefore);
  const postgresMs = (cpuSeconds(db.postgresPid) - pgBefore) * 1000;
  await sleep(1_100);
  // Minus this benchmark's own polls and the counting query itself.
  const transactions = (await transactionCount(db.pool)) - txBefore - polls - 1;
  return {
    result,
    processMs: (cpu.user + cpu.system) / 1000,
    postgresMs,
    transactions,
    eventLoopBusy: elu.utilization,
  };
}

/** Inserts N queued WorkflowRun rows (as startRun would) and returns their ids. */
async function createQueuedRuns(bench: Bench, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => randomUUID());
  const occurredAt = new Date().toISOString();
  for (let i = 0; i < ids.length; i += 500) {
    await bench.context.db.workflowRun.createMany({
      data: ids.slice(i, i + 500).map((id) => ({
        id,
        organizationId: bench.context.organization.id,
        workflowId: bench.workflowId,
        workflowVersionId: bench.versionId,
        triggerType: "manual" as const,
        triggerEvent: { id, type: "manual", occurredAt, data: {} },
      })),
    });
  }
  return ids;
}

const runEvent = (bench: Bench, runId: string) => ({
  id: runId,
  name: RUN_REQUESTED,
  data: { organizationId: bench.context.organization.id, runId },
});

/** Sends events in batches as fast as the executor takes them, noting each key's send time. */
async function sendBurst<E>(
  send: (events: E[]) => Promise<unknown>,
  items: { key: string; event: E }[],
  sentAt: Map<string, number>,
) {
  for (let i = 0; i < items.length; i += BATCH) {
    const batch = items.slice(i, i + BATCH);
    const now = Date.now();
    for (const item of batch) sentAt.set(item.key, now);
    await send(batch.map((item) => item.event));
  }
}

/** Sends one event every 1/rate s on a fixed schedule (open loop: a slow engine does not slow the sender). */
async function sendPaced<E>(
  send: (events: E[]) => Promise<unknown>,
  items: { key: string; event: E }[],
  sentAt: Map<string, number>,
  rate: number,
) {
  const start = Date.now();
  const sends: Promise<unknown>[] = [];
  let failure: Error | undefined;
  for (const [i, item] of items.entries()) {
    const due = start + (i * 1000) / rate;
    const wait = due - Date.now();
    if (wait > 0) await sleep(wait);
    if (failure) break;
    sentAt.set(item.key, Date.now());
    sends.push(
      send([item.event]).catch((error: Error) => {
        failure ??= error;
      }),
    );
  }
  await Promise.all(sends);
  if (failure) throw failure;
}

const TERMINAL = ["completed", "failed", "cancelled"];

/** Polls the WorkflowRun rows until all ended; throws on a failed run or at the deadline. */
async function waitForEngineRuns(bench: Bench, ids: string[], deadline: number): Promise<number> {
  for (let polls = 1; ; polls++) {
    const { rows } = await bench.db.pool.query<{ done: number; bad: number; sample: unknown }>(
      `SELECT count(*) FILTER (WHERE status::text = ANY($2))::int AS done,
              count(*) FILTER (WHERE status::text IN ('failed', 'cancelled'))::int AS bad,
              (array_agg(error) FILTER (WHERE status::text IN ('failed', 'cancelled')))[1] AS sample
         FROM "WorkflowRun" WHERE id = ANY($1::uuid[])`,
      [ids, TERMINAL],
    );
    const { done, bad, sample } = rows[0]!;
    if (bad > 0)
      throw new Error(`${bad} run(s) failed or were cancelled, e.g. ${JSON.stringify(sample)}`);
    if (done === ids.length) return polls;
    if (Date.now() > deadline)
      throw new Error(`deadline passed: ${done}/${ids.length} runs completed`);
    await sleep(100);
  }
}

/** The event→first node and event→completion times of engine runs, from their rows. */
async function readEngineTimings(
  bench: Bench,
  ids: string[],
  sentAt: Map<string, number>,
): Promise<Timing[]> {
  const { rows } = await bench.db.pool.query<{
    id: string;
    finished_ms: number;
    first_ms: number | null;
    nodes_done: number;
  }>(
    `SELECT r.id,
            (extract(epoch FROM r."finishedAt") * 1000)::float8 AS finished_ms,
            (extract(epoch FROM min(s."startedAt") FILTER (WHERE s."nodeKind" <> 'trigger')) * 1000)::float8 AS first_ms,
            (count(*) FILTER (WHERE s."nodeKind" <> 'trigger' AND s.status = 'completed'))::int AS nodes_done
       FROM "WorkflowRun" r LEFT JOIN "StepRun" s ON s."runId" = r.id
      WHERE r.id = ANY($1::uuid[])
      GROUP BY r.id`,
    [ids],
  );
  const incomplete = rows.filter((row) => row.nodes_done !== M || row.first_ms === null);
  if (rows.length !== ids.length || incomplete.length > 0)
    throw new Error(
      `${incomplete.length} of ${rows.length} runs did not record ${M} completed nodes (expected ${ids.length} runs)`,
    );
  return rows.map((row) => ({
    sentAt: sentAt.get(row.id) as number,
    firstNodeAt: row.first_ms as number,
    finishedAt: row.finished_ms,
  }));
}

async function engineRuns(
  bench: Bench,
  ids: string[],
  pacing: { rate: number } | "burst",
): Promise<{ result: Timing[]; polls: number }> {
  const sentAt = new Map<string, number>();
  const items = ids.map((id) => ({ key: id, event: runEvent(bench, id) }));
  const send = (events: ReturnType<typeof runEvent>[]) => bench.app.inngest.send(events);
  const deadline = Date.now() + TIMEOUT_MS;
  const sending =
    pacing === "burst"
      ? sendBurst(send, items, sentAt)
      : sendPaced(send, items, sentAt, pacing.rate);
  const [, polls] = await Promise.all([sending, waitForEngineRuns(bench, ids, deadline)]);
  return { result: await readEngineTimings(bench, ids, sentAt), polls };
}

async function bareRuns(bench: Bench, count: number): Promise<{ result: Timing[]; polls: number }> {
  const { bareTimings, inngest } = bench.app;
  const keys = Array.from({ length: count }, () => randomUUID());
  const sentAt = new Map<string, number>();
  for (const key of keys) bareTimings.set(key, {});
  const items = keys.map((key) => ({ key, event: { name: BARE_EVENT, data: { key } } }));
  const deadline = Date.now() + TIMEOUT_MS;
  await sendBurst((events) => inngest.send(events), items, sentAt);
  let polls = 0;
  for (; ; polls++) {
    const done = keys.filter((key) => bareTimings.get(key)?.finishedAt !== undefined).length;
    if (done === count) break;
    if (Date.now() > deadline)
      throw new Error(`deadline passed: ${done}/${count} bare runs finished`);
    // A failed bare run never finishes; the executor's own table says so.
    if (polls % 20 === 19) await noFailedExecutorRuns(bench);
    await sleep(50);
  }
  const result = keys.map((key) => {
    const timing = bareTimings.get(key) as Required<BareTiming>;
    bareTimings.delete(key);
    return {
      sentAt: sentAt.get(key) as number,
      firstNodeAt: timing.firstNodeAt,
      finishedAt: timing.finishedAt,
    };
  });
  return { result, polls: Math.floor(polls / 20) };
}

async function noFailedExecutorRuns(bench: Bench) {
  const { rows } = await bench.db.pool.query<{ error: unknown }>(
    `SELECT error FROM inngest_local.runs WHERE status IN ('Failed', 'Cancelled') LIMIT 1`,
  );
  if (rows.length > 0)
    throw new Error(`a run failed in the executor: ${JSON.stringify(rows[0]?.error)}`);
}

/** Starts V8's sampling profiler on this process; the returned function writes the profile. */
async function startCpuProfile(): Promise<(file: string) => Promise<void>> {
  const session = new inspector.Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async (file) => {
    const { profile } = await session.post("Profiler.stop");
    await fs.writeFile(file, JSON.stringify(profile));
    session.disconnect();
    log(`CPU profile of the engine burst written to ${file}`);
  };
}

// ---------------------------------------------------------------- report

type Results = {
  isolated: { firstNode: P; completion: P };
  burst: PhaseResult;
  bare: PhaseResult;
  paced?: PhaseResult;
  profile?: string;
};

function report(results: Results) {
  const { burst, bare, paced } = results;
  const ms = (value: number) => round(value, 1);
  const pair = (p: P) => `${ms(p.p50)} / ${ms(p.p95)}`;
  const phases = [burst, bare, ...(paced ? [paced] : [])];
  const row = (label: string, f: (r: PhaseResult) => string | number) => [label, ...phases.map(f)];
  const shape =
    SHAPE === "chain"
      ? `trigger → n1 → … → n${M}`
      : `trigger → two branches of ${M / 2} nodes each`;
  console.log(
    `\nEngine benchmark: ${N} runs × ${M} no-op transform nodes (${shape}), ` +
      `executor in-process, checkpointing ${CHECKPOINTING ? "on" : "off"}` +
      `\nstarted as startRun would: queued WorkflowRun rows inserted first, then ${RUN_REQUESTED}` +
      `\nevents (id = run id) sent with inngest.send — burst phases in batches of ${BATCH}` +
      (paced ? `, the paced phase one event every ${round(1000 / RATE, 1)} ms` : ""),
  );
  console.log(
    table(
      [
        "",
        "engine, burst",
        `bare ${M}× step.run, burst`,
        ...(paced ? [`engine, ${RATE} runs/s`] : []),
      ],
      [
        row("wall time, first event → last completion (s)", (r) => round(r.wallS, 2)),
        row("runs/s", (r) => round(r.runsPerS, 1)),
        row("nodes/s", (r) => round(r.nodesPerS)),
        row("event→first node p50 / p95 (ms)", (r) => pair(r.firstNode)),
        row("event→completed p50 / p95 (ms)", (r) => pair(r.completion)),
        row(
          "CPU ms / node: this process / Postgres",
          (r) => `${ms(r.cpuMsPerNode.process)} / ${ms(r.cpuMsPerNode.postgres)}`,
        ),
        row("Postgres transactions / node (approx.)", (r) => round(r.txPerNode, 2)),
        row("this process's event loop busy (%)", (r) => round(r.eventLoopBusy * 100)),
      ],
    ),
  );
  const engineMsPerNode = (burst.wallS * 1000) / (burst.runs * M);
  const bareMsPerNode = (bare.wallS * 1000) / (bare.runs * M);
  const overhead = engineMsPerNode - bareMsPerNode;
  const ratio = burst.runsPerS / bare.runsPerS;
  console.log(
    `\nwall time per node: engine ${ms(engineMsPerNode)} ms, bare step ${ms(bareMsPerNode)} ms` +
      ` → engine overhead ${ms(overhead)} ms per node` +
      `\nengine runs/s ÷ bare runs/s = ${round(ratio, 3)} (1.0 = the engine costs nothing over bare steps)` +
      `\n(the engine's runs also make its run:start step: ${M + 1} steps a run)`,
  );
  const { isolated } = results;
  console.log(
    `unloaded, ${ISOLATED_RUNS} runs one at a time: event→first node p50 / p95 ${pair(isolated.firstNode)} ms,` +
      ` event→completed ${pair(isolated.completion)} ms`,
  );
  if (results.profile) console.log(results.profile);
  const latency = paced ?? burst;
  const goals = [
    [`≥ ${GOAL_RUNS_PER_S} runs/s (burst)`, burst.runsPerS >= GOAL_RUNS_PER_S],
    [
      `p95 event→first node < ${GOAL_FIRST_NODE_P95_MS} ms (${paced ? `paced at ${RATE} runs/s` : "burst"})`,
      latency.firstNode.p95 < GOAL_FIRST_NODE_P95_MS,
    ],
  ] as const;
  console.log(
    `\ngoals:\n${goals.map(([goal, ok]) => `  ${ok ? "met   " : "MISSED"}  ${goal}`).join("\n")}\n`,
  );

  const json: Record<string, number | string | boolean> = {
    runs: N,
    nodes_per_run: M,
    shape: SHAPE,
    checkpointing: CHECKPOINTING,
    runs_per_s: round(burst.runsPerS, 2),
    nodes_per_s: round(burst.nodesPerS, 1),
    first_node_p50_ms: ms(latency.firstNode.p50),
    first_node_p95_ms: ms(latency.firstNode.p95),
    completion_p50_ms: ms(latency.completion.p50),
    completion_p95_ms: ms(latency.completion.p95),
    latency_rate_runs_per_s: paced ? RATE : 0,
    paced_runs_per_s: paced ? round(paced.runsPerS, 2) : 0,
    burst_wall_s: round(burst.wallS, 2),
    burst_first_node_p50_ms: ms(burst.firstNode.p50),
    burst_first_node_p95_ms: ms(burst.firstNode.p95),
    burst_completion_p50_ms: ms(burst.completion.p50),
    burst_completion_p95_ms: ms(burst.completion.p95),
    bare_runs_per_s: round(bare.runsPerS, 2),
    bare_nodes_per_s: round(bare.nodesPerS, 1),
    bare_first_node_p95_ms: ms(bare.firstNode.p95),
    bare_completion_p95_ms: ms(bare.completion.p95),
    engine_ms_per_node: round(engineMsPerNode, 2),
    bare_ms_per_node: round(bareMsPerNode, 2),
    overhead_per_node_ms: round(overhead, 2),
    engine_vs_bare_ratio: round(ratio, 3),
    process_cpu_ms_per_node: ms(burst.cpuMsPerNode.process),
    postgres_cpu_ms_per_node: ms(burst.cpuMsPerNode.postgres),
    bare_process_cpu_ms_per_node: ms(bare.cpuMsPerNode.process),
    bare_postgres_cpu_ms_per_node: ms(bare.cpuMsPerNode.postgres),
    pg_transactions_per_node: round(burst.txPerNode, 2),
    bare_pg_transactions_per_node: round(bare.txPerNode, 2),
    event_loop_busy_pct: round(burst.eventLoopBusy * 100),
    bare_event_loop_busy_pct: round(bare.eventLoopBusy * 100),
    isolated_first_node_p50_ms: ms(isolated.firstNode.p50),
    isolated_first_node_p95_ms: ms(isolated.firstNode.p95),
    isolated_completion_p50_ms: ms(isolated.completion.p50),
    isolated_completion_p95_ms: ms(isolated.completion.p95),
    goals_met: goals.every(([, ok]) => ok),
  };
  console.log(JSON.stringify(json));
}

// ---------------------------------------------------------------- main

let cleaning: Promise<void> | undefined;
let interrupted = false;

/** Stops everything started so far, last started first; once, whoever asks first. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.splice(0).reverse()) {
      // A step that hangs (say, work still in flight after a failure) must not keep the rest from running.
      const timeout = sleep(CLEANUP_STEP_MS).then(() => {
        throw new Error(`gave up after ${CLEANUP_STEP_MS / 1000} s`);
      });
      await Promise.race([step.run(), timeout]).catch((error: Error) =>
        log(`clean-up: ${step.label}: ${error.message}`),
      );
    }
  })();
  return cleaning;
}

async function main(): Promise<Results> {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  log("starting Postgres and migrating…");
  const db = await startDatabase();

  // Stopped in this order: the executor (its workers finish their calls into
  // the app), the app's server, then the app's database pool.
  let executor: RunningExecutor | undefined;
  let app: App | undefined;
  onCleanup("close the app's database pool", async () => {
    const global = globalThis as { officeflowDatabase?: DatabaseHandle };
    await global.officeflowDatabase?.close();
  });
  onCleanup("stop the app server", async () => app?.stop());
  onCleanup("stop the executor", async () => executor?.stop());
  executor = await startExecutor({
    databaseUrl: db.url,
    checkpointing: CHECKPOINTING,
    log: (line) => {
      executorLog.push(line);
      if (executorLog.length > 200) executorLog.shift();
      if (process.env.BENCH_VERBOSE) console.error(`[executor] ${line}`);
    },
  });

  // The app reads these lazily (lib/db/client.ts on its first query, the
  // Inngest client at setEnvVars); set before any app module is imported.
  Object.assign(process.env, {
    DATABASE_URL: db.url,
    INNGEST_DEV: "1",
    INNGEST_BASE_URL: executor.url,
    APP_URL: "http://officeflow.bench",
  });
  stubServerOnly();
  app = await startApp(executor);
  const published = await publishBenchWorkflow(db.url);
  const bench: Bench = { db, app, ...published };

  log(`warm-up: ${WARM_UP_RUNS} engine runs and ${WARM_UP_RUNS} bare runs`);
  await engineRuns(bench, await createQueuedRuns(bench, WARM_UP_RUNS), "burst");
  await bareRuns(bench, WARM_UP_RUNS);

  log(`engine, unloaded: ${ISOLATED_RUNS} runs one at a time`);
  const isolatedTimings: Timing[] = [];
  for (let i = 0; i < ISOLATED_RUNS; i++) {
    const { result } = await engineRuns(bench, await createQueuedRuns(bench, 1), "burst");
    isolatedTimings.push(...result);
  }
  const isolated = {
    firstNode: p50p95(isolatedTimings.map((t) => t.firstNodeAt - t.sentAt)),
    completion: p50p95(isolatedTimings.map((t) => t.finishedAt - t.sentAt)),
  };

  log(`engine, burst: ${N} runs × ${M} nodes`);
  const burstIds = await createQueuedRuns(bench, N);
  if (flags.profile) await startProfile(db.pool);
  const stopCpuProfile = flags["cpu-profile"] ? await startCpuProfile() : undefined;
  const burstUsage = await measureUsage(db, () => engineRuns(bench, burstIds, "burst"));
  if (stopCpuProfile) await stopCpuProfile(path.resolve(flags["cpu-profile"] as string));
  const burst = summarise("engine, burst", burstUsage.result, burstUsage);
  const profile = flags.profile ? await profileReport(db.pool, N * M, "engine, burst") : undefined;
  log(`  ${round(burst.runsPerS, 1)} runs/s`);

  log(`bare, burst: ${N} runs × ${M} step.run`);
  const bareUsage = await measureUsage(db, () => bareRuns(bench, N));
  const bare = summarise("bare, burst", bareUsage.result, bareUsage);
  log(`  ${round(bare.runsPerS, 1)} runs/s`);

  let paced: PhaseResult | undefined;
  if (RATE > 0) {
    log(`engine, paced: ${N} runs at ${RATE} runs/s (~${round(N / RATE, 0)} s)`);
    const pacedIds = await createQueuedRuns(bench, N);
    const pacedUsage = await measureUsage(db, () => engineRuns(bench, pacedIds, { rate: RATE }));
    paced = summarise("engine, paced", pacedUsage.result, pacedUsage);
  }
  return { isolated, burst, bare, paced, profile };
}

main()
  .then(async (results) => {
    await cleanup();
    report(results);
    process.exit(0);
  })
  .catch(async (error) => {
    if (interrupted) return; // the signal handler exits
    console.error(`[bench] could not measure: ${(error as Error).stack ?? error}`);
    if (executorLog.length > 0)
      console.error(`[bench] executor log (last lines):\n${executorLog.slice(-30).join("\n")}`);
    await cleanup();
    process.exit(1);
  });
