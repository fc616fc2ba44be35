import { createDecipheriv, randomBytes } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { keyRingFromEnv, parseKeyRing } from "./key-ring";
import {
  createSecretBox,
  IV_BYTES,
  needsRotation,
  openSecret,
  resealSecret,
  SecretUnavailable,
  sealSecret,
  TAG_BYTES,
} from "./secret-box";

// RELIABILITY K2 (a blob is bound to its owner), K3 (tamper, short tag,
// nonce reuse) and K4 (rotation) at the level of the box itself.

const key = () => randomBytes(32).toString("base64");
const PLAINTEXT = "xoxb-1234567890-very-secret-token";
const AAD = "credential:org-a:cred-1";

function refusal(open: () => unknown): SecretUnavailable {
  try {
    open();
  } catch (error) {
    expect(error).toBeInstanceOf(SecretUnavailable);
    const refused = error as SecretUnavailable;
    for (const secretish of [PLAINTEXT, AAD, "org-a", "cred-1"])
      expect(refused.message).not.toContain(secretish);
    return refused;
  }
  throw new Error("expected the secret to be refused");
}

const originalKeys = process.env.OFFICEFLOW_ENCRYPTION_KEYS;
afterEach(() => {
  if (originalKeys === undefined) delete process.env.OFFICEFLOW_ENCRYPTION_KEYS;
  else process.env.OFFICEFLOW_ENCRYPTION_KEYS = originalKeys;
});

describe("the secret box", () => {
  const rawKey = randomBytes(32);
  const box = createSecretBox(parseKeyRing(`k1:${rawKey.toString("base64")}`));

  it("round-trips a secret, with a 12-byte IV and a 16-byte tag before the ciphertext", () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    expect(sealed.keyId).toBe("k1");
    expect(sealed.payload.length).toBe(IV_BYTES + TAG_BYTES + Buffer.byteLength(PLAINTEXT));
    expect(sealed.payload.toString("latin1")).not.toContain(PLAINTEXT);
    expect(box.open(sealed, AAD)).toBe(PLAINTEXT);
    expect(box.open(box.seal("", AAD), AAD)).toBe("");
    expect(box.open(box.seal("päßwörd ✓", AAD), AAD)).toBe("päßwörd ✓");
  });

  it("opens a payload read back as a plain Uint8Array view (as Prisma returns Bytes)", () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    const padded = new Uint8Array(sealed.payload.length + 8);
    padded.set(sealed.payload, 8);
    expect(box.open({ keyId: "k1", payload: padded.subarray(8) }, AAD)).toBe(PLAINTEXT);
  });

  it("refuses the blob under another organisation's or another credential's AAD", () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    for (const other of ["credential:org-b:cred-1", "credential:org-a:cred-2", `${AAD} `]) {
      expect(refusal(() => box.open(sealed, other)).reason).toBe("failed_authentication");
    }
  });

  it("refuses a blob with any one bit flipped (IV, tag or ciphertext)", () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    for (const byte of [0, IV_BYTES + 3, sealed.payload.length - 1]) {
      const tampered = Buffer.from(sealed.payload);
      tampered[byte] = (tampered[byte] as number) ^ 0x01;
      expect(refusal(() => box.open({ keyId: "k1", payload: tampered }, AAD)).reason).toBe(
        "failed_authentication",
      );
    }
  });

  it("refuses a tag truncated to 4 bytes, which Node alone would accept", () => {
    const sealed = box.seal(PLAINTEXT, AAD);
    const iv = sealed.payload.subarray(0, IV_BYTES);
    const shortTag = sealed.payload.subarray(IV_BYTES, IV_BYTES + 4);
    const ciphertext = sealed.payload.subarray(IV_BYTES + TAG_BYTES);
    // The Node pitfall (DEP0182): with no authTagLength, a 4-byte prefix of the tag authenticates.
    const lax = createDecipheriv("aes-256-gcm", rawKey, iv);
    lax.setAuthTag(shortTag);
    lax.setAAD(Buffer.from(AAD));
    expect(Buffer.concat([lax.update(ciphertext), lax.final()]).toString()).toBe(PLAINTEXT);

    const truncated = Buffer.concat([iv, shortTag, ciphertext]);
    expect(refusal(() => box.open({ keyId: "k1", payload: truncated }, AAD)).reason).toBe(
      "failed_authentication",
    );
    const onlyShortTag = Buffer.concat([iv, shortTag]);
    expect(refusal(() => box.open({ keyId: "k1", payload: onlyShortTag }, AAD)).reason).toBe(
      "malformed",
    );
  });

  it("never repeats an IV across 10,000 seals", () => {
    const ivs = new Set<string>();
    for (let i = 0; i < 10_000; i++)
      ivs.add(box.seal(PLAINTEXT, AAD).payload.subarray(0, IV_BYTES).toString("hex"));
    expect(ivs.size).toBe(10_000);
  });
});

describe("key rotation", () => {
  it("opens blobs sealed under an old key, re-seals them under the new one, and refuses retired keys clearly", () => {
    const oldKey = key();
    const newKey = key();
    const before = createSecretBox(parseKeyRing(`old:${oldKey}`));
    const sealedOld = before.seal(PLAINTEXT, AAD);

    const during = createSecretBox(parseKeyRing(`new:${newKey},old:${oldKey}`));
    expect(during.open(sealedOld, AAD)).toBe(PLAINTEXT);
    expect(during.needsRotation(sealedOld.keyId)).toBe(true);
    const resealed = during.reseal(sealedOld, AAD);
    expect(resealed.keyId).toBe("new");
    expect(during.needsRotation(resealed.keyId)).toBe(false);
    expect(during.open(resealed, AAD)).toBe(PLAINTEXT);

    const after = createSecretBox(parseKeyRing(`new:${newKey}`));
    expect(after.open(resealed, AAD)).toBe(PLAINTEXT);
    const retired = refusal(() => after.open(sealedOld, AAD));
    expect(retired.reason).toBe("unknown_key");
    expect(retired.message).toBe(
      'The secret was sealed with key "old", which is not in OFFICEFLOW_ENCRYPTION_KEYS (configured: new).',
    );
    expect(
      refusal(() => after.open({ keyId: "x\n<b>", payload: resealed.payload }, AAD)).message,
    ).toMatch(/an unreadable key id/);
  });

  it("the app's box follows OFFICEFLOW_ENCRYPTION_KEYS, and uses the dev key when it is unset", () => {
    delete process.env.OFFICEFLOW_ENCRYPTION_KEYS;
    const dev = sealSecret(PLAINTEXT, AAD);
    expect(dev.keyId).toBe("dev");

    process.env.OFFICEFLOW_ENCRYPTION_KEYS = `k9:${key()},dev:${developmentKey()}`;
    expect(needsRotation(dev.keyId)).toBe(true);
    expect(openSecret(dev, AAD)).toBe(PLAINTEXT);
    const rotated = resealSecret(dev, AAD);
    expect(rotated.keyId).toBe("k9");
    expect(openSecret(rotated, AAD)).toBe(PLAINTEXT);
  });
});

function developmentKey(): string {
  return (keyRingFromEnv({ NODE_ENV: "test" }).keys.get("dev") as Buffer).toString("base64");
}
