import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { DEVELOPMENT_KEY_ID, KeyRingError, keyRingFromEnv, parseKeyRing } from "./key-ring";

const key = () => randomBytes(32).toString("base64");

function problemsOf(value: string, options?: { production?: boolean }): string[] {
  try {
    parseKeyRing(value, options);
  } catch (error) {
    expect(error).toBeInstanceOf(KeyRingError);
    return (error as KeyRingError).problems;
  }
  throw new Error("expected the key ring to be refused");
}

describe("the encryption key ring", () => {
  it("seals with the first key and keeps every key for opening", () => {
    const ring = parseKeyRing(`k2:${key()}, k1:${key()}`);
    expect(ring.currentKeyId).toBe("k2");
    expect([...ring.keys.keys()]).toEqual(["k2", "k1"]);
    expect(ring.keys.get("k1")?.length).toBe(32);
  });

  it("names each malformed entry, and never echoes key material", () => {
    const short = randomBytes(16).toString("base64");
    const material = key();
    const problems = problemsOf(
      [
        `good:${key()}`,
        "",
        material,
        `k3:${short}`,
        "bad id!:abc",
        `k5:${material}x`,
        `good:${key()}`,
      ].join(","),
    );
    expect(problems).toEqual([
      "entry 2 of 7 is empty (remove the extra comma)",
      "entry 3 of 7 has no key id; write it as keyId:base64key",
      'entry 4 of 7 ("k3"): the key is 16 bytes; it must be 32 (openssl rand -base64 32)',
      expect.stringMatching(/^entry 5 of 7 has an invalid key id/),
      'entry 6 of 7 ("k5"): the key is not standard base64',
      'entry 7 of 7 ("good") repeats a key id; each key needs its own id',
    ]);
    const message = new KeyRingError(problems).message;
    expect(message).toMatch(/^OFFICEFLOW_ENCRYPTION_KEYS: /);
    expect(message).not.toContain(material);
    expect(message).not.toContain(short);
    expect(message).not.toContain("bad id!");
  });

  it("is required in production, and there refuses the public development key", () => {
    expect(() => keyRingFromEnv({ NODE_ENV: "production" })).toThrow(
      "OFFICEFLOW_ENCRYPTION_KEYS: is required in production",
    );
    expect(() =>
      keyRingFromEnv({ NODE_ENV: "production", OFFICEFLOW_ENCRYPTION_KEYS: "" }),
    ).toThrow(/is required in production/);
    const development = keyRingFromEnv({ NODE_ENV: "development" });
    const devKey = development.keys.get(DEVELOPMENT_KEY_ID)?.toString("base64");
    expect(() =>
      keyRingFromEnv({ NODE_ENV: "production", OFFICEFLOW_ENCRYPTION_KEYS: `prod:${devKey}` }),
    ).toThrow('entry 1 of 1 ("prod") is the public development key; generate a real one');
    expect(
      keyRingFromEnv({ NODE_ENV: "production", OFFICEFLOW_ENCRYPTION_KEYS: `prod:${key()}` })
        .currentKeyId,
    ).toBe("prod");
  });

  it("falls back to the labelled development key, id dev, outside production", () => {
    for (const NODE_ENV of ["development", "test", undefined]) {
      const ring = keyRingFromEnv({ NODE_ENV });
      expect(ring.currentKeyId).toBe("dev");
      expect([...ring.keys.keys()]).toEqual(["dev"]);
    }
    expect(
      keyRingFromEnv({ NODE_ENV: "test", OFFICEFLOW_ENCRYPTION_KEYS: `t1:${key()}` }).currentKeyId,
    ).toBe("t1");
  });
});
