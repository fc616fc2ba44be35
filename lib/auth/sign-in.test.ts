import { describe, expect, it } from "vitest";
import { hashPassword } from "@/lib/auth/password";
import { RateLimited } from "@/lib/errors";
import { testDatabase } from "@/test/support/database";
import { SIGN_IN_LIMITS, signInWithPassword } from "./sign-in";

// These tests stand in for a proxy that sets X-Forwarded-For.
process.env.TRUST_PROXY = "1";
const prisma = testDatabase();
const meta = (ip: string) => ({ ip, userAgent: "test" });

describe("signInWithPassword", () => {
  it("accepts the right password, case-insensitively on the email", async () => {
    await prisma.user.create({
      data: {
        email: "ana@example.test",
        name: "Ana",
        passwordHash: await hashPassword("a long enough secret"),
      },
    });
    const user = await signInWithPassword(
      "Ana@Example.test",
      "a long enough secret",
      meta("192.0.2.1"),
    );
    expect(user?.email).toBe("ana@example.test");
  });

  it("answers a wrong password and an unknown email the same way", async () => {
    await prisma.user.create({
      data: { email: "ben@example.test", passwordHash: await hashPassword("a long enough secret") },
    });
    expect(
      await signInWithPassword("ben@example.test", "wrong password", meta("192.0.2.2")),
    ).toBeNull();
    expect(
      await signInWithPassword("nobody@example.test", "wrong password", meta("192.0.2.2")),
    ).toBeNull();
  });

  it("refuses a user with no password (OAuth-only) without error", async () => {
    await prisma.user.create({ data: { email: "oauth@example.test" } });
    expect(
      await signInWithPassword("oauth@example.test", "anything at all", meta("192.0.2.3")),
    ).toBeNull();
  });

  it("throttles an account after too many attempts, from any address", async () => {
    await prisma.user.create({
      data: {
        email: "cara@example.test",
        passwordHash: await hashPassword("a long enough secret"),
      },
    });
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount.limit; i++) {
      await signInWithPassword("cara@example.test", "wrong", meta(`198.51.100.${i}`));
    }
    const attempt = signInWithPassword(
      "cara@example.test",
      "a long enough secret",
      meta("198.51.100.200"),
    );
    await expect(attempt).rejects.toBeInstanceOf(RateLimited);
    await expect(attempt).rejects.toMatchObject({ retryAfterSeconds: expect.any(Number) });
  });

  it("lets the user in again once the window has passed", async () => {
    await prisma.user.create({
      data: { email: "dev@example.test", passwordHash: await hashPassword("a long enough secret") },
    });
    for (let i = 0; i <= SIGN_IN_LIMITS.perAccount.limit; i++) {
      await signInWithPassword("dev@example.test", "wrong", meta("192.0.2.9")).catch(
        () => undefined,
      );
    }
    await prisma.rateLimitBucket.updateMany({ data: { expiresAt: new Date(Date.now() - 1_000) } });
    expect(
      await signInWithPassword("dev@example.test", "a long enough secret", meta("192.0.2.9")),
    ).not.toBeNull();
  });

  it("does not count successful sign-ins against the account", async () => {
    await prisma.user.create({
      data: { email: "eve@example.test", passwordHash: await hashPassword("a long enough secret") },
    });
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount.limit + 3; i++) {
      expect(
        await signInWithPassword(
          "eve@example.test",
          "a long enough secret",
          meta(`192.0.2.${100 + i}`),
        ),
      ).not.toBeNull();
    }
  });
});
