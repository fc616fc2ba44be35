import { NonRetriableError } from "inngest";
import type { RetryPolicy } from "@/lib/workflows/definition";
import { ExpressionError } from "./expression";
import { NodeError } from "./node-error";
import { scrubSecrets } from "./recorded-value";
import { TemplateError } from "./template";

export type NodeFailure = { message: string; retriable: boolean; retryAfterMs?: number };

const MAX_MESSAGE = 2000;
const MAX_BACKOFF_MS = 3_600_000;

/**
 * Turns whatever a node threw into what the timeline shows and whether a retry
 * could help. Template and expression errors are the workflow's fault, so
 * retrying cannot fix them; unknown errors may be transient and are retried.
 */
export function classifyFailure(error: unknown, secrets: readonly string[]): NodeFailure {
  const raw = error instanceof Error ? error.message : String(error);
  const message = scrubSecrets(raw, secrets).slice(0, MAX_MESSAGE) || "the node failed";
  if (error instanceof NodeError)
    return { message, retriable: error.retriable, retryAfterMs: error.retryAfterMs };
  if (
    error instanceof TemplateError ||
    error instanceof ExpressionError ||
    error instanceof NonRetriableError
  )
    return { message, retriable: false };
  return { message, retriable: true };
}

/** The wait before attempt `attempt + 1`: the node's backoff, or longer if the provider asked. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, failure: NodeFailure): number {
  const base =
    policy.backoff === "fixed"
      ? policy.delaySeconds * 1000
      : policy.delaySeconds * 1000 * 2 ** Math.max(0, attempt - 1);
  return Math.min(MAX_BACKOFF_MS, Math.max(base, failure.retryAfterMs ?? 0));
}
