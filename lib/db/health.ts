import "server-only";
import { db } from "@/lib/db/client";

/** One round trip to Postgres. */
export async function pingDatabase(): Promise<void> {
  await db().$queryRaw`SELECT 1`;
}
