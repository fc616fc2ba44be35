import type pg from "pg";
import { buildCallBody, stepUrl } from "../src/driver";
import type { FunctionRow, QueueItem, RunRow } from "../src/state";
import { percentile, pooled, postJson, sleep } from "./support";

// What the benchmark measures: sending runs to the executor, waiting for
// them, reading their timings back from the executor's tables, and the bare
// baseline of calling the app's serve endpoint directly.

const SCHEMA = `"inngest_local"`;
export const EVENT_NAME = "bench/run";

/** Sends `count` bench/run events of `steps` steps in batches; returns the executor's event ids. */
export async function sendRuns(
  executorUrl: string,
  count: number,
  steps: number,
  batchSize = 50,
): Promise<string[]> {
  const ids: string[] = [];
  for (let sent = 0; sent < count; sent += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, count - sent) }, () => ({
      name: EVENT_NAME,
      data: { steps },
    }));
    const answer = await postJson<{ ids: string[] }>(`${executorUrl}/e/bench`, batch);
    ids.push(...answer.ids);
  }
  return ids;
}

/**
 * Polls until every run of `eventIds` ended; returns the polls made. Throws on
 * a failed run, at the deadline, or when `check` throws (a process died).
 */
export async function waitForRuns(
  db: pg.Pool,
  eventIds: string[],
  options: { deadline: number; pollMs?: number; check?: () => void },
): Promise<number> {
  const { deadline, pollMs = 100, check } = options;
  for (let polls = 1; ; polls++) {
    check?.();
    const { rows } = await db.query<{ total: number; running: number; bad: number }>(
      `SELECT count(*)::int AS total,
              count(*) FILTER (WHERE status = 'Running')::int AS running,
              count(*) FILTER (WHERE status NOT IN ('Running', 'Completed'))::int AS bad
         FROM ${SCHEMA}.runs WHERE event_id = ANY($1)`,
      [eventIds],
    );
    const { total, running, bad } = rows[0]!;
    if (bad > 0) throw new Error(`${bad} run(s) did not complete (Failed/Cancelled)`);
    if (total === eventIds.length && running === 0) return polls;
    if (Date.now() > deadline) {
      throw new Error(
        `deadline passed: ${total - running}/${eventIds.length} runs completed (${eventIds.length - total} not started)`,
      );
    }
    await sleep(pollMs);
  }
}

export type RunTimings = {
  runs: number;
  stepsCompleted: number;
  /** First send (client clock) to the last run's end (same host clock, from Postgres). */
  lastEndMs: number;
  firstStepMs: number[];
  completionMs: number[];
  stepToStepMs: number[];
};

/** Reads the runs' start/end and step completion times (step_attempts.at, status completed). */
export async function readTimings(db: pg.Pool, eventIds: string[]): Promise<RunTimings> {
  const { rows } = await db.query<{
    started_ms: number;
    ended_ms: number;
    step_ms: number[] | null;
  }>(
    `SELECT (extract(epoch FROM r.started_at) * 1000)::float8 AS started_ms,
            (extract(epoch FROM r.ended_at) * 1000)::float8 AS ended_ms,
            array_agg((extract(epoch FROM a.at) * 1000)::float8 ORDER BY a.at, a.id)
              FILTER (WHERE a.status = 'completed') AS step_ms
       FROM ${SCHEMA}.runs r LEFT JOIN ${SCHEMA}.step_attempts a ON a.run_id = r.id
      WHERE r.event_id = ANY($1)
      GROUP BY r.id`,
    [eventIds],
  );
  const timings: RunTimings = {
    runs: rows.length,
    stepsCompleted: 0,
    lastEndMs: 0,
    firstStepMs: [],
    completionMs: [],
    stepToStepMs: [],
  };
  for (const row of rows) {
    const steps = row.step_ms ?? [];
    timings.stepsCompleted += steps.length;
    timings.lastEndMs = Math.max(timings.lastEndMs, row.ended_ms);
    timings.completionMs.push(row.ended_ms - row.started_ms);
    if (steps[0] !== undefined) timings.firstStepMs.push(steps[0] - row.started_ms);
    for (let i = 1; i < steps.length; i++) timings.stepToStepMs.push(steps[i]! - steps[i - 1]!);
  }
  return timings;
}

export const p50p95 = (values: number[]) => ({
  p50: percentile(values, 50),
  p95: percentile(values, 95),
});

/** Transactions committed or rolled back in this database so far (pg_stat_database; flushed ≤ 1 s late). */
export async function transactionCount(db: pg.Pool): Promise<number> {
  const { rows } = await db.query<{ xacts: string }>(
    "SELECT (xact_commit + xact_rollback)::text AS xacts FROM pg_stat_database WHERE datname = current_database()",
  );
  return Number(rows[0]?.xacts ?? 0);
}

/**
 * Bare baselines: call requests POSTed straight to the app's serve endpoint,
 * built like the executor builds them (driver.ts buildCallBody, no fn_id),
 * `concurrency` at a time like the executor's workers. A virtual run of
 * `steps` steps makes the calls the executor would make without
 * checkpointing: k = 0…steps-1 memoised steps (the SDK replays them and runs
 * step k: 206 [StepRun]), then with `withCompletion` the call with all steps
 * memoised (200). Returns the elapsed ms for runs × calls.
 */
export async function bareCalls(
  db: pg.Pool,
  options: { runs: number; steps: number; withCompletion: boolean; concurrency: number },
): Promise<number> {
  const { rows } = await db.query<FunctionRow>(`SELECT * FROM ${SCHEMA}.functions LIMIT 1`);
  const fn = rows[0];
  if (!fn) throw new Error("no synced function for the bare baseline");
  const stepIds = await completedStepIds(db, options.steps);
  const url = stepUrl(fn, "step");
  const callsPerRun = options.steps + (options.withCompletion ? 1 : 0);
  const call = async (index: number) => {
    const memoised = index % callsPerRun;
    const runId = `bare-${options.steps}-${Math.floor(index / callsPerRun)}`;
    const event = { name: EVENT_NAME, data: { steps: options.steps }, id: `${runId}-e`, ts: 0 };
    const stack = stepIds.slice(0, memoised);
    const run = {
      id: runId,
      events: [event],
      steps: Object.fromEntries(stack.map((id, i) => [id, { data: i }])),
      stack,
      force_step_plan: false,
      max_attempts: 1,
      version: -1,
    } as unknown as RunRow;
    const item = { id: `${runId}-${memoised}`, step_id: "step", attempt: 0 } as QueueItem;
    const body = buildCallBody(run, fn, item, { checkpointing: false, timeoutMs: 30_000 });
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-inngest-server-kind": "dev",
        "x-run-id": runId,
        "x-inngest-step-id": "step",
      },
      body: JSON.stringify(body),
    });
    const text = await response.text();
    const expected = memoised < options.steps ? 206 : 200;
    if (response.status !== expected || (expected === 206 && !text.includes('"StepRun"'))) {
      throw new Error(`bare call: HTTP ${response.status} ${text.slice(0, 300)}`);
    }
  };
  await pooled(Math.min(options.runs, 5) * callsPerRun, options.concurrency, call); // warm-up
  return pooled(options.runs * callsPerRun, options.concurrency, call);
}

/** The SDK's hashed ids of steps s0…s{steps-1}, from a completed run that had at least that many. */
async function completedStepIds(db: pg.Pool, steps: number): Promise<string[]> {
  const { rows } = await db.query<{ ids: string[] }>(
    `SELECT array_agg(step_id ORDER BY id) AS ids FROM ${SCHEMA}.step_attempts
      WHERE status = 'completed' GROUP BY run_id HAVING count(*) >= $1 LIMIT 1`,
    [steps],
  );
  const ids = rows[0]?.ids.slice(0, steps);
  if (ids?.length !== steps)
    throw new Error(`no completed run with ${steps} steps to copy ids from`);
  return ids;
}
