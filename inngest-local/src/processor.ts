import { type CallOptions, type CallOutcome, callFunction, type Op } from "./driver";
import { interpolateEvent } from "./expressions";
import { type Engine, finishRun, ingestEvents, resolveStep } from "./runs";
import {
  createPause,
  type Db,
  enqueue,
  enqueueDiscovery,
  type FunctionRow,
  loadFunction,
  lockRun,
  memoise,
  type QueueItem,
  type RunRow,
  recordAttempt,
  saveRunState,
} from "./state";
import { type BackoffMode, delayUntil, MAX_SLEEP_MS, parseRetryAfter, retryDelayMs } from "./time";

// What happens to one leased queue item: call the app (discovery or a
// planned step) and apply its answer, or resume a sleep / time out a wait.
// The HTTP call happens outside any transaction; its result is applied in
// one transaction that first checks the lease is still ours, so a crashed or
// slow worker's late answer never overwrites a newer one.

const YEAR_MS = 365 * 24 * 3_600_000;
const INVOKE_TIMEOUT_ERROR = {
  name: "InngestInvokeTimeoutError",
  message: "Timed out waiting for invoked function to complete",
};

export type ProcessorDeps = Engine & {
  withTx: <T>(work: (db: Db) => Promise<T>) => Promise<T>;
  withClient: <T>(work: (db: Db) => Promise<T>) => Promise<T>;
  backoff: BackoffMode;
  call: CallOptions;
  workerId: string;
  leaseMs: number;
  log: (line: string) => void;
};

export async function processItem(deps: ProcessorDeps, item: QueueItem): Promise<void> {
  if (item.kind === "call") return processCall(deps, item);
  await deps.withTx(async (db) => {
    if (!(await claimForApply(db, deps, item))) return;
    const run = await lockRun(db, deps.t, item.run_id);
    if (run?.status !== "Running") return;
    if (item.kind === "sleep") return resolveStep(db, deps, run, item.step_id, null, "Sleep");
    const pauseKind = item.kind === "wait_timeout" ? "wait" : "invoke";
    const removed = await db.query(
      `DELETE FROM ${deps.t.pauses} WHERE run_id = $1 AND step_id = $2 AND kind = $3`,
      [run.id, item.step_id, pauseKind],
    );
    if (removed.rowCount === 0) return; // the event arrived first
    const value = pauseKind === "wait" ? null : { error: INVOKE_TIMEOUT_ERROR };
    await resolveStep(
      db,
      deps,
      run,
      item.step_id,
      value,
      pauseKind === "wait" ? "WaitForEvent" : "InvokeFunction",
    );
  });
}

/** Deletes the item if we still hold its lease; false when another worker took it over. */
async function claimForApply(db: Db, deps: ProcessorDeps, item: QueueItem): Promise<boolean> {
  const { rowCount } = await db.query(
    `DELETE FROM ${deps.t.queue} WHERE id = $1 AND leased_by = $2`,
    [item.id, deps.workerId],
  );
  return rowCount === 1;
}

async function processCall(deps: ProcessorDeps, item: QueueItem): Promise<void> {
  // One read, no transaction: the run as of now and its function's config.
  const loaded = await deps.withClient((db) =>
    db.query<RunRow & { fn: FunctionRow | null }>(
      `SELECT r.*, to_jsonb(f) AS fn FROM ${deps.t.runs} r LEFT JOIN ${deps.t.functions} f ON f.id = r.function_id
        WHERE r.id = $1`,
      [item.run_id],
    ),
  );
  const run = loaded.rows[0];
  const fn = run?.fn ?? undefined;
  if (run?.status !== "Running") {
    await deps.withTx((db) => claimForApply(db, deps, item));
    return;
  }
  if (!fn) {
    await deps.withTx(async (db) => {
      if (!(await claimForApply(db, deps, item))) return;
      const locked = await lockRun(db, deps.t, run.id);
      if (locked) {
        await finishRun(db, deps, locked, "Failed", {
          error: {
            name: "FunctionNotFound",
            message: `function ${run.function_id} is no longer registered`,
          },
        });
      }
    });
    return;
  }

  const heartbeat = setInterval(
    () => {
      void deps
        .withTx((db) =>
          db.query(
            `UPDATE ${deps.t.queue} SET lease_until = now() + make_interval(secs => $3::double precision / 1000)
            WHERE id = $1 AND leased_by = $2`,
            [item.id, deps.workerId, deps.leaseMs],
          ),
        )
        .catch(() => undefined);
    },
    Math.max(deps.leaseMs / 3, 100),
  );
  let outcome: CallOutcome & { version?: number };
  try {
    outcome = await callFunction(run, fn, item, deps.call);
  } finally {
    clearInterval(heartbeat);
  }
  const stackBefore = run.stack.length;

  await deps.withTx(async (db) => {
    if (!(await claimForApply(db, deps, item))) return;
    const current = await lockRun(db, deps.t, item.run_id);
    if (current?.status !== "Running") return;
    if (outcome.version !== undefined) current.version = outcome.version;
    // Steps checkpointed during the call count as progress too.
    const checkpointed = current.stack.length > stackBefore;

    if (outcome.kind === "complete") {
      await finishRun(db, deps, current, "Completed", { output: outcome.output });
      return;
    }
    if (outcome.kind === "error") {
      if (!outcome.noRetry && item.attempt + 1 < current.max_attempts) {
        await retryLater(db, deps, item, outcome.retryAfter);
        await recordAttempt(db, deps.t, {
          runId: current.id,
          stepId: item.step_id,
          op: "FunctionError",
          attempt: item.attempt,
          status: "retrying",
          error: outcome.error,
        });
        await saveRunState(db, deps.t, current);
        return;
      }
      await finishRun(db, deps, current, "Failed", { error: outcome.error });
      return;
    }
    await applyOps(db, deps, current, item, outcome.ops, outcome, checkpointed);
  });
}

async function retryLater(db: Db, deps: ProcessorDeps, item: QueueItem, retryAfter: string | null) {
  const delayMs = parseRetryAfter(retryAfter) ?? retryDelayMs(deps.backoff, item.attempt);
  await enqueue(db, deps.t, {
    runId: item.run_id,
    kind: item.kind,
    stepId: item.step_id,
    attempt: item.attempt + 1,
    delayMs,
    concurrencyKeys: item.concurrency_keys,
  });
}

const byPriority = (op: Op) => (op.op === "WaitForEvent" ? 0 : 1);

async function applyOps(
  db: Db,
  deps: ProcessorDeps,
  run: RunRow,
  item: QueueItem,
  ops: Op[],
  outcome: { noRetry: boolean; retryAfter: string | null },
  checkpointed: boolean,
): Promise<void> {
  let progressed = checkpointed;
  if (ops.length > 1) run.force_step_plan = true;
  // No look-back for waits: register them before anything else in this answer can emit events.
  for (const op of [...ops].sort((a, b) => byPriority(a) - byPriority(b))) {
    const name = op.displayName ?? op.name;
    const attempt = { runId: run.id, stepId: op.id, name, op: op.op, attempt: item.attempt };
    switch (op.op) {
      case "StepRun":
        if (memoise(run, op.id, { data: op.data ?? null })) {
          await recordAttempt(db, deps.t, {
            ...attempt,
            status: "completed",
            output: op.data ?? null,
          });
        }
        progressed = true;
        break;
      case "StepError":
        if (!outcome.noRetry && item.attempt + 1 < run.max_attempts) {
          await recordAttempt(db, deps.t, { ...attempt, status: "retrying", error: op.error });
          await retryLater(db, deps, item, outcome.retryAfter);
          break;
        }
        memoise(run, op.id, { error: op.error });
        await recordAttempt(db, deps.t, { ...attempt, status: "failed", error: op.error });
        progressed = true;
        break;
      case "StepFailed":
        memoise(run, op.id, { error: op.error });
        await recordAttempt(db, deps.t, { ...attempt, status: "failed", error: op.error });
        progressed = true;
        break;
      case "StepPlanned":
        if (op.opts?.parallelMode === "race") run.race = true;
        if (Object.hasOwn(run.steps, op.id)) break;
        await enqueue(db, deps.t, {
          runId: run.id,
          kind: "call",
          stepId: op.id,
          concurrencyKeys: run.concurrency_keys,
        });
        addPending(run, op.id);
        await recordAttempt(db, deps.t, { ...attempt, attempt: 0, status: "planned" });
        break;
      case "Sleep": {
        const delayMs = Math.min(delayUntil(String(op.name ?? "")), MAX_SLEEP_MS);
        await enqueue(db, deps.t, { runId: run.id, kind: "sleep", stepId: op.id, delayMs });
        addPending(run, op.id);
        await recordAttempt(db, deps.t, { ...attempt, attempt: 0, status: "sleeping" });
        break;
      }
      case "WaitForEvent": {
        const timeout = op.opts?.timeout;
        const timeoutMs = typeof timeout === "string" ? delayUntil(timeout) : YEAR_MS;
        const expression =
          typeof op.opts?.if === "string" ? interpolateEvent(op.opts.if, run.events[0]) : undefined;
        await createPause(db, deps.t, {
          runId: run.id,
          stepId: op.id,
          kind: "wait",
          eventName: String(op.name),
          expression,
          timeoutMs,
        });
        await enqueue(db, deps.t, {
          runId: run.id,
          kind: "wait_timeout",
          stepId: op.id,
          delayMs: timeoutMs,
        });
        addPending(run, op.id);
        await recordAttempt(db, deps.t, { ...attempt, attempt: 0, status: "waiting" });
        break;
      }
      case "InvokeFunction":
        progressed = (await invoke(db, deps, run, op)) || progressed;
        await recordAttempt(db, deps.t, { ...attempt, attempt: 0, status: "waiting" });
        break;
      case "RunComplete":
        await saveRunState(db, deps.t, run);
        await finishRun(db, deps, run, "Completed", { output: op.data ?? null });
        return;
      default:
        await finishRun(db, deps, run, "Failed", {
          error: {
            name: "UnsupportedOpError",
            message: `the local executor does not support the ${op.op} op (from a newer SDK?)`,
          },
        });
        return;
    }
  }
  if (progressed && (run.pending.length === 0 || run.race)) await enqueueDiscovery(db, deps.t, run);
  await saveRunState(db, deps.t, run);
  deps.notify();
}

function addPending(run: RunRow, stepId: string) {
  if (!run.pending.includes(stepId)) run.pending.push(stepId);
}

/** step.invoke: start the target through an inngest/function.invoked event and wait for its finish. Returns true when resolved at once. */
async function invoke(db: Db, deps: ProcessorDeps, run: RunRow, op: Op): Promise<boolean> {
  const functionId = String(op.opts?.function_id ?? "");
  const target = await loadFunction(db, deps.t, functionId);
  if (!target) {
    memoise(run, op.id, {
      error: { name: "Error", message: `invoked function ${functionId} is not registered` },
    });
    return true;
  }
  const correlationId = `${run.id}.${op.id}`;
  const timeout = op.opts?.timeout;
  const timeoutMs = typeof timeout === "string" ? delayUntil(timeout) : YEAR_MS;
  await createPause(db, deps.t, {
    runId: run.id,
    stepId: op.id,
    kind: "invoke",
    eventName: "inngest/function.finished",
    expression: `async.data.correlation_id == ${JSON.stringify(correlationId)}`,
    timeoutMs,
  });
  await enqueue(db, deps.t, {
    runId: run.id,
    kind: "invoke_timeout",
    stepId: op.id,
    delayMs: timeoutMs,
  });
  addPending(run, op.id);
  const payload = (op.opts?.payload ?? {}) as { data?: Record<string, unknown> };
  await ingestEvents(db, deps, [
    {
      name: "inngest/function.invoked",
      data: {
        ...(payload.data ?? {}),
        _inngest: { fn_id: functionId, correlation_id: correlationId },
      },
      ts: Date.now(),
    },
  ]);
  return false;
}

/** Steps the SDK checkpointed mid-call (POST /v1/checkpoint/{runId}/async); 409 when the dispatch is stale. */
export async function applyCheckpoint(
  db: Db,
  deps: Engine,
  runId: string,
  queueItemId: string,
  steps: Op[],
): Promise<"ok" | "stale"> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM ${deps.t.queue} WHERE id = $1 AND run_id = $2 AND lease_until > now() FOR UPDATE`,
    [queueItemId, runId],
  );
  if (rowCount === 0) return "stale";
  const run = await lockRun(db, deps.t, runId);
  if (run?.status !== "Running") return "stale";
  for (const op of steps) {
    if (op.op !== "StepRun") continue;
    if (memoise(run, op.id, { data: op.data ?? null })) {
      await recordAttempt(db, deps.t, {
        runId,
        stepId: op.id,
        name: op.displayName ?? op.name,
        op: op.op,
        attempt: 0,
        status: "completed",
        output: op.data ?? null,
      });
    }
  }
  await saveRunState(db, deps.t, run);
  return "ok";
}
