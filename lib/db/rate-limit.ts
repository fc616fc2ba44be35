import "server-only";
import { db } from "@/lib/db/client";
import { RateLimited } from "@/lib/errors";

// Fixed-window counters in Postgres, so every app instance shares them.

export type RateLimitRule = { limit: number; windowSeconds: number };

/** Counts one attempt against `key`; throws RateLimited (with Retry-After) past the limit. */
export async function consumeRateLimit(key: string, rule: RateLimitRule): Promise<void> {
  const rows = await db().$queryRaw<{ count: number; retry_after: number }[]>`
    INSERT INTO "RateLimitBucket" (key, count, "windowStart", "expiresAt")
    VALUES (${key}, 1, now(), now() + make_interval(secs => ${rule.windowSeconds}))
    ON CONFLICT (key) DO UPDATE SET
      count = CASE WHEN "RateLimitBucket"."expiresAt" <= now() THEN 1 ELSE "RateLimitBucket".count + 1 END,
      "windowStart" = CASE WHEN "RateLimitBucket"."expiresAt" <= now() THEN now() ELSE "RateLimitBucket"."windowStart" END,
      "expiresAt" = CASE WHEN "RateLimitBucket"."expiresAt" <= now()
                         THEN now() + make_interval(secs => ${rule.windowSeconds})
                         ELSE "RateLimitBucket"."expiresAt" END
    RETURNING count, ceil(extract(epoch FROM "expiresAt" - now()))::int AS retry_after`;
  const row = rows[0];
  if (row && row.count > rule.limit) throw new RateLimited(Math.max(1, row.retry_after));
}

export async function resetRateLimit(key: string): Promise<void> {
  await db().rateLimitBucket.deleteMany({ where: { key } });
}
