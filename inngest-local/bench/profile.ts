import type pg from "pg";
import { round, table } from "./support";

// `--profile`: where the executor's Postgres time goes, per step, from
// pg_stat_statements (loaded into the benchmark's Postgres for the purpose).

export const PROFILE_SETTINGS = {
  shared_preload_libraries: "pg_stat_statements",
  "pg_stat_statements.track_utility": "on",
};

export async function startProfile(db: pg.Pool): Promise<void> {
  await db.query("CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
  await db.query("SELECT pg_stat_statements_reset()");
}

/** The statements the executor ran since startProfile, per step, most time first. */
export async function profileReport(db: pg.Pool, steps: number, label: string): Promise<string> {
  const { rows } = await db.query<{ calls: string; total_ms: number; query: string }>(
    `SELECT calls::text, total_exec_time AS total_ms, query FROM pg_stat_statements
      WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND query NOT ILIKE '%pg_stat%' AND query NOT ILIKE '%count(*) FILTER%'
      ORDER BY total_exec_time DESC`,
  );
  const calls = rows.reduce((sum, row) => sum + Number(row.calls), 0);
  const totalMs = rows.reduce((sum, row) => sum + row.total_ms, 0);
  const lines = rows.slice(0, 14).map((row) => [
    row.query
      .replace(/\s+/g, " ")
      .replace(/"inngest_local"\./g, "")
      .slice(0, 90),
    round(Number(row.calls) / steps, 2),
    round(row.total_ms / Number(row.calls), 3),
    round(row.total_ms / steps, 3),
  ]);
  return [
    `\n${label}: Postgres statements per step (pg_stat_statements; excludes the commit WAL flush)`,
    table(["statement", "calls/step", "mean ms", "ms/step"], lines),
    `all statements: ${round(calls / steps, 1)} per step, ${round(totalMs / steps, 2)} ms of Postgres execution per step`,
  ].join("\n");
}
