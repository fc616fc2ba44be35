import "server-only";
import { createDatabaseHandle, type DatabaseHandle } from "@/lib/db/create-client";
import { readServerEnv } from "@/lib/env";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// One client per process; kept on globalThis so `next dev` hot reloads reuse it.
const globalForPrisma = globalThis as unknown as { officeflowDatabase?: DatabaseHandle };

export function db(): PrismaClient {
  globalForPrisma.officeflowDatabase ??= createDatabaseHandle(
    readServerEnv().DATABASE_URL,
    Number(process.env.DATABASE_POOL_MAX ?? 10),
  );
  return globalForPrisma.officeflowDatabase.prisma;
}
