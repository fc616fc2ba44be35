import {
  checkDeliveryId,
  checkTolerance,
  decodeBase64,
  hmac,
  isRejected,
  MISMATCH_REASON,
  matchesAny,
  NO_SECRET_REASON,
  parseUnixSeconds,
  rejected,
} from "./delivery-checks";
import type { IncomingDelivery, Rejected, VerifyResult } from "./types";

// Standard Webhooks, symmetric scheme (the Svix lineage).
// Spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
// Reference verifier: https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/index.ts
//
// - Headers webhook-id, webhook-timestamp (integer Unix seconds, taken per
//   attempt) and webhook-signature. Svix sends the same values under svix-id,
//   svix-timestamp and svix-signature; either name is accepted.
// - Signed content: `${id}.${timestamp}.` followed by the raw body bytes. A
//   body that was parsed and re-serialised no longer matches.
// - Key: the secret without its `whsec_` prefix, base64-decoded.
// - webhook-signature is a space-separated list of `<version>,<signature>`.
//   During a rotation the sender signs with old and new keys, and the delivery
//   is accepted when ANY v1 entry matches ANY configured secret.
// - v1a (ed25519) is not supported; v1a entries are skipped, and a header with
//   nothing but v1a entries is rejected with a reason that says so.
// - webhook-id is the same on every retry of an event, so it is the delivery id.

const SECRET_PREFIX = "whsec_";
const SIGNATURE_BYTES = 32; // HMAC-SHA256

/** webhook-<name>, or svix-<name> as Svix sends it; a 400 naming the standard header when neither is there. */
function standardHeader(
  headers: Headers,
  name: "id" | "timestamp" | "signature",
): string | Rejected {
  return (
    headers.get(`webhook-${name}`) ||
    headers.get(`svix-${name}`) ||
    rejected(400, `missing webhook-${name} header`)
  );
}

/** The HMAC key of a Standard Webhooks secret: base64 after an optional `whsec_` prefix. */
function secretKey(secret: string): Buffer {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  return Buffer.from(encoded, "base64");
}

function signedContent(id: string, timestamp: string, body: string | Buffer): Buffer[] {
  return [Buffer.from(`${id}.${timestamp}.`), typeof body === "string" ? Buffer.from(body) : body];
}

export function verifyStandardWebhook(
  delivery: IncomingDelivery,
  secrets: readonly string[],
): VerifyResult {
  const { headers, rawBody, now } = delivery;
  const id = standardHeader(headers, "id");
  if (isRejected(id)) return id;
  const timestampHeader = standardHeader(headers, "timestamp");
  if (isRejected(timestampHeader)) return timestampHeader;
  const signatureHeader = standardHeader(headers, "signature");
  if (isRejected(signatureHeader)) return signatureHeader;

  const badId = checkDeliveryId(id, "webhook-id");
  if (badId) return badId;

  const timestamp = parseUnixSeconds(timestampHeader);
  if (!timestamp) return rejected(400, "webhook-timestamp is not a Unix time in whole seconds");
  const outside = checkTolerance(timestamp, now);
  if (outside) return outside;

  const v1: Buffer[] = [];
  let v1Entries = 0;
  let v1aEntries = 0;
  for (const entry of signatureHeader.split(" ")) {
    const comma = entry.indexOf(",");
    const version = comma === -1 ? entry : entry.slice(0, comma);
    if (version === "v1a") v1aEntries += 1;
    if (version !== "v1") continue;
    v1Entries += 1;
    const decoded = comma === -1 ? null : decodeBase64(entry.slice(comma + 1), SIGNATURE_BYTES);
    if (decoded) v1.push(decoded);
  }
  if (v1Entries === 0 && v1aEntries > 0) {
    return rejected(
      401,
      "webhook-signature has only v1a (ed25519) signatures; this endpoint verifies v1 (HMAC-SHA256) signatures",
    );
  }
  if (v1Entries === 0) return rejected(401, "webhook-signature has no v1 signature");
  if (v1.length === 0) {
    return rejected(
      401,
      "webhook-signature has no well-formed v1 signature (expected v1,<base64 of 32 bytes>)",
    );
  }

  const keys = secrets.map(secretKey).filter((key) => key.length > 0);
  if (keys.length === 0) return rejected(401, NO_SECRET_REASON);
  const content = signedContent(id, timestampHeader, rawBody);
  const expected = keys.map((key) => hmac("sha256", key, ...content));
  if (!matchesAny(v1, expected)) return rejected(401, MISMATCH_REASON);

  return { ok: true, deliveryId: id, timestamp };
}

/**
 * The webhook-signature value a sender would send: `v1,<base64>`. For tests,
 * the bench and the docs' curl example.
 */
export function signStandardWebhook(
  secret: string,
  id: string,
  timestamp: number,
  body: string | Buffer,
): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError("timestamp must be whole Unix seconds");
  }
  const key = secretKey(secret);
  if (key.length === 0) throw new RangeError("secret must be base64, optionally after whsec_");
  const signature = hmac("sha256", key, ...signedContent(id, String(timestamp), body));
  return `v1,${signature.toString("base64")}`;
}
