import { createHmac, timingSafeEqual } from "node:crypto";
import { type Rejected, TIMESTAMP_TOLERANCE_SECONDS } from "./types";

// The steps every signature scheme shares: read a header, check a delivery
// id, parse and bound a timestamp, compute an HMAC, decode a received
// signature and compare it in constant time.
//
// No `server-only` marker here or in the scheme modules: they are pure
// functions that hold no secret of their own (the caller passes them in), and
// the sign* helpers are used by the bench and by scripts that run outside the
// react-server condition, where `server-only` throws on import.

export const TOLERANCE_REASON = "timestamp outside the 5-minute tolerance";
export const MISMATCH_REASON = "signature does not match";
export const NO_SECRET_REASON = "no signing secret is configured for this endpoint";

export function rejected(status: 400 | 401, reason: string): Rejected {
  return { ok: false, status, reason };
}

export function isRejected(value: unknown): value is Rejected {
  return typeof value === "object" && value !== null && (value as Rejected).ok === false;
}

/** The header's value, or a 400 naming it. Headers.get is case-insensitive; an empty value counts as missing. */
export function requireHeader(headers: Headers, name: string): string | Rejected {
  const value = headers.get(name);
  return value ? value : rejected(400, `missing ${name} header`);
}

// WebhookDelivery.deliveryKey is VarChar(255). Printable ASCII only, so the
// bytes we sign are exactly the bytes on the wire (Headers holds values as
// one char per byte) and the key is safe to store and show.
const MAX_DELIVERY_ID_LENGTH = 255;
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/;

export function checkDeliveryId(value: string, headerName: string): Rejected | null {
  if (value.length > MAX_DELIVERY_ID_LENGTH || !PRINTABLE_ASCII.test(value)) {
    return rejected(
      400,
      `${headerName} must be 1 to ${MAX_DELIVERY_ID_LENGTH} printable ASCII characters without spaces`,
    );
  }
  return null;
}

/** Whole Unix seconds ("1614265330"), as Standard Webhooks sends them. */
export function parseUnixSeconds(value: string): Date | null {
  return /^\d{1,11}$/.test(value) ? new Date(Number(value) * 1000) : null;
}

// 2026-01-31T18:42:00+0000, 2026-01-31T18:42:00.123Z, 2026-01-31T18:42:00+01:00
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):?(\d{2}))$/;

/**
 * A send time in any of the forms HR senders use: Unix seconds (10 digits
 * today), Unix milliseconds (13 digits), or ISO-8601 with `Z` or a numeric
 * offset (BambooHR writes `+0000`, without a colon). Anything else, including
 * impossible dates such as Feb 30 that Date.parse would roll over, is null.
 */
export function parseTimestamp(value: string): Date | null {
  if (/^\d{13}$/.test(value)) return new Date(Number(value));
  const seconds = parseUnixSeconds(value);
  if (seconds) return seconds;

  const match = ISO_8601.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = match;
  const fields = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const [year, month, day, hour, minute, second] = fields;
  const millis = Number((fraction ?? "").padEnd(3, "0").slice(0, 3));
  const local = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  if (
    local.getUTCFullYear() !== year ||
    local.getUTCMonth() !== month - 1 ||
    local.getUTCDate() !== day ||
    local.getUTCHours() !== hour ||
    local.getUTCMinutes() !== minute ||
    local.getUTCSeconds() !== second
  ) {
    return null;
  }
  if (zulu) return local;
  const offsetHours = Number(oh);
  const offsetMinutes = Number(om);
  if (offsetHours > 23 || offsetMinutes > 59) return null;
  const offsetMs = (offsetHours * 60 + offsetMinutes) * 60_000 * (sign === "-" ? -1 : 1);
  return new Date(local.getTime() - offsetMs);
}

/** A 401 when the send time is more than 5 minutes before or after `now`; null when it is within. */
export function checkTolerance(timestamp: Date, now: Date): Rejected | null {
  const skewSeconds = Math.abs(now.getTime() - timestamp.getTime()) / 1000;
  return skewSeconds > TIMESTAMP_TOLERANCE_SECONDS ? rejected(401, TOLERANCE_REASON) : null;
}

export type HmacAlgorithm = "sha256" | "sha512";

export const DIGEST_BYTES: Record<HmacAlgorithm, number> = { sha256: 32, sha512: 64 };

/** HMAC over the concatenation of `parts`; strings are UTF-8 (verifiers only pass ASCII they checked). */
export function hmac(
  algorithm: HmacAlgorithm,
  key: Uint8Array,
  ...parts: readonly (string | Buffer)[]
): Buffer {
  const mac = createHmac(algorithm, key);
  for (const part of parts) mac.update(part);
  return mac.digest();
}

/**
 * Secrets used as their UTF-8 bytes (BambooHR's private key, HMAC-header
 * senders). An empty secret is dropped: an HMAC under an empty key is
 * something anyone can compute.
 */
export function utf8Keys(secrets: readonly string[]): Buffer[] {
  return secrets.filter((secret) => secret.length > 0).map((secret) => Buffer.from(secret, "utf8"));
}

/** Hex of exactly `byteLength` bytes (either case), or null. Buffer.from(…, "hex") alone stops silently at the first bad character. */
export function decodeHex(value: string, byteLength: number): Buffer | null {
  if (value.length !== byteLength * 2 || !/^[0-9a-fA-F]+$/.test(value)) return null;
  return Buffer.from(value, "hex");
}

/** Standard base64 (padded or not) of exactly `byteLength` bytes, or null. */
export function decodeBase64(value: string, byteLength: number): Buffer | null {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return null;
  const bytes = Buffer.from(value, "base64");
  return bytes.length === byteLength ? bytes : null;
}

/**
 * Constant-time equality. `timingSafeEqual` throws
 * (ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH) on buffers of different lengths, so
 * the lengths are compared first; a length is not a secret.
 */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether any received signature equals any expected one. Compares every pair, without stopping at the first match. */
export function matchesAny(received: readonly Buffer[], expected: readonly Buffer[]): boolean {
  let matched = false;
  for (const signature of received) {
    for (const candidate of expected) {
      if (bytesEqual(signature, candidate)) matched = true;
    }
  }
  return matched;
}
