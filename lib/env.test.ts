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
      parseServerEnv({ ...valid, ENCRYPTION_KEY: "short", AUTH_SECRET: "tiny", NODE_ENV: "prod" });
    expect(parse).toThrow(/ENCRYPTION_KEY: must be 32 bytes, base64-encoded/);
    expect(parse).toThrow(/AUTH_SECRET: must be at least 32 characters/);
    expect(parse).toThrow(/NODE_ENV: /);
  });
});
