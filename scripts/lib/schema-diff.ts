import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { MIGRATIONS_DIR, readMigrations } from "./migrator";

const run = promisify(execFile);

export const SCHEMA_PATH = path.resolve("prisma", "schema.prisma");
/** Each migration folder keeps the schema it was generated from, so the next diff starts there. */
export const SNAPSHOT_FILE = "schema.snapshot";
const EMPTY_MIGRATION = "-- This is an empty migration.";

/** The schema as of the last migration, or undefined before the first one. */
export async function lastMigratedSchemaPath(dir = MIGRATIONS_DIR): Promise<string | undefined> {
  const migrations = await readMigrations(dir);
  const last = migrations.at(-1);
  if (!last) return undefined;
  const snapshot = path.join(dir, last.name, SNAPSHOT_FILE);
  if (!existsSync(snapshot)) {
    throw new Error(
      `${path.relative(process.cwd(), snapshot)} is missing; every migration folder needs its schema snapshot.`,
    );
  }
  return snapshot;
}

/**
 * SQL that takes a database from schema `from` (undefined: empty) to schema `to`,
 * exactly as Prisma writes it, or "" when they are equivalent. The JS schema
 * engine needs a reachable Postgres even for a schema-to-schema diff; it only
 * reads from it.
 */
export async function diffSchemas(
  from: string | undefined,
  to: string,
  databaseUrl: string,
): Promise<string> {
  let fromPath = from;
  let tempDir: string | undefined;
  if (!fromPath) {
    tempDir = await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-schema-"));
    fromPath = path.join(tempDir, "empty.prisma");
    await fs.writeFile(
      fromPath,
      'datasource db {\n  provider = "postgresql"\n  url      = env("DATABASE_URL")\n}\n',
    );
  }
  try {
    const { stdout } = await run(
      path.resolve("node_modules", ".bin", "prisma"),
      [
        "migrate",
        "diff",
        "--from-schema-datamodel",
        fromPath,
        "--to-schema-datamodel",
        to,
        "--script",
      ],
      {
        env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" },
        maxBuffer: 32 * 1024 * 1024,
      },
    );
    const sql = stdout.trim();
    return sql === EMPTY_MIGRATION ? "" : `${sql}\n`;
  } finally {
    if (tempDir) await fs.rm(tempDir, { recursive: true, force: true });
  }
}
