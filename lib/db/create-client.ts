import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type DatabaseHandle = {
  prisma: PrismaClient;
  /** The pool under `prisma`, for the few hot statements lib/db writes as SQL. */
  pool: pg.Pool;
  close: () => Promise<void>;
};

/**
 * A Prisma client on its own pg pool. The app keeps one per process
 * (lib/db/client.ts); scripts and tests make their own.
 */
export function createDatabaseHandle(
  connectionString: string,
  maxConnections = 10,
): DatabaseHandle {
  const pool = new pg.Pool({
    connectionString,
    max: maxConnections,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // Without a listener, an idle connection dropped by a Postgres restart emits
  // an unhandled 'error' and kills the process; the pool replaces it instead.
  const warn = (error: Error) =>
    console.error(
      JSON.stringify({ level: "warn", msg: "postgres connection error", error: error.message }),
    );
  pool.on("error", warn);
  // A connection that dies while checked out emits 'error' on its client; unhandled, that kills the process.
  pool.on("connect", (client) => client.on("error", warn));
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    prisma,
    pool,
    close: async () => {
      await prisma.$disconnect();
      await pool.end().catch(() => undefined);
    },
  };
}
