import { createHash, timingSafeEqual } from "node:crypto";

// The encryption key ring, read from OFFICEFLOW_ENCRYPTION_KEYS:
// comma-separated `keyId:base64key` entries, each key 32 random bytes
// (`openssl rand -base64 32`). The first entry seals; every entry opens.
//
// This module only parses and validates (no "server-only" marker), so that
// lib/env.ts can name a malformed entry at start-up from plain Node scripts
// too. Sealing and opening live in ./secret-box.ts, which is server-only.
// Error messages name the entry and its key id, never any key material.

export const KEY_RING_VARIABLE = "OFFICEFLOW_ENCRYPTION_KEYS";
export const KEY_BYTES = 32;

export type KeyRing = {
  /** The key id new secrets are sealed with (the first entry). */
  readonly currentKeyId: string;
  readonly keys: ReadonlyMap<string, Buffer>;
};

/** Fits the `keyId` columns (VarChar(64)) and is safe to print. */
const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** Key ids come from our own env or rows; print one only if it looks like a key id. */
export function isPrintableKeyId(value: unknown): value is string {
  return typeof value === "string" && KEY_ID.test(value);
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export const DEVELOPMENT_KEY_ID = "dev";
// PUBLIC, NOT A SECRET: derived from a string in this file so `npm run dev`
// and the tests work with no configuration. Anyone with the source can
// decrypt what it sealed, so production refuses to use it (keyRingFromEnv).
const DEVELOPMENT_KEY = createHash("sha256")
  .update("officeflow-development-only-encryption-key-public-never-use-in-production")
  .digest();

export class KeyRingError extends Error {
  constructor(readonly problems: string[]) {
    super(`${KEY_RING_VARIABLE}: ${problems.join("; ")}`);
    this.name = "KeyRingError";
  }
}

function isDevelopmentKey(key: Buffer): boolean {
  return key.length === DEVELOPMENT_KEY.length && timingSafeEqual(key, DEVELOPMENT_KEY);
}

/** Parses `keyId:base64key[,keyId:base64key…]`; the error lists every bad entry. */
export function parseKeyRing(value: string, { production = false } = {}): KeyRing {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  const entries = value.split(",");
  for (const [index, raw] of entries.entries()) {
    const entry = raw.trim();
    const where = `entry ${index + 1} of ${entries.length}`;
    if (entry === "") {
      problems.push(`${where} is empty (remove the extra comma)`);
      continue;
    }
    const colon = entry.indexOf(":");
    if (colon === -1) {
      problems.push(`${where} has no key id; write it as keyId:base64key`);
      continue;
    }
    const keyId = entry.slice(0, colon).trim();
    const encoded = entry.slice(colon + 1).trim();
    if (!KEY_ID.test(keyId)) {
      problems.push(
        `${where} has an invalid key id; use 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit`,
      );
      continue;
    }
    const named = `${where} ("${keyId}")`;
    if (keys.has(keyId)) {
      problems.push(`${named} repeats a key id; each key needs its own id`);
      continue;
    }
    if (!BASE64.test(encoded)) {
      problems.push(`${named}: the key is not standard base64`);
      continue;
    }
    const key = Buffer.from(encoded, "base64");
    if (key.length !== KEY_BYTES) {
      problems.push(
        `${named}: the key is ${key.length} bytes; it must be ${KEY_BYTES} (openssl rand -base64 32)`,
      );
      continue;
    }
    if (production && isDevelopmentKey(key)) {
      problems.push(`${named} is the public development key; generate a real one`);
      continue;
    }
    keys.set(keyId, key);
  }
  if (problems.length > 0) throw new KeyRingError(problems);
  const [currentKeyId] = keys.keys();
  if (!currentKeyId) throw new KeyRingError(["is empty"]);
  return { currentKeyId, keys };
}

/**
 * The ring the app uses. Unset (or empty) in development and tests: the
 * public development key, id "dev". Unset in production: an error (lib/env.ts
 * also refuses to start without it).
 */
export function keyRingFromEnv(env: Record<string, string | undefined>): KeyRing {
  const value = env[KEY_RING_VARIABLE];
  const production = env.NODE_ENV === "production";
  if (value && value.trim() !== "") return parseKeyRing(value, { production });
  if (production) throw new KeyRingError(["is required in production"]);
  return {
    currentKeyId: DEVELOPMENT_KEY_ID,
    keys: new Map([[DEVELOPMENT_KEY_ID, DEVELOPMENT_KEY]]),
  };
}
