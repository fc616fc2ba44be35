import { utf8ByteLength } from "./utf8";

// What the timeline stores of a node's input, output and error: secrets the
// step decrypted are replaced, secret-looking keys are masked, and anything
// large is cut to a preview so one huge or binary response can never break a
// page or bloat the database.

export const RECORDED_VALUE_MAX_BYTES = 64 * 1024;
const SECRET_KEY =
  /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api[-_]?key|password|secret|token|access[-_]?token|bot[-_]?token)$/i;
const REDACTED = "[redacted]";

/** Replaces every occurrence of each secret value in strings, deeply. */
export function scrubSecrets<T>(value: T, secrets: readonly string[]): T {
  const active = secrets.filter((secret) => secret.length >= 4);
  if (active.length === 0) return value;
  const scrub = (item: unknown): unknown => {
    if (typeof item === "string")
      return active.reduce((text, secret) => text.split(secret).join(REDACTED), item);
    if (Array.isArray(item)) return item.map(scrub);
    if (item && typeof item === "object")
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, scrub(inner)]));
    return item;
  };
  return scrub(value) as T;
}

function maskSecretKeys(value: unknown, depth: number): unknown {
  if (depth > 20) return "[too deep]";
  if (Array.isArray(value)) return value.map((item) => maskSecretKeys(item, depth + 1));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) && inner !== null && inner !== ""
          ? REDACTED
          : maskSecretKeys(inner, depth + 1),
      ]),
    );
  return value;
}

export type TruncatedValue = { truncated: true; bytes: number; preview: string };

export function isTruncatedValue(value: unknown): value is TruncatedValue {
  return Boolean(
    value && typeof value === "object" && (value as TruncatedValue).truncated === true,
  );
}

/** The value as the timeline stores it: secrets out, at most `maxBytes` of JSON. */
export function recordedValue(
  value: unknown,
  secrets: readonly string[] = [],
  maxBytes = RECORDED_VALUE_MAX_BYTES,
): unknown {
  return JSON.parse(recordedJson(value, secrets, maxBytes));
}

/** recordedValue as JSON text, for a database write that would only stringify it again. */
export function recordedJson(
  value: unknown,
  secrets: readonly string[] = [],
  maxBytes = RECORDED_VALUE_MAX_BYTES,
): string {
  if (value === undefined) return "null";
  const cleaned = maskSecretKeys(scrubSecrets(value, secrets), 0);
  let json: string;
  try {
    json = JSON.stringify(cleaned) ?? "null";
  } catch {
    return JSON.stringify({
      truncated: true,
      bytes: 0,
      preview: "[value could not be serialised]",
    });
  }
  const bytes = utf8ByteLength(json);
  if (bytes <= maxBytes) return json;
  const truncated: TruncatedValue = {
    truncated: true,
    bytes,
    preview: json.slice(0, Math.floor(maxBytes / 4)),
  };
  return JSON.stringify(truncated);
}
