import { randomUUID } from "node:crypto";
import type pg from "pg";
import type { FunctionConfig } from "./functions";

// Row-level operations on the executor's tables. Every function here runs
// inside the caller's transaction, so a step result, the stack, the queue and
// the pauses always change together.

export type Db = pg.PoolClient;

export type RunStatus = "Running" | "Completed" | "Failed" | "Cancelled";

/** A memoised step value as the SDK expects it (`{data}`, `{error}`, or a raw value for sleeps/waits). */
export type StepValue = unknown;

export type RunRow = {
  id: string;
  function_id: string;
  event_id: string;
  events: Record<string, unknown>[];
  status: RunStatus;
  steps: Record<string, StepValue>;
  stack: string[];
  pending: string[];
  force_step_plan: boolean;
  race: boolean;
  version: number;
  max_attempts: number;
  concurrency_keys: string[];
  correlation_id: string | null;
  output: unknown;
  error: unknown;
  started_at: Date;
  ended_at: Date | null;
};

export type QueueKind = "call" | "sleep" | "wait_timeout" | "invoke_timeout";

export type QueueItem = {
  id: string;
  run_id: string;
  kind: QueueKind;
  step_id: string;
  attempt: number;
  concurrency_keys: string[];
};

export type FunctionRow = {
  id: string;
  uuid: string;
  app_url: string;
  name: string;
  config: FunctionConfig;
};

export class Tables {
  constructor(readonly schema: string) {}
  get apps() {
    return `"${this.schema}".apps`;
  }
  get functions() {
    return `"${this.schema}".functions`;
  }
  get triggers() {
    return `"${this.schema}".triggers`;
  }
  get eventUserIds() {
    return `"${this.schema}".event_user_ids`;
  }
  get events() {
    return `"${this.schema}".events`;
  }
  get runs() {
    return `"${this.schema}".runs`;
  }
  get idempotency() {
    return `"${this.schema}".idempotency`;
  }
  get queue() {
    return `"${this.schema}".queue`;
  }
  get pauses() {
    return `"${this.schema}".pauses`;
  }
  get stepAttempts() {
    return `"${this.schema}".step_attempts`;
  }
}

export async function lockRun(db: Db, t: Tables, runId: string): Promise<RunRow | undefined> {
  const { rows } = await db.query<RunRow>(`SELECT * FROM ${t.runs} WHERE id = $1 FOR UPDATE`, [
    runId,
  ]);
  return rows[0];
}

export async function loadFunction(
  db: Db,
  t: Tables,
  id: string,
): Promise<FunctionRow | undefined> {
  const { rows } = await db.query<FunctionRow>(`SELECT * FROM ${t.functions} WHERE id = $1`, [id]);
  return rows[0];
}

export async function saveRunState(db: Db, t: Tables, run: RunRow): Promise<void> {
  await db.query(
    `UPDATE ${t.runs} SET steps = $2, stack = $3, pending = $4, force_step_plan = $5, race = $6, version = $7
      WHERE id = $1`,
    [
      run.id,
      JSON.stringify(run.steps),
      JSON.stringify(run.stack),
      JSON.stringify(run.pending),
      run.force_step_plan,
      run.race,
      run.version,
    ],
  );
}

/** Memoises a step once; a second write of the same step (checkpoint then response) is a no-op. */
export function memoise(run: RunRow, stepId: string, value: StepValue): boolean {
  if (Object.hasOwn(run.steps, stepId)) return false;
  run.steps[stepId] = value;
  run.stack.push(stepId);
  run.pending = run.pending.filter((id) => id !== stepId);
  if (run.pending.length === 0) run.force_step_plan = false;
  return true;
}

export async function enqueue(
  db: Db,
  t: Tables,
  item: {
    runId: string;
    kind: QueueKind;
    stepId: string;
    attempt?: number;
    delayMs?: number;
    concurrencyKeys?: string[];
  },
): Promise<void> {
  await db.query(
    `INSERT INTO ${t.queue} (id, run_id, kind, step_id, attempt, run_at, concurrency_keys)
     VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6::double precision / 1000), $7)
     ON CONFLICT (run_id, kind, step_id) DO NOTHING`,
    [
      randomUUID(),
      item.runId,
      item.kind,
      item.stepId,
      item.attempt ?? 0,
      item.delayMs ?? 0,
      item.concurrencyKeys ?? [],
    ],
  );
}

export async function enqueueDiscovery(db: Db, t: Tables, run: RunRow): Promise<void> {
  await enqueue(db, t, {
    runId: run.id,
    kind: "call",
    stepId: "step",
    concurrencyKeys: run.concurrency_keys,
  });
}

export async function recordAttempt(
  db: Db,
  t: Tables,
  entry: {
    runId: string;
    stepId: string;
    name?: string;
    op: string;
    attempt: number;
    status: string;
    output?: unknown;
    error?: unknown;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO ${t.stepAttempts} (run_id, step_id, name, op, attempt, status, output, error)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
    [
      entry.runId,
      entry.stepId,
      entry.name ?? null,
      entry.op,
      entry.attempt,
      entry.status,
      entry.output === undefined ? null : JSON.stringify(entry.output),
      entry.error === undefined ? null : JSON.stringify(entry.error),
    ],
  );
}

export async function createPause(
  db: Db,
  t: Tables,
  pause: {
    runId: string;
    stepId: string | null;
    kind: "wait" | "cancel" | "invoke";
    eventName: string;
    expression?: string;
    timeoutMs: number;
  },
): Promise<void> {
  await db.query(
    `INSERT INTO ${t.pauses} (id, run_id, step_id, kind, event_name, expression, expires_at)
     VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7::double precision / 1000))`,
    [
      randomUUID(),
      pause.runId,
      pause.stepId,
      pause.kind,
      pause.eventName,
      pause.expression ?? null,
      pause.timeoutMs,
    ],
  );
}
