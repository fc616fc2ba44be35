import "server-only";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import {
  findUserByEmail,
  findUserForExternalAccount,
  linkExternalAccount,
} from "@/lib/db/accounts";
import { consumeRateLimit, resetRateLimit } from "@/lib/db/rate-limit";

// Password sign-in with the same work, and the same answer, whether or not
// the account exists; attempts are limited per account and per IP address
// (in Postgres, so the limit holds across app instances).

export const SIGN_IN_LIMITS = {
  perAccount: { limit: 10, windowSeconds: 15 * 60 },
  perIp: { limit: 50, windowSeconds: 15 * 60 },
};

let dummyHash: Promise<string> | undefined;

export async function signInWithPassword(
  email: string,
  password: string,
  meta: { ip: string | null; userAgent: string | null },
): Promise<{ id: string; email: string; name: string | null } | null> {
  const normalised = email.trim().toLowerCase();
  // Per-address limits need a real client address (X-Forwarded-For from the proxy); per-account ones always apply.
  if (meta.ip) await consumeRateLimit(`sign-in:ip:${meta.ip}`, SIGN_IN_LIMITS.perIp);
  await consumeRateLimit(`sign-in:account:${normalised}`, SIGN_IN_LIMITS.perAccount);
  const user = normalised && password ? await findUserByEmail(normalised) : null;
  // Verify against a throwaway hash when there is no user, so timing does not reveal which emails exist.
  dummyHash ??= hashPassword("officeflow-timing-equaliser");
  const valid = await verifyPassword(user?.passwordHash ?? (await dummyHash), password);
  if (!user?.passwordHash || !valid) return null;
  // Only failures should use up the account's allowance.
  await resetRateLimit(`sign-in:account:${normalised}`);
  return { id: user.id, email: user.email, name: user.name };
}

export async function userForExternalIdentity(input: {
  provider: string;
  providerAccountId: string;
  email: string;
  name: string | null;
}) {
  const existing = await findUserForExternalAccount(input.provider, input.providerAccountId);
  return existing?.user ?? linkExternalAccount(input);
}
