import "server-only";
import type pg from "pg";
import { createDatabaseHandle, type DatabaseHandle } from "@/lib/db/create-client";
import { readServerEnv } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// One client per process; kept on globalThis so `next dev` hot reloads reuse it.
const globalForPrisma = globalThis as unknown as { officeflowDatabase?: DatabaseHandle };

function handle(): DatabaseHandle {
  globalForPrisma.officeflowDatabase ??= createDatabaseHandle(
    readServerEnv().DATABASE_URL,
    Number(process.env.DATABASE_POOL_MAX ?? 10),
  );
  return globalForPrisma.officeflowDatabase;
}

export function db(): PrismaClient {
  return handle().prisma;
}

/**
 * The pg pool under db(), for the few statements that run on every webhook
 * delivery or engine step (lib/db/webhook-delivery-store.ts,
 * lib/db/step-records.ts): through the ORM each raw statement cost about a
 * millisecond of this process's CPU in query compilation. Use db() everywhere
 * else; only lib/db may use this.
 */
export function sqlPool(): pg.Pool {
  return handle().pool;
}
