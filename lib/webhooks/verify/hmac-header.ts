import { z } from "zod";
import { sha256Hex } from "@/lib/sha256";
import {
  checkDeliveryId,
  checkTolerance,
  DIGEST_BYTES,
  decodeBase64,
  decodeHex,
  hmac,
  isRejected,
  MISMATCH_REASON,
  matchesAny,
  NO_SECRET_REASON,
  parseTimestamp,
  rejected,
  requireHeader,
  utf8Keys,
} from "./delivery-checks";
import type { IncomingDelivery, VerifyResult } from "./types";

// "An HMAC of the body in a named header": the scheme most HR senders and
// integration middlewares (Workday-style integrations via an iPaaS, HiBob, …)
// can be configured to produce. The endpoint's config says which header, which
// hash, which encoding, an optional prefix ("sha256=" as GitHub-style senders
// write it), an optional timestamp header and an optional delivery-id header.
//
// - Key: the secret's UTF-8 bytes, as typed into the sender.
// - Signed content: the raw body; with `timestampHeader` set,
//   `${timestamp}.${rawBody}` (the header value exactly as received, in Unix
//   seconds, Unix milliseconds or ISO-8601) and the 5-minute tolerance
//   applies. Without a timestamp nothing bounds a replay except the dedupe on
//   the delivery id, so prefer senders that sign one.
// - Delivery id: the `deliveryIdHeader` value when configured; otherwise
//   sha256 hex of the signed content, so an identical resend dedupes.
// - Rotation: accepted when the signature matches ANY configured secret.
//
// Vendors checked:
// - HiBob ("Bob") documents HMAC-SHA512 of the request payload with the
//   webhook's secret, sent in the `Bob-Signature` header; its sample (Scala)
//   keys the Mac with the secret's UTF-8 bytes and imports a Base64 encoder,
//   so the header is base64. No timestamp and no delivery-id header are
//   documented. https://apidocs.hibob.com/docs/working-with-webhooks,
//   https://apidocs.hibob.com/reference/getting-started-1 → HMAC_PRESETS.hibob.
//   Confidence: high on header and hash (stated in prose), medium on base64
//   (read from the sample's imports; the line that encodes was cut off in the
//   stored copy). Check one real delivery before relying on it.
// - Personio signs nothing: a v2 webhook authenticates with a static token it
//   puts in the Authorization header (auth_type TOKEN, the default), up to
//   three custom headers (CUSTOM), or nothing (NONE).
//   https://developer.personio.de/reference/post_v2-webhooks,
//   https://developer.personio.de/v2.0/reference/webhooks. That is a shared
//   secret compared as-is, not an HMAC, so it does not map onto this config
//   and there is no Personio preset; it needs a token scheme (compared in
//   constant time, like the Workday basic-auth case in RELIABILITY.md §1.3).

/** RFC 7230 §3.2.6 `token`: what a header field name may contain. */
const HEADER_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

function headerNameSchema(field: string) {
  return z
    .string({
      error: (issue) =>
        issue.input === undefined ? `${field} is required` : `${field} must be a string`,
    })
    .min(1, `${field} must not be empty`)
    .max(128, `${field} must be at most 128 characters`)
    .regex(
      HEADER_TOKEN,
      `${field} must be an HTTP header name (letters, digits and !#$%&'*+-.^_\`|~, no spaces or colons)`,
    );
}

const HMAC_HEADER_CONFIG = z
  .strictObject({
    /** The header carrying the signature, e.g. "X-Signature". */
    signatureHeader: headerNameSchema("signatureHeader"),
    algorithm: z
      .enum(["sha256", "sha512"], { error: "algorithm must be sha256 or sha512" })
      .default("sha256"),
    encoding: z.enum(["hex", "base64"], { error: "encoding must be hex or base64" }).default("hex"),
    /** Text before the signature in the header, e.g. "sha256=". */
    prefix: z
      .string({ error: "prefix must be a string" })
      .min(1, "prefix must not be empty (leave it out instead)")
      .max(64, "prefix must be at most 64 characters")
      .regex(PRINTABLE_ASCII, "prefix must be printable ASCII")
      .optional(),
    /** When set, the signed content is `${timestamp}.${rawBody}` and the 5-minute tolerance applies. */
    timestampHeader: headerNameSchema("timestampHeader").optional(),
    /** When set, its value is the delivery id; otherwise a hash of the signed content is. */
    deliveryIdHeader: headerNameSchema("deliveryIdHeader").optional(),
  })
  .superRefine((config, ctx) => {
    const signature = config.signatureHeader.toLowerCase();
    for (const field of ["timestampHeader", "deliveryIdHeader"] as const) {
      if (config[field]?.toLowerCase() === signature) {
        ctx.addIssue({
          code: "custom",
          path: [field],
          message: `${field} must be a different header from signatureHeader`,
        });
      }
    }
    if (
      config.timestampHeader &&
      config.timestampHeader.toLowerCase() === config.deliveryIdHeader?.toLowerCase()
    ) {
      ctx.addIssue({
        code: "custom",
        path: ["deliveryIdHeader"],
        message: "deliveryIdHeader must be a different header from timestampHeader",
      });
    }
  });

/** An hmac_header endpoint's settings, defaults applied (what `hmacHeaderConfigSchema.parse` returns). */
export type HmacHeaderConfig = z.output<typeof HMAC_HEADER_CONFIG>;
/** The same settings as an admin or API client writes them (algorithm and encoding may be left out). */
export type HmacHeaderConfigInput = z.input<typeof HMAC_HEADER_CONFIG>;

/** Strict: unknown keys are rejected, and every issue's path and message name the field. */
export const hmacHeaderConfigSchema = HMAC_HEADER_CONFIG satisfies z.ZodType<HmacHeaderConfig>;

/** Settings for senders whose documented scheme fits this config. */
export const HMAC_PRESETS = {
  /** https://apidocs.hibob.com/docs/working-with-webhooks: HMAC-SHA512 of the payload, base64, in Bob-Signature. */
  hibob: { signatureHeader: "Bob-Signature", algorithm: "sha512", encoding: "base64" },
} as const satisfies Record<string, HmacHeaderConfig>;

function signedContent(body: Buffer, timestamp: string | null): Buffer[] {
  return timestamp === null ? [body] : [Buffer.from(`${timestamp}.`), body];
}

/**
 * Verifies a delivery against an endpoint's config. The config is parsed
 * here too; one that does not parse is a server-side fault (it was validated
 * when the endpoint was saved), so it throws the ZodError rather than blaming
 * the sender: the route answers 5xx and the sender retries once it is fixed.
 */
export function verifyHmacHeader(
  delivery: IncomingDelivery,
  secrets: readonly string[],
  config: HmacHeaderConfigInput,
): VerifyResult {
  const settings = hmacHeaderConfigSchema.parse(config);
  const { signatureHeader, algorithm, encoding, prefix, timestampHeader, deliveryIdHeader } =
    settings;
  const { headers, rawBody, now } = delivery;

  const signatureValue = requireHeader(headers, signatureHeader);
  if (isRejected(signatureValue)) return signatureValue;
  const timestampValue = timestampHeader ? requireHeader(headers, timestampHeader) : null;
  if (isRejected(timestampValue)) return timestampValue;
  const deliveryIdValue = deliveryIdHeader ? requireHeader(headers, deliveryIdHeader) : null;
  if (isRejected(deliveryIdValue)) return deliveryIdValue;

  if (deliveryIdHeader && deliveryIdValue !== null) {
    const badId = checkDeliveryId(deliveryIdValue, deliveryIdHeader);
    if (badId) return badId;
  }
  let timestamp: Date | null = null;
  if (timestampHeader && timestampValue !== null) {
    timestamp = parseTimestamp(timestampValue);
    if (!timestamp) {
      return rejected(400, `${timestampHeader} is neither Unix time nor an ISO-8601 date-time`);
    }
    const outside = checkTolerance(timestamp, now);
    if (outside) return outside;
  }

  if (prefix !== undefined && !signatureValue.startsWith(prefix)) {
    return rejected(401, `${signatureHeader} does not start with "${prefix}"`);
  }
  const encoded = prefix === undefined ? signatureValue : signatureValue.slice(prefix.length);
  const bytes = DIGEST_BYTES[algorithm];
  const signature = encoding === "hex" ? decodeHex(encoded, bytes) : decodeBase64(encoded, bytes);
  if (!signature) {
    return rejected(
      401,
      `${signatureHeader} is not a ${algorithm.toUpperCase()} HMAC in ${encoding} (${bytes} bytes)`,
    );
  }

  const keys = utf8Keys(secrets);
  if (keys.length === 0) return rejected(401, NO_SECRET_REASON);
  const content = signedContent(rawBody, timestampValue);
  const expected = keys.map((key) => hmac(algorithm, key, ...content));
  if (!matchesAny([signature], expected)) return rejected(401, MISMATCH_REASON);

  return {
    ok: true,
    deliveryId: deliveryIdValue ?? sha256Hex(Buffer.concat(content)),
    timestamp,
  };
}

/**
 * The signature header value a sender configured like `config` would send.
 * `timestamp` is required exactly when the config has a timestampHeader.
 */
export function signHmacHeader(
  secret: string,
  config: HmacHeaderConfigInput,
  body: string | Buffer,
  timestamp?: string,
): string {
  const { algorithm, encoding, prefix, timestampHeader } = hmacHeaderConfigSchema.parse(config);
  if (secret.length === 0) throw new RangeError("secret must not be empty");
  if (timestampHeader && timestamp === undefined) {
    throw new RangeError("timestamp is required when the config has a timestampHeader");
  }
  if (!timestampHeader && timestamp !== undefined) {
    throw new RangeError("timestamp is only signed when the config has a timestampHeader");
  }
  const bytes = typeof body === "string" ? Buffer.from(body) : body;
  const digest = hmac(
    algorithm,
    Buffer.from(secret, "utf8"),
    ...signedContent(bytes, timestamp ?? null),
  );
  return `${prefix ?? ""}${digest.toString(encoding)}`;
}
