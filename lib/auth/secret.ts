// next-auth signs session JWTs with this. Production must set AUTH_SECRET
// (lib/env.ts refuses to start without it); development falls back to a
// fixed value so `npm run dev` needs no setup.
const DEVELOPMENT_SECRET = "officeflow-development-only-secret-do-not-use-in-production";

export function authSecret(): string | undefined {
  const secret = process.env.AUTH_SECRET ?? process.env.NEXTAUTH_SECRET;
  if (secret) return secret;
  return process.env.NODE_ENV === "production" ? undefined : DEVELOPMENT_SECRET;
}
