import { createHash } from "node:crypto";

/** The executor's read API (shaped like Inngest's REST API v1). */
export type RunStatus = "Running" | "Completed" | "Failed" | "Cancelled";

export type Run = {
  run_id: string;
  function_id: string;
  status: RunStatus;
  output: unknown;
  error?: unknown;
  event_id: string;
  run_started_at: string;
  ended_at: string | null;
};

export type StepStatus = "completed" | "failed" | "waiting" | "sleeping" | "planned";

export type StepAttempt = { attempt: number; status: string; error?: unknown; at: string };

export type Step = {
  id: string;
  name: string;
  op: string;
  status: StepStatus;
  attempts: StepAttempt[];
  output?: unknown;
  error?: unknown;
};

/** Anything with the executor's base URL: a RunningExecutor or a CLI process. */
export type ExecutorRef = { url: string };

/** Step ids on the wire are sha1(userland id) (INNGEST-PROTOCOL.md §1.4, "Step ID hashing"). */
export function stepHash(userId: string): string {
  return createHash("sha1").update(userId).digest("hex");
}

async function getJson<T>(url: string): Promise<{ status: number; body: T | undefined }> {
  const res = await fetch(url);
  const text = await res.text();
  let body: T | undefined;
  try {
    body = text ? (JSON.parse(text) as T) : undefined;
  } catch {
    throw new Error(`GET ${url} answered ${res.status} with non-JSON body: ${text.slice(0, 300)}`);
  }
  return { status: res.status, body };
}

export async function runsForEvent(executor: ExecutorRef, eventId: string): Promise<Run[]> {
  const { status, body } = await getJson<{ data: Run[] }>(
    `${executor.url}/v1/events/${encodeURIComponent(eventId)}/runs`,
  );
  if (status !== 200 || !body) throw new Error(`GET runs of event ${eventId}: HTTP ${status}`);
  return body.data;
}

export async function getRun(executor: ExecutorRef, runId: string): Promise<Run | undefined> {
  const { status, body } = await getJson<{ data: Run }>(
    `${executor.url}/v1/runs/${encodeURIComponent(runId)}`,
  );
  if (status === 404) return undefined;
  if (status !== 200 || !body) throw new Error(`GET run ${runId}: HTTP ${status}`);
  return body.data;
}

export async function getSteps(executor: ExecutorRef, runId: string): Promise<Step[]> {
  const { status, body } = await getJson<{ data: Step[] }>(
    `${executor.url}/v1/runs/${encodeURIComponent(runId)}/steps`,
  );
  if (status !== 200 || !body) throw new Error(`GET steps of run ${runId}: HTTP ${status}`);
  return body.data;
}

/** Finds a step by its userland id (the executor reports the hashed id). */
export function stepNamed(steps: Step[], userId: string): Step | undefined {
  return steps.find((s) => s.id === stepHash(userId));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value other than undefined; the error says what was last seen. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  evidence?: () => Promise<unknown>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) break;
    await sleep(100);
  }
  let seen = "";
  if (evidence) {
    try {
      seen = `\nlast seen: ${JSON.stringify(await evidence(), null, 2)}`;
    } catch (error) {
      seen = `\n(evidence unavailable: ${String(error)})`;
    }
  }
  const cause = lastError ? `\nlast error: ${String(lastError)}` : "";
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${cause}${seen}`);
}

/** Runs of an event together with their steps: what a failure message should show. */
export async function describeRuns(executor: ExecutorRef, eventId: string) {
  const runs = await runsForEvent(executor, eventId);
  return Promise.all(
    runs.map(async (run) => ({ ...run, steps: await getSteps(executor, run.run_id) })),
  );
}

/**
 * Polls GET /v1/events/{eventId}/runs until a run satisfies `predicate`;
 * on timeout the error carries every run of the event with its steps.
 */
export function waitForRun(
  executor: ExecutorRef,
  eventId: string,
  predicate: (run: Run) => boolean,
  timeoutMs = 20_000,
): Promise<Run> {
  return eventually(
    `a matching run of event ${eventId}`,
    async () => (await runsForEvent(executor, eventId)).find(predicate),
    timeoutMs,
    () => describeRuns(executor, eventId),
  );
}

/** The run of `functionId` triggered by `eventId`, once it has ended. */
export function waitForEndedRun(
  executor: ExecutorRef,
  eventId: string,
  functionId: string,
  timeoutMs = 20_000,
): Promise<Run> {
  return waitForRun(
    executor,
    eventId,
    (run) => run.function_id === functionId && run.status !== "Running",
    timeoutMs,
  );
}

/** Polls a run's steps until the step with `userId` satisfies `predicate`. */
export function waitForStep(
  executor: ExecutorRef,
  runId: string,
  userId: string,
  predicate: (step: Step) => boolean,
  timeoutMs = 20_000,
): Promise<Step> {
  return eventually(
    `step "${userId}" of run ${runId} to reach the expected state`,
    async () => {
      const step = stepNamed(await getSteps(executor, runId), userId);
      return step && predicate(step) ? step : undefined;
    },
    timeoutMs,
    async () => ({ run: await getRun(executor, runId), steps: await getSteps(executor, runId) }),
  );
}

/** Posts a raw body to the event API, bypassing the SDK (for malformed input). */
export function postRawEvents(executor: ExecutorRef, body: string): Promise<Response> {
  return fetch(`${executor.url}/e/contract-test-key`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
  });
}
