import { describe, expect, it } from "vitest";
import { EnvError, parseServerEnv } from "./env";

const valid = { DATABASE_URL: "postgresql://u:p@127.0.0.1:5432/officeflow" };

describe("parseServerEnv", () => {
  it("accepts a complete environment", () => {
    expect(parseServerEnv(valid).DATABASE_URL).toBe(valid.DATABASE_URL);
  });

  it("names a missing DATABASE_URL", () => {
    expect(() => parseServerEnv({})).toThrow(/DATABASE_URL: is required/);
  });

  it("names a malformed DATABASE_URL without echoing its value", () => {
    try {
      parseServerEnv({ DATABASE_URL: "mysql://secret-password@db/x" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(EnvError);
      expect((error as Error).message).toMatch(/DATABASE_URL: must start with postgresql:\/\//);
      expect((error as Error).message).not.toContain("secret-password");
    }
  });

  it("names every malformed variable at once", () => {
    const parse = () =>
      parseServerEnv({
        ...valid,
        OFFICEFLOW_ENCRYPTION_KEYS: "k1:c2hvcnQ=",
        AUTH_SECRET: "tiny",
        NODE_ENV: "prod",
      });
    expect(parse).toThrow(
      /OFFICEFLOW_ENCRYPTION_KEYS: entry 1 of 1 \("k1"\): the key is 5 bytes; it must be 32/,
    );
    expect(parse).toThrow(/AUTH_SECRET: must be at least 32 characters/);
    expect(parse).toThrow(/NODE_ENV: /);
  });

  it("requires AUTH_SECRET and OFFICEFLOW_ENCRYPTION_KEYS in production only", () => {
    const production = () => parseServerEnv({ ...valid, NODE_ENV: "production" });
    expect(production).toThrow(/AUTH_SECRET: is required in production/);
    expect(production).toThrow(/OFFICEFLOW_ENCRYPTION_KEYS: is required in production/);
    expect(parseServerEnv({ ...valid, NODE_ENV: "development" }).NODE_ENV).toBe("development");
    const key = Buffer.alloc(32, 7).toString("base64");
    expect(
      parseServerEnv({
        ...valid,
        NODE_ENV: "production",
        AUTH_SECRET: "a".repeat(32),
        OFFICEFLOW_ENCRYPTION_KEYS: `k2:${key}`,
      }).OFFICEFLOW_ENCRYPTION_KEYS,
    ).toBe(`k2:${key}`);
  });
});
