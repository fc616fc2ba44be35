import path from "node:path";
import pg from "pg";
import { parseServerEnv } from "../../lib/env";
import { runningServerOf, startEmbeddedPostgres } from "./embedded-postgres";
import { portFromEnv } from "./ports";

// Where the development database lives when DATABASE_URL is not set: an
// embedded Postgres with its data under the git-ignored .data/ folder.
export const DEV_DATA_DIR = path.resolve(process.env.OFFICEFLOW_DATA_DIR ?? ".data", "postgres");
export const DEV_DATABASE = "officeflow";
export const DEV_PG_PORT_VAR = "OFFICEFLOW_PG_PORT";

export function devPostgresPort(): number {
  return portFromEnv(DEV_PG_PORT_VAR, 54329);
}

/** DATABASE_URL when set (validated, so a malformed value is named), else undefined. */
export function configuredDatabaseUrl(): string | undefined {
  if (!process.env.DATABASE_URL) return undefined;
  return parseServerEnv(process.env).DATABASE_URL;
}

export async function ensureDatabase(serverUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [
      database,
    ]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}

/**
 * Runs `work` against the development database: DATABASE_URL if set, else the
 * embedded server of `npm run dev` if it is running, else that server started
 * just for `work` and stopped afterwards.
 */
export async function withDevDatabase<T>(
  work: (databaseUrl: string) => Promise<T>,
  log: (line: string) => void = () => undefined,
): Promise<T> {
  const configured = configuredDatabaseUrl();
  if (configured) return work(configured);

  const running = await runningServerOf(DEV_DATA_DIR);
  if (running) {
    const url = `postgresql://officeflow:officeflow@127.0.0.1:${running.port}/${DEV_DATABASE}`;
    return work(url);
  }

  const server = await startEmbeddedPostgres({
    dataDir: DEV_DATA_DIR,
    port: devPostgresPort(),
    log,
  });
  try {
    await ensureDatabase(server.url("postgres"), DEV_DATABASE);
    return await work(server.url(DEV_DATABASE));
  } finally {
    await server.stop();
  }
}
