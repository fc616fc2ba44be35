import { createHash, randomBytes } from "node:crypto";

// ULIDs (https://github.com/ulid/spec): 48-bit millisecond time + 80 bits of
// entropy, Crockford base32. Inngest derives event ids from the SDK's
// `X-Inngest-Event-Id-Seed: <millis>,<base64 10 bytes>` header, adding the
// event's index to the entropy, so an SDK retry of the same send yields the
// same ids (inngest/inngest pkg/event/id.go).
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

function encode(time: number, entropy: Buffer): string {
  let out = "";
  let t = time;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[t % 32] + out;
    t = Math.floor(t / 32);
  }
  // 80 bits of entropy -> 16 base32 characters.
  let bits = 0n;
  for (const byte of entropy) bits = (bits << 8n) | BigInt(byte);
  let tail = "";
  for (let i = 0; i < 16; i++) {
    tail = ALPHABET[Number(bits & 31n)] + tail;
    bits >>= 5n;
  }
  return out + tail;
}

export function ulid(time = Date.now()): string {
  return encode(time, randomBytes(10));
}

export type EventIdSeed = { millis: number; entropy: Buffer };

export function parseEventIdSeed(header: string | undefined | null): EventIdSeed | undefined {
  if (!header) return undefined;
  const [millisText, entropyText] = header.split(",");
  const millis = Number(millisText);
  const entropy = Buffer.from(entropyText ?? "", "base64");
  if (!Number.isSafeInteger(millis) || millis <= 0 || entropy.length !== 10) return undefined;
  return { millis, entropy };
}

export function seededUlid(seed: EventIdSeed, index: number): string {
  let value = 0n;
  for (const byte of seed.entropy) value = (value << 8n) | BigInt(byte);
  value = (value + BigInt(index)) & ((1n << 80n) - 1n);
  const entropy = Buffer.alloc(10);
  for (let i = 9; i >= 0; i--) {
    entropy[i] = Number(value & 255n);
    value >>= 8n;
  }
  return encode(seed.millis, entropy);
}

/** The SDK's step id hashing: sha1 hex of the user's step id. */
export function sha1Hex(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}
