// How a node tells the engine whether trying again could help. Anything else a
// node throws counts as retriable (a bug or an unexpected provider answer may
// be transient), within the node's retry policy.

export class NodeError extends Error {
  constructor(
    message: string,
    readonly retriable: boolean,
    /** The provider asked us to wait this long (e.g. HTTP 429 Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "NodeError";
  }
}

/** A failure that the same request cannot fix (4xx, bad config at run time): the node fails at once. */
export function permanentFailure(message: string): NodeError {
  return new NodeError(message, false);
}

/** A failure worth retrying (5xx, 429, timeouts), optionally after the provider's requested delay. */
export function retriableFailure(message: string, retryAfterMs?: number): NodeError {
  return new NodeError(message, true, retryAfterMs);
}

/** Seconds or an HTTP date (RFC 9110 §10.2.3) → milliseconds from now, or undefined. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
