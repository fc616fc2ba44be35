// The client's address for rate limits and the audit log. X-Forwarded-For
// can be set by anyone, so it is believed only when the deployment says a
// proxy in front of the app sets it (TRUST_PROXY=1; on Vercel by default).
// Otherwise the address is unknown: per-address limits are skipped (per-account
// ones still apply) and the audit log records none.

type HeaderSource = { get(name: string): string | null } | Record<string, unknown> | undefined;

function header(headers: HeaderSource, name: string): string | null {
  if (!headers) return null;
  if (typeof (headers as { get?: unknown }).get === "function")
    return (headers as { get(name: string): string | null }).get(name);
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === "string"
    ? value
    : Array.isArray(value) && typeof value[0] === "string"
      ? value[0]
      : null;
}

export function trustsProxy(): boolean {
  return (
    process.env.TRUST_PROXY === "1" ||
    (process.env.TRUST_PROXY === undefined && Boolean(process.env.VERCEL))
  );
}

export function clientAddress(headers: HeaderSource): string | null {
  if (!trustsProxy()) return null;
  const forwarded = header(headers, "x-forwarded-for");
  return forwarded?.split(",")[0]?.trim() || header(headers, "x-real-ip") || null;
}
