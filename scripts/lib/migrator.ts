import { createHash, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import path from "node:path";
import pg from "pg";

// Applies prisma/migrations/*/migration.sql the way `prisma migrate deploy`
// would, because deploy does not work with the JS schema engine that is all
// we can run offline (prisma/orm#27403). Bookkeeping is byte-for-byte Prisma's
// so a machine with the native engine sees these migrations as applied:
// - table and columns of `_prisma_migrations` as created by the schema engine
//   (prisma-engines: schema-engine/connectors/sql-schema-connector, postgres flavour);
// - checksum = lowercase hex sha256 of the migration.sql bytes;
// - the same advisory lock key (72707369), so our applier and Prisma's exclude each other.
// Unlike Prisma we run each migration inside a transaction, so a failure leaves
// nothing half-applied and nothing recorded.

export const MIGRATIONS_DIR = path.resolve("prisma", "migrations");
const PRISMA_ADVISORY_LOCK_KEY = 72707369;

const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export type MigrationFile = { name: string; sql: string; checksum: string };

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MigrationError";
  }
}

export function checksumOf(sql: string | Buffer): string {
  return createHash("sha256").update(sql).digest("hex");
}

/** Prisma also accepts a file whose only change is CRLF/LF line endings (git autocrlf). */
function matchesChecksum(sql: string, checksum: string): boolean {
  return (
    checksumOf(sql) === checksum ||
    checksumOf(sql.replace(/\r\n/g, "\n")) === checksum ||
    checksumOf(sql.replace(/(?<!\r)\n/g, "\r\n")) === checksum
  );
}

/** Migration folders in the order Prisma applies them (lexicographic by name). */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFile[]> {
  if (!existsSync(dir)) return [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const names = entries
    .filter(
      (entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")),
    )
    .map((entry) => entry.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const bytes = await fs.readFile(path.join(dir, name, "migration.sql"));
      return { name, sql: bytes.toString("utf8"), checksum: checksumOf(bytes) };
    }),
  );
}

type AppliedRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

export type MigrateResult = { applied: string[]; alreadyApplied: number; warnings: string[] };

export async function applyMigrations(
  connectionString: string,
  options: { dir?: string; log?: (line: string) => void } = {},
): Promise<MigrateResult> {
  const log = options.log ?? (() => undefined);
  const migrations = await readMigrations(options.dir);
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_ADVISORY_LOCK_KEY]);
    await client.query(CREATE_MIGRATIONS_TABLE);
    const { rows } = await client.query<AppliedRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at
         FROM "_prisma_migrations" ORDER BY started_at`,
    );

    const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed) {
      throw new MigrationError(
        `Migration ${failed.migration_name} is recorded as started but not finished. ` +
          "Inspect the database, then mark it rolled back or applied before migrating again.",
      );
    }

    const byName = new Map(migrations.map((m) => [m.name, m]));
    const applied = new Set<string>();
    const warnings: string[] = [];
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue;
      applied.add(row.migration_name);
      const file = byName.get(row.migration_name);
      if (!file) {
        warnings.push(
          `migration ${row.migration_name} is applied but missing from ${options.dir ?? MIGRATIONS_DIR}`,
        );
        continue;
      }
      if (!matchesChecksum(file.sql, row.checksum)) {
        throw new MigrationError(
          `Migration ${row.migration_name} was modified after it was applied ` +
            `(checksum ${row.checksum.slice(0, 12)}… in the database, ${file.checksum.slice(0, 12)}… on disk). ` +
            "Restore the file and put the change in a new migration.",
        );
      }
    }

    const pending = migrations.filter((m) => !applied.has(m.name));
    for (const migration of pending) {
      log(`applying ${migration.name}`);
      try {
        await client.query("BEGIN");
        const id = randomUUID();
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, $3, now(), 0)`,
          [id, migration.checksum, migration.name],
        );
        // No parameters: the simple query protocol runs a multi-statement script.
        await client.query(migration.sql);
        await client.query(
          `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
          [id],
        );
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw new MigrationError(
          `Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`,
        );
      }
    }
    return { applied: pending.map((m) => m.name), alreadyApplied: applied.size, warnings };
  } finally {
    await client
      .query("SELECT pg_advisory_unlock($1)", [PRISMA_ADVISORY_LOCK_KEY])
      .catch(() => undefined);
    await client.end();
  }
}
