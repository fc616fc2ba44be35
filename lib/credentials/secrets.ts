import "server-only";
import { openSecret, SecretUnavailable } from "@/lib/crypto/secret-box";
import { forOrg } from "@/lib/db/tenant";
import { NotFound, ValidationFailed } from "@/lib/errors";
import { credentialAad } from "./aad";
import {
  type CredentialKind,
  type CredentialSecret,
  type CredentialSettings,
  credentialKind,
  isCredentialKind,
} from "./kinds";
import { storedMetadata } from "./service";

// The one place a credential's secret is decrypted, for workflow steps only:
// call it inside the step that uses the secret and never return the secret
// from the step (step outputs are persisted). Redact with
// credentialSecretValues() before anything reaches an error, a log or a timeline.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type CredentialForStep<K extends CredentialKind> = {
  [P in K]: {
    id: string;
    name: string;
    kind: P;
    secret: CredentialSecret<P>;
    settings: CredentialSettings<P>;
  };
}[K];

/**
 * Decrypts `credentialId` of `organizationId` for a node that accepts
 * `allowedKinds`. Another organisation's id is NotFound (the query is
 * tenant-scoped; the AAD check is the second wall), a credential of another
 * kind is refused before anything is decrypted (RELIABILITY S3), and a blob
 * that does not belong to this row throws SecretUnavailable.
 */
export async function readCredentialSecret<K extends CredentialKind>(
  organizationId: string,
  credentialId: string,
  allowedKinds: readonly K[],
): Promise<CredentialForStep<K>> {
  if (allowedKinds.length === 0)
    throw new TypeError("readCredentialSecret: name the allowed kinds");
  if (typeof credentialId !== "string" || !UUID.test(credentialId))
    throw new NotFound("Credential");
  const row = await forOrg(organizationId).credential.findUnique({
    where: { id: credentialId },
    select: {
      id: true,
      name: true,
      kind: true,
      keyId: true,
      encryptedPayload: true,
      metadata: true,
    },
  });
  if (!row) throw new NotFound("Credential");
  if (!isCredentialKind(row.kind) || !(allowedKinds as readonly string[]).includes(row.kind)) {
    throw new ValidationFailed([
      {
        field: "credentialId",
        message: `credential "${row.name}" is a ${row.kind} credential; this node needs one of: ${allowedKinds.join(", ")}`,
      },
    ]);
  }
  const kind = credentialKind(row.kind);
  const plaintext = openSecret(
    { keyId: row.keyId, payload: row.encryptedPayload },
    credentialAad(organizationId, row.id),
  );
  // Neither JSON.parse's nor zod's message may carry the plaintext onwards.
  let secret: unknown;
  try {
    secret = kind.secretSchema.parse(JSON.parse(plaintext));
  } catch {
    throw new SecretUnavailable("malformed", "The stored secret is not in the expected form.");
  }
  const settings = kind.settingsSchema.safeParse(storedMetadata(row.metadata).settings);
  if (!settings.success)
    throw new ValidationFailed([
      {
        field: "credentialId",
        message: `credential "${row.name}" has invalid settings; edit it in Settings → Credentials`,
      },
    ]);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    secret,
    settings: settings.data,
  } as CredentialForStep<K>;
}

/**
 * Every value a caller must redact from errors and logs: each secret field,
 * longest first, plus derived forms sent on the wire (HTTP basic's base64).
 */
export function credentialSecretValues(secret: Record<string, unknown>): string[] {
  const values = Object.values(secret).filter(
    (value): value is string => typeof value === "string" && value.length > 0,
  );
  if (typeof secret.username === "string" && typeof secret.password === "string") {
    values.push(Buffer.from(`${secret.username}:${secret.password}`).toString("base64"));
  }
  return [...new Set(values)].sort((a, b) => b.length - a.length);
}
