// The contract between the webhook route and the per-source verifiers.
// A verifier is pure: it reads the request's headers and raw bytes, the
// endpoint's secrets (current, and the previous one during a rotation) and
// the clock it is given, and answers accept or reject. It never throws on
// anything a sender controls; a malformed header is a 400/401 with a reason.

/** What the route hands a verifier: headers as received, the body bytes untouched, and "now". */
export type IncomingDelivery = { headers: Headers; rawBody: Buffer; now: Date };

/**
 * Accepted. `deliveryId` is the idempotency key (the sender's id, or a hash
 * when it sends none); `timestamp` is the signed send time, or null when the
 * scheme signs none.
 */
export type Verified = { ok: true; deliveryId: string; timestamp: Date | null };

/**
 * Rejected. `reason` is safe to store and show to the organisation's admins:
 * it names headers and formats, never a secret, the expected signature or a
 * header value.
 */
export type Rejected = { ok: false; status: 400 | 401; reason: string };

export type VerifyResult = Verified | Rejected;

/**
 * ±5 minutes, in both directions (too old and too new), as the Standard
 * Webhooks reference library does (WEBHOOK_TOLERANCE_IN_SECONDS = 5 * 60):
 * https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/index.ts
 */
export const TIMESTAMP_TOLERANCE_SECONDS = 300;
