import { randomBytes } from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase, withClient } from "../../test/support/postgres-server";
import { applyMigrations, checksumOf, MIGRATIONS_DIR, readMigrations } from "./migrator";

const serverUrl = inject("pgServerUrl");
const created: string[] = [];

async function emptyDatabase(): Promise<string> {
  const name = `${inject("pgDatabasePrefix")}_mig_${randomBytes(4).toString("hex")}`;
  created.push(name);
  return createDatabase(serverUrl, name);
}

async function migrationsDir(files: Record<string, string>): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-migrations-"));
  for (const [name, sql] of Object.entries(files)) {
    await fs.mkdir(path.join(dir, name));
    await fs.writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}

type Row = {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
  rolled_back_at: Date | null;
};

const recorded = (url: string) =>
  withClient(
    url,
    async (c) =>
      (await c.query<Row>(`SELECT * FROM "_prisma_migrations" ORDER BY migration_name`)).rows,
  );

afterAll(async () => {
  for (const name of created) await dropDatabase(serverUrl, name);
});

describe("applyMigrations", () => {
  it("applies the project's migrations in order and records them exactly as Prisma does", async () => {
    const url = await emptyDatabase();
    const files = await readMigrations();
    expect(files.length).toBeGreaterThan(0);

    const result = await applyMigrations(url);
    expect(result.applied).toEqual(files.map((f) => f.name));

    const rows = await recorded(url);
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    for (const [i, row] of rows.entries()) {
      const bytes = await fs.readFile(
        path.join(MIGRATIONS_DIR, row.migration_name, "migration.sql"),
      );
      expect(row.checksum).toBe(checksumOf(bytes));
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
      expect(row.rolled_back_at).toBeNull();
      expect(files[i]?.checksum).toBe(row.checksum);
    }
  });

  it("applies nothing the second time", async () => {
    const url = await emptyDatabase();
    await applyMigrations(url);
    const again = await applyMigrations(url);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toBe((await readMigrations()).length);
  });

  it("applies only what is pending, after what is already applied", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({ "001_a": "CREATE TABLE a (id int);" });
    await applyMigrations(url, { dir });
    await fs.mkdir(path.join(dir, "002_b"));
    await fs.writeFile(path.join(dir, "002_b", "migration.sql"), "CREATE TABLE b (id int);");
    const result = await applyMigrations(url, { dir });
    expect(result.applied).toEqual(["002_b"]);
    expect((await recorded(url)).map((r) => r.migration_name)).toEqual(["001_a", "002_b"]);
  });

  it("refuses to run when an applied migration's file has changed", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({ "001_a": "CREATE TABLE a (id int);" });
    await applyMigrations(url, { dir });
    await fs.writeFile(path.join(dir, "001_a", "migration.sql"), "CREATE TABLE a (id bigint);");
    await fs.mkdir(path.join(dir, "002_b"));
    await fs.writeFile(path.join(dir, "002_b", "migration.sql"), "CREATE TABLE b (id int);");

    await expect(applyMigrations(url, { dir })).rejects.toThrow(
      /001_a was modified after it was applied/,
    );
    const tables = await withClient(url, (c) =>
      c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'b'"),
    );
    expect(tables.rowCount, "the pending migration did not run").toBe(0);
  });

  it("tolerates a line-ending-only change, as Prisma does", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({
      "001_a": "CREATE TABLE a (id int);\nCREATE TABLE c (id int);\n",
    });
    await applyMigrations(url, { dir });
    await fs.writeFile(
      path.join(dir, "001_a", "migration.sql"),
      "CREATE TABLE a (id int);\r\nCREATE TABLE c (id int);\r\n",
    );
    await expect(applyMigrations(url, { dir })).resolves.toMatchObject({ applied: [] });
  });

  it("rolls a failing migration back whole and records nothing", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({
      "001_ok": "CREATE TABLE ok (id int);",
      "002_broken": "CREATE TABLE half (id int);\nSELECT 1/0;",
    });
    await expect(applyMigrations(url, { dir })).rejects.toThrow(
      /002_broken failed and was rolled back: division by zero/,
    );
    expect((await recorded(url)).map((r) => r.migration_name)).toEqual(["001_ok"]);
    const half = await withClient(url, (c) =>
      c.query("SELECT 1 FROM information_schema.tables WHERE table_name = 'half'"),
    );
    expect(half.rowCount).toBe(0);

    await fs.writeFile(
      path.join(dir, "002_broken", "migration.sql"),
      "CREATE TABLE half (id int);",
    );
    await expect(applyMigrations(url, { dir })).resolves.toMatchObject({ applied: ["002_broken"] });
  });

  it("refuses to run over a migration Prisma recorded as started but unfinished", async () => {
    const url = await emptyDatabase();
    const dir = await migrationsDir({ "001_a": "CREATE TABLE a (id int);" });
    await applyMigrations(url, { dir });
    await withClient(url, (c) =>
      c.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ($1, $2, '000_stuck')`,
        ["00000000-0000-4000-8000-000000000000", "0".repeat(64)],
      ),
    );
    await expect(applyMigrations(url, { dir })).rejects.toThrow(
      /000_stuck is recorded as started but not finished/,
    );
  });

  it("serialises concurrent appliers with the advisory lock: each migration runs once", async () => {
    const url = await emptyDatabase();
    const results = await Promise.all([
      applyMigrations(url),
      applyMigrations(url),
      applyMigrations(url),
    ]);
    const total = (await readMigrations()).length;
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, 0, total]);
    expect((await recorded(url)).length).toBe(total);
  });
});
