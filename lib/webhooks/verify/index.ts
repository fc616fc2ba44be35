import { verifyBambooHr } from "./bamboohr";
import { hmacHeaderConfigSchema, verifyHmacHeader } from "./hmac-header";
import { verifyStandardWebhook } from "./standard-webhooks";
import type { IncomingDelivery, VerifyResult } from "./types";

// The registry of signature schemes, one per WebhookEndpoint.sourceType.
// Adding a scheme is a module beside these and one line here (and a value in
// the Prisma enum; verify/index.test.ts fails until both agree).

/** The Prisma enum WebhookSourceType. */
export type WebhookSourceType = "standard_webhooks" | "bamboohr" | "hmac_header";

const SIGNATURE_SETTING_KEYS = Object.keys(hmacHeaderConfigSchema.shape);

/**
 * The signature settings out of a stored WebhookEndpoint.config, which also
 * holds settings other layers own (lib/webhooks/sources.ts: mapping,
 * eventTypes). The rest is parsed strictly; a stored config that no longer
 * parses throws (ZodError): it was validated when saved, so that is our
 * fault, not the sender's, and a 5xx makes the sender retry once it is fixed.
 */
function signatureSettings(config: unknown): unknown {
  if (typeof config !== "object" || config === null || Array.isArray(config)) return config;
  return Object.fromEntries(
    Object.entries(config).filter(([key]) => SIGNATURE_SETTING_KEYS.includes(key)),
  );
}

type Verifier = (
  delivery: IncomingDelivery,
  secrets: readonly string[],
  config: unknown,
) => VerifyResult;

export const VERIFIERS: Readonly<Record<WebhookSourceType, Verifier>> = {
  standard_webhooks: (delivery, secrets) => verifyStandardWebhook(delivery, secrets),
  bamboohr: (delivery, secrets) => verifyBambooHr(delivery, secrets),
  hmac_header: (delivery, secrets, config) =>
    verifyHmacHeader(delivery, secrets, hmacHeaderConfigSchema.parse(signatureSettings(config))),
};

/**
 * Verifies a delivery by its endpoint's source type. `secrets` are the
 * endpoint's current secret and, during a rotation overlap, the previous one;
 * `config` is WebhookEndpoint.config (used by hmac_header only).
 */
export function verifyDelivery(
  source: WebhookSourceType,
  delivery: IncomingDelivery,
  secrets: readonly string[],
  config: unknown,
): VerifyResult {
  const verify = VERIFIERS[source];
  if (!verify) throw new TypeError(`unknown webhook source type: ${String(source)}`);
  return verify(delivery, secrets, config);
}
