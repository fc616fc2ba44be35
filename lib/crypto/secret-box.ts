import "server-only";
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import { isPrintableKeyId, KEY_RING_VARIABLE, type KeyRing, keyRingFromEnv } from "./key-ring";

// Secrets at rest: AES-256-GCM under a key from the OFFICEFLOW_ENCRYPTION_KEYS
// ring (./key-ring.ts). A sealed secret is { keyId, payload } with
// payload = iv (12 random bytes) ‖ auth tag (16 bytes) ‖ ciphertext.
//
// - AAD binds each blob to its owner (credentials use
//   `credential:<organizationId>:<credentialId>`), so a blob copied into
//   another tenant's or another credential's row fails authentication — the
//   KMS "encryption context" idea.
//   https://docs.aws.amazon.com/kms/latest/developerguide/encrypt_context.html
// - `authTagLength: 16` on every decipher: without it Node 20 accepts a
//   truncated (even 4-byte) tag (DEP0182,
//   https://nodejs.org/api/deprecations.html#DEP0182). The payload layout
//   fixes the tag at 16 bytes as well.
// - Random 96-bit IVs cap one key at 2^32 seals (NIST SP 800-38D §8.3).
//   Secrets are sealed only when saved, far below that; rotating the key
//   starts a fresh budget.
//
// Rotating keys (crypto agility, ASVS 5.0 11.2.2):
//   1. Add the new key FIRST: OFFICEFLOW_ENCRYPTION_KEYS=new:…,old:… and
//      redeploy every instance. New seals use "new"; blobs under "old" still open.
//   2. Rewrite: saving a credential re-seals it under the current key (also when
//      only its name or settings change). The API lists each credential's keyId,
//      so what still uses "old" is visible.
//   3. Remove the old key once nothing uses it, and redeploy. A blob still
//      sealed under it then fails with a clear "unknown key id" error.

const ALGORITHM = "aes-256-gcm";
export const IV_BYTES = 12;
export const TAG_BYTES = 16;

export type SealedSecret = { keyId: string; payload: Buffer };

export type SecretUnavailableReason = "unknown_key" | "malformed" | "failed_authentication";

/**
 * A stored secret cannot be opened. The message says why in general terms
 * (never the AAD, the key or any plaintext), so it is safe in logs, run
 * timelines and API answers.
 */
export class SecretUnavailable extends AppError {
  readonly status = 409;
  readonly code = "secret_unavailable";
  constructor(
    readonly reason: SecretUnavailableReason,
    message: string,
  ) {
    super(message);
    this.name = "SecretUnavailable";
  }
}

export type SecretBox = {
  readonly currentKeyId: string;
  seal(plaintext: string, aad: string): SealedSecret;
  open(sealed: { keyId: string; payload: Uint8Array }, aad: string): string;
  /** True when `keyId` is not the key new secrets are sealed with. */
  needsRotation(keyId: string): boolean;
  /** Opens a blob and seals it again under the current key (fresh IV). */
  reseal(sealed: { keyId: string; payload: Uint8Array }, aad: string): SealedSecret;
};

function assertAad(aad: string) {
  if (typeof aad !== "string" || aad.length === 0)
    throw new TypeError("secret-box: the AAD must name the secret's owner");
}

export function createSecretBox(ring: KeyRing): SecretBox {
  const known = () => [...ring.keys.keys()].join(", ");

  function seal(plaintext: string, aad: string): SealedSecret {
    if (typeof plaintext !== "string")
      throw new TypeError("secret-box: plaintext must be a string");
    assertAad(aad);
    const key = ring.keys.get(ring.currentKeyId) as Buffer;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(aad, "utf8"));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return {
      keyId: ring.currentKeyId,
      payload: Buffer.concat([iv, cipher.getAuthTag(), ciphertext]),
    };
  }

  function open(sealed: { keyId: string; payload: Uint8Array }, aad: string): string {
    assertAad(aad);
    const key = ring.keys.get(sealed.keyId);
    if (!key) {
      const name = isPrintableKeyId(sealed.keyId) ? `"${sealed.keyId}"` : "an unreadable key id";
      throw new SecretUnavailable(
        "unknown_key",
        `The secret was sealed with key ${name}, which is not in ${KEY_RING_VARIABLE} (configured: ${known()}).`,
      );
    }
    if (!(sealed.payload instanceof Uint8Array) || sealed.payload.length < IV_BYTES + TAG_BYTES) {
      throw new SecretUnavailable("malformed", "The stored secret is malformed or truncated.");
    }
    const payload = Buffer.from(
      sealed.payload.buffer,
      sealed.payload.byteOffset,
      sealed.payload.length,
    );
    const iv = payload.subarray(0, IV_BYTES);
    const tag = payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
    const ciphertext = payload.subarray(IV_BYTES + TAG_BYTES);
    try {
      const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
      decipher.setAuthTag(tag);
      decipher.setAAD(Buffer.from(aad, "utf8"));
      return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
    } catch {
      // Node's own message ("Unsupported state or unable to authenticate data") says no more.
      throw new SecretUnavailable(
        "failed_authentication",
        "The stored secret failed authentication: it was altered, or it belongs to another owner.",
      );
    }
  }

  return {
    currentKeyId: ring.currentKeyId,
    seal,
    open,
    needsRotation: (keyId) => keyId !== ring.currentKeyId,
    reseal: (sealed, aad) => seal(open(sealed, aad), aad),
  };
}

// The app's box, from the environment; rebuilt if the variable changes (tests).
let cached: { source: string; box: SecretBox } | undefined;

function envSecretBox(): SecretBox {
  const source = `${process.env.NODE_ENV}\n${process.env[KEY_RING_VARIABLE] ?? ""}`;
  if (cached?.source !== source) {
    cached = { source, box: createSecretBox(keyRingFromEnv(process.env)) };
  }
  return cached.box;
}

/** Seals `plaintext` under the current key, bound to `aad` (who owns it). */
export function sealSecret(plaintext: string, aad: string): SealedSecret {
  return envSecretBox().seal(plaintext, aad);
}

/** Opens a sealed secret; throws SecretUnavailable for an unknown key, a bad blob or a wrong AAD. */
export function openSecret(sealed: { keyId: string; payload: Uint8Array }, aad: string): string {
  return envSecretBox().open(sealed, aad);
}

export function needsRotation(keyId: string): boolean {
  return envSecretBox().needsRotation(keyId);
}

export function resealSecret(
  sealed: { keyId: string; payload: Uint8Array },
  aad: string,
): SealedSecret {
  return envSecretBox().reseal(sealed, aad);
}
