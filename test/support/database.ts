import { afterAll } from "vitest";
import { createDatabaseHandle } from "@/lib/db/create-client";

/** A Prisma client on this test file's own database, closed after the file. */
export function testDatabase() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set; is test/setup-database.ts in setupFiles?");
  const handle = createDatabaseHandle(url, 4);
  afterAll(() => handle.close());
  return handle.prisma;
}
