import { signRequest } from "./signing";
import type { FunctionRow, QueueItem, RunRow } from "./state";

// The call request the SDK expects (inngest/inngest pkg/execution/driver,
// parsed by inngest-js parseFnData) and the classification of its answer.

export type Op = {
  op: string;
  id: string;
  name?: string;
  displayName?: string;
  opts?: Record<string, unknown> | null;
  data?: unknown;
  error?: unknown;
};

export type CallOutcome =
  | { kind: "complete"; output: unknown }
  | { kind: "ops"; ops: Op[]; noRetry: boolean; retryAfter: string | null }
  | { kind: "error"; error: unknown; noRetry: boolean; retryAfter: string | null };

export type CallOptions = { signingKey?: string; checkpointing: boolean; timeoutMs: number };

export function buildCallBody(run: RunRow, fn: FunctionRow, item: QueueItem, options: CallOptions) {
  const ctx: Record<string, unknown> = {
    run_id: run.id,
    step_id: item.step_id,
    env: "",
    attempt: item.attempt,
    max_attempts: run.max_attempts,
    disable_immediate_execution: run.force_step_plan,
    use_api: false,
    // Every memoised step, in completion order: a step missing here makes the SDK hang.
    stack: { stack: run.stack, current: run.stack.length },
  };
  if (options.checkpointing) {
    // fn_id switches the SDK to async checkpointing, the path production uses.
    ctx.fn_id = fn.uuid;
    ctx.qi_id = item.id;
  }
  return {
    event: run.events[0],
    events: run.events,
    steps: run.steps,
    ctx,
    version: run.version,
    use_api: false,
  };
}

export function stepUrl(fn: FunctionRow, stepId: string): string {
  const url = new URL(fn.config.steps.step.runtime.url);
  url.searchParams.set("fnId", fn.id);
  url.searchParams.set("stepId", stepId);
  return url.toString();
}

function describeNetworkError(error: unknown): { name: string; message: string } {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  const message = cause?.code ?? cause?.message ?? (error as Error).message;
  return { name: "ExecutorCallError", message: `could not reach the app: ${message}` };
}

export async function callFunction(
  run: RunRow,
  fn: FunctionRow,
  item: QueueItem,
  options: CallOptions,
): Promise<CallOutcome & { version?: number }> {
  const body = buildCallBody(run, fn, item, options);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    // Compressing every reply costs the app and us more CPU than loopback bytes are worth.
    "accept-encoding": "identity",
    "x-inngest-server-kind": "dev",
    "x-run-id": run.id,
    "x-inngest-step-id": item.step_id,
  };
  if (options.signingKey) headers["x-inngest-signature"] = signRequest(body, options.signingKey);

  let response: Response;
  try {
    response = await fetch(stepUrl(fn, item.step_id), {
      method: "POST",
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    return { kind: "error", error: describeNetworkError(error), noRetry: false, retryAfter: null };
  }
  const text = await response.text();
  const noRetryHeader = response.headers.get("x-inngest-no-retry");
  const retryAfter = response.headers.get("retry-after");
  const version = Number(response.headers.get("x-inngest-req-version") ?? Number.NaN);
  let parsed: unknown;
  try {
    parsed = text === "" ? null : JSON.parse(text);
  } catch {
    parsed = text;
  }
  const fromSdk = response.headers.has("x-inngest-sdk");
  const withVersion = <T extends CallOutcome>(outcome: T) =>
    Number.isFinite(version) ? { ...outcome, version } : outcome;

  if (response.status === 200 && fromSdk) return withVersion({ kind: "complete", output: parsed });
  if (response.status === 206 && fromSdk) {
    const ops = (Array.isArray(parsed) ? parsed : [parsed]).filter(Boolean) as Op[];
    return withVersion({ kind: "ops", ops, noRetry: noRetryHeader === "true", retryAfter });
  }
  if (response.ok && !fromSdk) {
    return {
      kind: "error",
      error: {
        name: "ExecutorCallError",
        message: `HTTP ${response.status} without Inngest SDK headers: is this an Inngest serve endpoint?`,
      },
      noRetry: false,
      retryAfter,
    };
  }
  // The header always wins; without it a 4xx is final and anything else retries (httpdriver ShouldRetry).
  const noRetry =
    noRetryHeader !== null
      ? noRetryHeader === "true"
      : response.status >= 400 && response.status < 500;
  const error =
    parsed && typeof parsed === "object"
      ? parsed
      : {
          name: "ExecutorCallError",
          message: `HTTP ${response.status}: ${String(parsed).slice(0, 500)}`,
        };
  return withVersion({ kind: "error", error, noRetry, retryAfter });
}
