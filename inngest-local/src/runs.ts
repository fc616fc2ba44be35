import { compileExpression, evaluateBoolean, interpolateEvent } from "./expressions";
import { concurrencyLimitsOf, type FunctionConfig, maxAttemptsOf } from "./functions";
import { type EventIdSeed, seededUlid, ulid } from "./ids";
import {
  createPause,
  type Db,
  enqueue,
  enqueueDiscovery,
  type FunctionRow,
  lockRun,
  memoise,
  type RunRow,
  type RunStatus,
  recordAttempt,
  type StepValue,
  saveRunState,
  type Tables,
} from "./state";
import { delayUntil } from "./time";

// Events in, runs started, waits resumed, runs finished. Finishing a run emits
// inngest/function.finished|failed|cancelled, which flow back through
// ingestEvents (onFailure handlers and step.invoke parents listen for them),
// all inside the same transaction.

export type IncomingEvent = {
  name: string;
  data: Record<string, unknown>;
  ts: number;
  id?: string;
  v?: string;
};
export type EventPayload = IncomingEvent & { id: string };

const DAY_MS = 24 * 3_600_000;
const YEAR_MS = 365 * DAY_MS;
const INVOKED_EVENT = "inngest/function.invoked";

export class EventValidationError extends Error {}

export function validateEvent(raw: unknown, index: number): IncomingEvent {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new EventValidationError(`event ${index}: must be an object`);
  }
  const event = raw as Record<string, unknown>;
  if (typeof event.name !== "string" || event.name.trim() === "") {
    throw new EventValidationError(`event ${index}: "name" must be a non-empty string`);
  }
  const data = event.data ?? {};
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new EventValidationError(`event ${index} (${event.name}): "data" must be an object`);
  }
  if (event.id !== undefined && (typeof event.id !== "string" || event.id === "")) {
    throw new EventValidationError(
      `event ${index} (${event.name}): "id" must be a non-empty string`,
    );
  }
  if (event.ts !== undefined && typeof event.ts !== "number") {
    throw new EventValidationError(
      `event ${index} (${event.name}): "ts" must be a number of milliseconds`,
    );
  }
  return {
    name: event.name,
    data: data as Record<string, unknown>,
    ts: (event.ts as number | undefined) ?? Date.now(),
    id: event.id as string | undefined,
    v: typeof event.v === "string" ? event.v : undefined,
  };
}

export type Engine = {
  t: Tables;
  /** Wakes local workers when something became due now. */
  notify: () => void;
};

/** Stores events and acts on them; returns their ids in order (duplicates get the original id). */
export async function ingestEvents(
  db: Db,
  engine: Engine,
  events: IncomingEvent[],
  seed?: EventIdSeed,
): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, event] of events.entries()) {
    const internalId = seed ? seededUlid(seed, index) : ulid();
    if (event.id && !(await claimUserEventId(db, engine, event.id, internalId, ids))) continue;
    const payload: EventPayload = { ...event, id: event.id ?? internalId };
    const inserted = await db.query(
      `INSERT INTO ${engine.t.events} (id, user_id, name, payload) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [internalId, event.id ?? null, event.name, JSON.stringify(payload)],
    );
    ids.push(internalId);
    // Same seed, same id: the SDK retried a send we already stored.
    if (inserted.rowCount === 0) continue;
    await resumePauses(db, engine, payload);
    await startTriggeredRuns(db, engine, payload, internalId);
  }
  return ids;
}

/**
 * A user-supplied id de-duplicates for 24 h (Inngest's event idempotency).
 * Returns false, after pushing the original id, when the id was already seen.
 */
async function claimUserEventId(
  db: Db,
  engine: Engine,
  userId: string,
  internalId: string,
  ids: string[],
): Promise<boolean> {
  const claimed = await db.query(
    `INSERT INTO ${engine.t.eventUserIds} (user_id, event_id) VALUES ($1, $2)
     ON CONFLICT (user_id) DO UPDATE SET event_id = excluded.event_id, received_at = now()
       WHERE ${engine.t.eventUserIds}.received_at < now() - interval '24 hours'
     RETURNING event_id`,
    [userId, internalId],
  );
  if (claimed.rowCount === 1) return true;
  const { rows } = await db.query<{ event_id: string }>(
    `SELECT event_id FROM ${engine.t.eventUserIds} WHERE user_id = $1`,
    [userId],
  );
  ids.push(rows[0]?.event_id ?? internalId);
  return false;
}

async function resumePauses(db: Db, engine: Engine, event: EventPayload): Promise<void> {
  const { rows } = await db.query<{
    id: string;
    run_id: string;
    step_id: string | null;
    kind: "wait" | "cancel" | "invoke";
    expression: string | null;
  }>(
    `SELECT id, run_id, step_id, kind, expression FROM ${engine.t.pauses}
      WHERE event_name = $1 AND expires_at > now() ORDER BY created_at FOR UPDATE`,
    [event.name],
  );
  for (const pause of rows) {
    if (pause.expression && !evaluateBoolean(pause.expression, { async: event })) continue;
    const deleted = await db.query(`DELETE FROM ${engine.t.pauses} WHERE id = $1`, [pause.id]);
    if (deleted.rowCount === 0) continue;
    const run = await lockRun(db, engine.t, pause.run_id);
    if (run?.status !== "Running") continue;
    if (pause.kind === "cancel") {
      await finishRun(db, engine, run, "Cancelled", {
        error: { name: "Cancelled", message: `cancelled by ${event.name}` },
      });
      continue;
    }
    const stepId = pause.step_id as string;
    const timeoutKind = pause.kind === "wait" ? "wait_timeout" : "invoke_timeout";
    await db.query(
      `DELETE FROM ${engine.t.queue} WHERE run_id = $1 AND kind = $2 AND step_id = $3`,
      [run.id, timeoutKind, stepId],
    );
    const value =
      pause.kind === "wait"
        ? event
        : event.data.error !== undefined && event.data.error !== null
          ? { error: event.data.error }
          : { data: event.data.result ?? null };
    await resolveStep(
      db,
      engine,
      run,
      stepId,
      value,
      pause.kind === "wait" ? "WaitForEvent" : "InvokeFunction",
    );
  }
}

/** Memoises a step that resolved outside an SDK call (sleep, wait, invoke) and continues the run. */
export async function resolveStep(
  db: Db,
  engine: Engine,
  run: RunRow,
  stepId: string,
  value: StepValue,
  op: string,
): Promise<void> {
  if (!memoise(run, stepId, value)) return;
  // Report { data } / { error } wrappers (invoke results) like step.run results; sleeps and waits as they are.
  const wrapper =
    value !== null && typeof value === "object" && Object.keys(value).length === 1
      ? (value as { data?: unknown; error?: unknown })
      : undefined;
  const attempt = { runId: run.id, stepId, op, attempt: 0 };
  if (wrapper && "error" in wrapper) {
    await recordAttempt(db, engine.t, { ...attempt, status: "failed", error: wrapper.error });
  } else {
    const output = wrapper && "data" in wrapper ? wrapper.data : value;
    await recordAttempt(db, engine.t, { ...attempt, status: "completed", output });
  }
  if (run.pending.length === 0 || run.race) await enqueueDiscovery(db, engine.t, run);
  await saveRunState(db, engine.t, run);
  engine.notify();
}

async function startTriggeredRuns(
  db: Db,
  engine: Engine,
  event: EventPayload,
  eventId: string,
): Promise<void> {
  if (event.name === INVOKED_EVENT) {
    // step.invoke targets one function by id, whatever its triggers say.
    const target = (event.data._inngest as { fn_id?: string } | undefined)?.fn_id;
    const fn = target ? await loadFunctionRow(db, engine, target) : undefined;
    if (fn) await startRun(db, engine, fn, event, eventId);
    return;
  }
  const { rows } = await db.query<FunctionRow & { expression: string | null }>(
    `SELECT f.*, tr.expression FROM ${engine.t.triggers} tr JOIN ${engine.t.functions} f ON f.id = tr.function_id
      WHERE tr.event_name = $1`,
    [event.name],
  );
  for (const fn of rows) {
    if (fn.expression && !evaluateBoolean(fn.expression, { event })) continue;
    await startRun(db, engine, fn, event, eventId);
  }
}

async function loadFunctionRow(
  db: Db,
  engine: Engine,
  id: string,
): Promise<FunctionRow | undefined> {
  const { rows } = await db.query<FunctionRow>(
    `SELECT * FROM ${engine.t.functions} WHERE id = $1`,
    [id],
  );
  return rows[0];
}

function evaluateKey(source: string, event: EventPayload): string {
  try {
    return JSON.stringify(compileExpression(source).evaluate({ event }) ?? null);
  } catch {
    return "null";
  }
}

function concurrencyKeysFor(fn: FunctionRow, event: EventPayload): string[] {
  return concurrencyLimitsOf(fn.config).map((limit) => {
    const scope = limit.scope === "fn" ? fn.id : limit.scope;
    const key = limit.key ? evaluateKey(limit.key, event) : "";
    return `${limit.limit}|${scope}|${limit.key ?? ""}|${key}`;
  });
}

export async function startRun(
  db: Db,
  engine: Engine,
  fn: FunctionRow,
  event: EventPayload,
  eventId: string,
): Promise<string | undefined> {
  const config: FunctionConfig = fn.config;
  const runId = ulid();
  if (config.idempotency) {
    const key = evaluateKey(config.idempotency, event);
    await db.query(
      `DELETE FROM ${engine.t.idempotency} WHERE function_id = $1 AND key = $2 AND expires_at < now()`,
      [fn.id, key],
    );
    const claimed = await db.query(
      `INSERT INTO ${engine.t.idempotency} (function_id, key, run_id, expires_at)
       VALUES ($1, $2, $3, now() + interval '24 hours') ON CONFLICT DO NOTHING`,
      [fn.id, key, runId],
    );
    if (claimed.rowCount === 0) return undefined;
  }
  const correlationId =
    (event.data._inngest as { correlation_id?: string } | undefined)?.correlation_id ?? null;
  const concurrencyKeys = concurrencyKeysFor(fn, event);
  await db.query(
    `INSERT INTO ${engine.t.runs} (id, function_id, event_id, events, status, max_attempts, concurrency_keys, correlation_id)
     VALUES ($1, $2, $3, $4, 'Running', $5, $6, $7)`,
    [
      runId,
      fn.id,
      eventId,
      JSON.stringify([event]),
      maxAttemptsOf(config),
      concurrencyKeys,
      correlationId,
    ],
  );
  for (const cancel of config.cancel ?? []) {
    await createPause(db, engine.t, {
      runId,
      stepId: null,
      kind: "cancel",
      eventName: cancel.event,
      expression: cancel.if ? interpolateEvent(cancel.if, event) : undefined,
      timeoutMs: cancel.timeout ? delayUntil(cancel.timeout) : YEAR_MS,
    });
  }
  await enqueue(db, engine.t, { runId, kind: "call", stepId: "step", concurrencyKeys });
  engine.notify();
  return runId;
}

/** Ends a run, drops its queue items and pauses, and emits Inngest's lifecycle events. */
export async function finishRun(
  db: Db,
  engine: Engine,
  run: RunRow,
  status: Exclude<RunStatus, "Running">,
  result: { output?: unknown; error?: unknown },
): Promise<void> {
  if (run.status !== "Running") return;
  run.status = status;
  await db.query(
    `UPDATE ${engine.t.runs} SET status = $2, output = $3, error = $4, ended_at = now() WHERE id = $1`,
    [
      run.id,
      status,
      result.output === undefined ? null : JSON.stringify(result.output),
      result.error === undefined ? null : JSON.stringify(result.error),
    ],
  );
  await db.query(`DELETE FROM ${engine.t.queue} WHERE run_id = $1 AND lease_until IS NULL`, [
    run.id,
  ]);
  await db.query(`DELETE FROM ${engine.t.pauses} WHERE run_id = $1`, [run.id]);

  const data: Record<string, unknown> = {
    function_id: run.function_id,
    run_id: run.id,
    event: run.events[0],
    events: run.events,
    _inngest: { status: status.toLowerCase() },
  };
  if (run.correlation_id) data.correlation_id = run.correlation_id;
  if (status === "Completed") data.result = result.output ?? null;
  else data.error = result.error;
  const lifecycle: IncomingEvent[] = [{ name: "inngest/function.finished", data, ts: Date.now() }];
  if (status === "Failed")
    lifecycle.push({ name: "inngest/function.failed", data, ts: Date.now(), id: run.id });
  if (status === "Cancelled") {
    lifecycle.push({ name: "inngest/function.cancelled", data, ts: Date.now(), id: run.id });
  }
  await ingestEvents(db, engine, lifecycle);
}
