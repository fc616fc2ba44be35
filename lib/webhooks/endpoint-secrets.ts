import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { maskSecret } from "@/lib/credentials/kinds";
import {
  openSecret,
  type SealedSecret,
  SecretUnavailable,
  sealSecret,
} from "@/lib/crypto/secret-box";
import type { WebhookEndpoint, WebhookSourceType } from "@/lib/generated/prisma/client";

// A webhook endpoint's signing secret. Unlike an API key it cannot be stored
// as a hash: verifying an HMAC needs the secret itself, so it is sealed like
// a credential (AES-256-GCM, lib/crypto/secret-box.ts) with an AAD that binds
// the blob to its organisation and endpoint. It is shown in clear once — in
// the answer to the create or rotate request that produced it — and only a
// masked hint afterwards.

const SECRET_BYTES = 32;
/** Standard Webhooks: "whsec_" + base64 of 24–64 random bytes (spec, "Symmetric"). */
const STANDARD_WEBHOOKS_PREFIX = "whsec_";

/** The AAD of an endpoint's sealed secret (current and previous alike). */
export function webhookEndpointAad(organizationId: string, endpointId: string): string {
  return `webhook-endpoint:${organizationId}:${endpointId}`;
}

/**
 * A fresh secret for an endpoint of `sourceType`.
 * - standard_webhooks: `whsec_` + base64 of 32 random bytes, the form the spec
 *   prescribes and senders' libraries expect
 *   (https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md).
 * - bamboohr, hmac_header: 32 random bytes as 64 hex characters, which any
 *   sender's settings field accepts. BambooHR makes its own key (on its
 *   webhook page, or in the answer that creates a permissioned webhook), so
 *   for BambooHR the admin normally pastes that key instead.
 */
export function generateEndpointSecret(sourceType: WebhookSourceType): string {
  const bytes = randomBytes(SECRET_BYTES);
  return sourceType === "standard_webhooks"
    ? `${STANDARD_WEBHOOKS_PREFIX}${bytes.toString("base64")}`
    : bytes.toString("hex");
}

const PRINTABLE = /^[\x21-\x7e]+$/;

const pastedSecret = z
  .string({ error: "must be a string" })
  .trim()
  .min(16, "must be at least 16 characters")
  .max(512, "must be at most 512 characters")
  .regex(PRINTABLE, "must be printable ASCII without spaces");

const standardWebhooksSecret = z
  .string({ error: "must be a string" })
  .trim()
  .refine((value) => {
    const body = value.slice(STANDARD_WEBHOOKS_PREFIX.length);
    if (!value.startsWith(STANDARD_WEBHOOKS_PREFIX) || !/^[A-Za-z0-9+/]+={0,2}$/.test(body))
      return false;
    const bytes = Buffer.from(body, "base64").length;
    return bytes >= 24 && bytes <= 64;
  }, "must be whsec_ followed by the base64 of 24 to 64 bytes (leave it empty and OfficeFlow generates one)");

/** A secret the admin pastes (the sender made it) instead of letting OfficeFlow generate one. */
export function pastedSecretSchema(sourceType: WebhookSourceType) {
  return sourceType === "standard_webhooks" ? standardWebhooksSecret : pastedSecret;
}

export function sealEndpointSecret(
  organizationId: string,
  endpointId: string,
  secret: string,
): SealedSecret {
  return sealSecret(secret, webhookEndpointAad(organizationId, endpointId));
}

export function openEndpointSecret(
  endpoint: Pick<WebhookEndpoint, "id" | "organizationId">,
  sealed: { keyId: string; payload: Uint8Array },
): string {
  return openSecret(sealed, webhookEndpointAad(endpoint.organizationId, endpoint.id));
}

/** "whsec_…a1b2": what the settings page shows to tell secrets apart. */
export function endpointSecretHint(secret: string): string {
  return maskSecret(secret);
}

export type EndpointWithSecrets = Pick<
  WebhookEndpoint,
  | "id"
  | "organizationId"
  | "secretKeyId"
  | "encryptedSecret"
  | "previousSecretKeyId"
  | "previousEncryptedSecret"
  | "previousSecretExpiresAt"
>;

/** An endpoint's secrets in clear: the current one, and the one it replaced while that still verifies. */
export type OpenedEndpointSecrets = {
  current: string;
  previous: { secret: string; expiresAt: Date } | null;
};

/**
 * Opens an endpoint's secrets for verifying deliveries: the current one, and
 * the one it replaced with the end of its overlap window. Which of them apply
 * to a delivery is decided at the delivery's own time (verificationSecretsAt),
 * so opened secrets may be kept for a few seconds (./endpoint-cache.ts).
 *
 * The current secret failing to open throws SecretUnavailable (nothing can be
 * verified; the delivery must not be accepted). A previous secret that fails
 * to open (its key was taken out of the ring early) is left out rather than
 * blocking deliveries signed with the current one.
 */
export function openEndpointSecrets(endpoint: EndpointWithSecrets): OpenedEndpointSecrets {
  const current = openEndpointSecret(endpoint, {
    keyId: endpoint.secretKeyId,
    payload: endpoint.encryptedSecret,
  });
  let previous: OpenedEndpointSecrets["previous"] = null;
  if (
    endpoint.previousEncryptedSecret &&
    endpoint.previousSecretKeyId &&
    endpoint.previousSecretExpiresAt
  ) {
    try {
      previous = {
        secret: openEndpointSecret(endpoint, {
          keyId: endpoint.previousSecretKeyId,
          payload: endpoint.previousEncryptedSecret,
        }),
        expiresAt: endpoint.previousSecretExpiresAt,
      };
    } catch (error) {
      if (!(error instanceof SecretUnavailable)) throw error;
    }
  }
  return { current, previous };
}

/**
 * The secrets a delivery may be signed with at `now`: the current one, then
 * the one it replaced while that is inside its overlap window — so a sender
 * still signing with the old secret (or signing with both, as Standard
 * Webhooks senders do during a rotation) keeps being accepted until the
 * window closes. The ingest route verifies against each.
 */
export function verificationSecretsAt(opened: OpenedEndpointSecrets, now: Date): string[] {
  return opened.previous && opened.previous.expiresAt.getTime() > now.getTime()
    ? [opened.current, opened.previous.secret]
    : [opened.current];
}

/** openEndpointSecrets and verificationSecretsAt in one step. */
export function endpointVerificationSecrets(
  endpoint: EndpointWithSecrets,
  now: Date = new Date(),
): string[] {
  return verificationSecretsAt(openEndpointSecrets(endpoint), now);
}
