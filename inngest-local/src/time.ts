// Time strings as the SDK writes them (`1w2d3h4m5s`, from the `ms` package
// conversions in inngest-js src/helpers/strings.ts) or ISO dates (sleepUntil,
// waitForEvent timeouts given as dates).

const UNIT_MS: Record<string, number> = {
  w: 7 * 24 * 3_600_000,
  d: 24 * 3_600_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
  ms: 1,
};

/** Milliseconds from now until `value` (a duration string or a date); throws on garbage. */
export function delayUntil(value: string, now = Date.now()): number {
  const trimmed = value.trim();
  if (/^(\d+(ms|w|d|h|m|s))+$/.test(trimmed)) {
    let total = 0;
    for (const [, amount, unit] of trimmed.matchAll(/(\d+)(ms|w|d|h|m|s)/g)) {
      total += Number(amount) * (UNIT_MS[unit as string] ?? 0);
    }
    return total;
  }
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) throw new Error(`"${value}" is neither a duration like 1h30m nor a date`);
  return Math.max(0, date - now);
}

/** Inngest's hard limit on a single sleep (consts.MaxSleepDuration). */
export const MAX_SLEEP_MS = 366 * 24 * 3_600_000;

export type BackoffMode = "inngest" | "fast";

// Inngest's retry table (pkg/backoff/backoff.go): 15 s, 30 s, 1 m, 2 m, 5 m,
// 10 m, 20 m, 40 m, 1 h, then 2 h, each plus 0–30 s of jitter.
const TABLE_S = [15, 30, 60, 120, 300, 600, 1_200, 2_400, 3_600, 7_200];

export function retryDelayMs(mode: BackoffMode, attempt: number, random = Math.random): number {
  if (mode === "fast") return Math.min(100 * 2 ** attempt, 1_000);
  const base = TABLE_S[Math.min(attempt, TABLE_S.length - 1)] ?? 7_200;
  return (base + random() * 30) * 1_000;
}

/**
 * `Retry-After` as seconds or an HTTP date, clamped to 1 s – 24 h like the
 * Go server (httpdriver ParseRetry); undefined when absent or unparsable.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!header) return undefined;
  let ms: number;
  if (/^\d+$/.test(header.trim())) ms = Number(header.trim()) * 1_000;
  else {
    const date = Date.parse(header);
    if (Number.isNaN(date)) return undefined;
    ms = date - now;
  }
  return Math.min(Math.max(ms, 1_000), 24 * 3_600_000);
}
