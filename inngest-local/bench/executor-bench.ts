import { execFile } from "node:child_process";
import { existsSync, statSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs, promisify } from "node:util";
import pg from "pg";
import {
  type RunningPostgres,
  runningServerOf,
  startEmbeddedPostgres,
} from "../../scripts/lib/embedded-postgres";
import { findFreePort } from "../../scripts/lib/ports";
import { bareCalls, p50p95, readTimings, sendRuns, transactionCount, waitForRuns } from "./measure";
import { PROFILE_SETTINGS, profileReport, startProfile } from "./profile";
import { type Baselines, type ModeResult, report } from "./report";
import { Child, cpuSeconds, RssSampler, sleep } from "./support";

// `npm run bench:executor`: throughput and scheduling latency of the local
// executor (a separate process, as in development) driving a production
// build of a minimal Next.js app, with and without checkpointing.
// Flags: --runs N (200) --steps M (10) --latency-runs L (20) --timeout S (180) --rebuild
//        --pg-setting name=value (repeatable)  --profile (Postgres statements per step)
//        --node-arg=<arg> (repeatable, for the executor and app, e.g. --node-arg=--cpu-prof)
//        --executor-cli <file> (default inngest-local/src/cli.ts: A/B a modified executor)

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const appDir = path.join(repoRoot, "inngest-local/bench/app");
const nextBin = path.join(repoRoot, "node_modules/next/dist/bin/next");
const EXECUTOR_WORKERS = 8; // startExecutor's default: the bare baseline uses as many callers

const { values: flags } = parseArgs({
  options: {
    runs: { type: "string", default: "200" },
    steps: { type: "string", default: "10" },
    "latency-runs": { type: "string", default: "20" },
    timeout: { type: "string", default: "180" },
    rebuild: { type: "boolean", default: false },
    "pg-setting": { type: "string", multiple: true, default: [] },
    profile: { type: "boolean", default: false },
    "node-arg": { type: "string", multiple: true, default: [] },
    "executor-cli": { type: "string" },
  },
});
const positive = (name: "runs" | "steps" | "latency-runs" | "timeout") => {
  const value = Number(flags[name]);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`--${name} must be a positive integer`);
  return value;
};
const N = positive("runs");
const M = positive("steps");
const L = positive("latency-runs");
const TIMEOUT_MS = positive("timeout") * 1000;
const executorCli = path.resolve(
  flags["executor-cli"] ?? path.join(repoRoot, "inngest-local/src/cli.ts"),
);

const log = (line: string) => console.error(`[bench] ${line}`);
const cleanups: (() => Promise<unknown>)[] = [];
const profiles: string[] = [];

async function buildApp() {
  const buildId = path.join(appDir, ".next/BUILD_ID");
  const sources = [
    "app/api/inngest/route.js",
    "app/layout.js",
    "app/page.js",
    "instrumentation.js",
    "next.config.mjs",
  ];
  const newest = Math.max(...sources.map((file) => statSync(path.join(appDir, file)).mtimeMs));
  if (!flags.rebuild && existsSync(buildId) && statSync(buildId).mtimeMs > newest) {
    log("reusing the bench app's production build (--rebuild to rebuild)");
    return;
  }
  log("building the bench app (next build)…");
  await promisify(execFile)(process.execPath, [nextBin, "build", appDir], {
    cwd: repoRoot,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
    maxBuffer: 16 * 1024 * 1024,
  }).catch((error: { stdout?: string; stderr?: string }) => {
    throw new Error(`next build failed:\n${error.stdout ?? ""}${error.stderr ?? ""}`);
  });
}

type Postgres = RunningPostgres & { pid: number };

async function startPostgres(): Promise<Postgres> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-bench-pg-"));
  cleanups.push(() => fs.rm(dir, { recursive: true, force: true }));
  await fs.chmod(dir, 0o755); // as root the server runs as `postgres` and must get through
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
  return { ...server, pid: running.pid };
}

/** Measures one mode with its own executor, app and database; the bare baselines ride on nocp's app. */
async function runMode(
  server: Postgres,
  checkpointing: boolean,
): Promise<{ result: ModeResult; baselines?: Baselines }> {
  const mode = checkpointing ? "cp" : "nocp";
  const database = `bench_${mode}`;
  const admin = new pg.Client({ connectionString: server.url("postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  const databaseUrl = server.url(database);

  const executorPort = await findFreePort();
  const executor = Child.start(
    "executor",
    process.execPath,
    [...flags["node-arg"], "--import", "tsx", executorCli],
    {
      cwd: repoRoot,
      env: {
        DATABASE_URL: databaseUrl,
        INNGEST_LOCAL_PORT: String(executorPort),
        INNGEST_LOCAL_CHECKPOINTING: checkpointing ? "1" : "0",
      },
    },
  );
  const stops = [() => executor.stop()];
  cleanups.push(() => executor.stop());
  const db = new pg.Pool({ connectionString: databaseUrl, max: 2 });
  try {
    const [, executorUrl] = await executor.waitForOutput(/listening on (http:\S+)/, 60_000);
    const appPort = await findFreePort();
    const app = Child.start(
      "app",
      process.execPath,
      [...flags["node-arg"], nextBin, "start", appDir, "-p", String(appPort), "-H", "127.0.0.1"],
      {
        cwd: repoRoot,
        env: {
          NODE_ENV: "production",
          NEXT_TELEMETRY_DISABLED: "1",
          INNGEST_DEV: "1",
          INNGEST_BASE_URL: executorUrl!,
        },
      },
    );
    stops.unshift(() => app.stop());
    cleanups.push(() => app.stop());
    await app.waitForOutput(/Ready in/, 60_000);
    const sampler = new RssSampler({ executor: executor.pid, app: app.pid });
    const check = () => {
      for (const child of [executor, app]) {
        if (!child.isAlive) throw new Error(`the ${child.label} exited:\n${child.tail()}`);
      }
    };
    const synced = await fetch(`${executorUrl}/local/sync`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: `http://127.0.0.1:${appPort}/api/inngest` }),
    });
    if (!synced.ok) throw new Error(`sync failed: ${synced.status} ${await synced.text()}`);

    log(`${mode}: warm-up`);
    const warmUp = await sendRuns(executorUrl!, 10, M);
    await waitForRuns(db, warmUp, { deadline: Date.now() + 60_000, check });

    log(`${mode}: ${L} isolated runs, one at a time (unloaded latency)`);
    const isolated: string[] = [];
    for (let i = 0; i < L; i++) {
      const ids = await sendRuns(executorUrl!, 1, M);
      await waitForRuns(db, ids, { deadline: Date.now() + 30_000, pollMs: 20, check });
      isolated.push(...ids);
    }
    const isolatedTimings = await readTimings(db, isolated);

    log(`${mode}: ${N} runs × ${M} steps`);
    if (flags.profile) await startProfile(db);
    await sleep(1_100); // pg_stat_database lags up to 1 s
    const txBefore = await transactionCount(db);
    const pids = { executor: executor.pid, app: app.pid, postgres: server.pid };
    const cpu = (which: keyof typeof pids) => cpuSeconds(pids[which]);
    const cpuBefore = { executor: cpu("executor"), app: cpu("app"), postgres: cpu("postgres") };
    const startedAt = Date.now();
    const ids = await sendRuns(executorUrl!, N, M);
    const polls = await waitForRuns(db, ids, { deadline: startedAt + TIMEOUT_MS, check });
    const cpuMs = (which: keyof typeof pids) => ((cpu(which) - cpuBefore[which]) * 1000) / (N * M);
    const cpuMsPerStep = {
      executor: cpuMs("executor"),
      app: cpuMs("app"),
      postgres: cpuMs("postgres"),
    };
    if (flags.profile) profiles.push(await profileReport(db, N * M, mode));
    await sleep(1_100);
    // Approximate: minus this bench's own polls and counting query, plus the executor's idle polls.
    const txPerStep = ((await transactionCount(db)) - txBefore - polls - 1) / (N * M);
    const timings = await readTimings(db, ids);
    if (timings.stepsCompleted !== N * M) {
      throw new Error(`${timings.stepsCompleted} steps recorded as completed, expected ${N * M}`);
    }
    const wallS = (timings.lastEndMs - startedAt) / 1000;

    let baselines: Baselines | undefined;
    if (!checkpointing) {
      const concurrency = EXECUTOR_WORKERS;
      log(`bare baselines: ${N * M} 1-step calls, then ${N} × ${M + 1} replay calls`);
      const oneStep = await bareCalls(db, {
        runs: N * M,
        steps: 1,
        withCompletion: false,
        concurrency,
      });
      const appCpuBefore = cpuSeconds(app.pid);
      const replay = await bareCalls(db, { runs: N, steps: M, withCompletion: true, concurrency });
      const replayAppCpuS = cpuSeconds(app.pid) - appCpuBefore;
      baselines = {
        bareCallsPerS: (N * M) / (oneStep / 1000),
        bareReplayStepsPerS: (N * M) / (replay / 1000),
        // including the replay's warm-up calls (5 of N runs)
        replayAppCpuMsPerStep: (replayAppCpuS * 1000) / ((N + Math.min(N, 5)) * M),
        concurrency,
      };
    }
    const peaks = sampler.finish();
    const result: ModeResult = {
      mode,
      wallS,
      runsPerS: N / wallS,
      stepsPerS: (N * M) / wallS,
      firstStep: p50p95(timings.firstStepMs),
      completion: p50p95(timings.completionMs),
      loadedStep: p50p95(timings.stepToStepMs),
      isolatedStep: p50p95(isolatedTimings.stepToStepMs),
      txPerStep,
      cpuMsPerStep,
      executorPeakMb: peaks.executor ?? 0,
      appPeakMb: peaks.app ?? 0,
    };
    return { result, baselines };
  } catch (error) {
    if (!process.env.BENCH_VERBOSE && !interrupted) log(`executor output:\n${executor.tail()}`);
    throw error;
  } finally {
    await db.end();
    for (const stop of stops) await stop();
  }
}

let cleaning: Promise<void> | undefined;
let interrupted = false;

/** Stops everything started so far, last started first; once, whoever asks first. */
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const step of cleanups.splice(0).reverse()) await step().catch(() => undefined);
  })();
  return cleaning;
}

async function main() {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      log(`${signal}: stopping`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  await buildApp();
  const server = await startPostgres();
  const cp = await runMode(server, true);
  const nocp = await runMode(server, false);
  await cleanup();
  if (!nocp.baselines) throw new Error("the bare baselines were not measured");
  const shape = { runs: N, steps: M, latencyRuns: L };
  report(shape, { cp: cp.result, nocp: nocp.result }, nocp.baselines, profiles);
}

main().catch(async (error) => {
  if (interrupted) return; // the signal handler exits
  console.error(`[bench] could not measure: ${(error as Error).stack ?? error}`);
  await cleanup();
  process.exit(1);
});
