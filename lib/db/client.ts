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
 * The same connections without the ORM: for statements that run on every
 * webhook delivery, where Prisma's per-call query compilation was most of the
 * database cost in the app (lib/db/webhook-delivery-store.ts). Use db()
 * everywhere else.
 */
export function pgPool(): pg.Pool {
  return handle().pool;
}
