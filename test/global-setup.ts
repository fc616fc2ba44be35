import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../scripts/lib/migrator";
import { createDatabase, startThrowawayPostgres, withClient } from "./support/postgres-server";

// One Postgres for the whole run: the embedded one when DATABASE_URL is unset,
// otherwise the server DATABASE_URL points at. Either way tests only touch
// databases named officeflow_test_<run>_*, created here and dropped at the
// end, so an existing database on that server is never modified.
// Migrations run once, into a template; each test file gets a clone of it.

declare module "vitest" {
  export interface ProvidedContext {
    pgServerUrl: string;
    pgTemplateDatabase: string;
    pgDatabasePrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const prefix = `officeflow_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const external = process.env.DATABASE_URL;
  const embedded = external ? undefined : await startThrowawayPostgres();
  const serverUrl = external ?? embedded!.url("postgres");

  const template = `${prefix}_template`;
  const templateUrl = await createDatabase(serverUrl, template);
  await applyMigrations(templateUrl);

  project.provide("pgServerUrl", serverUrl);
  project.provide("pgTemplateDatabase", template);
  project.provide("pgDatabasePrefix", prefix);

  return async () => {
    await withClient(serverUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>(
        "SELECT datname FROM pg_database WHERE starts_with(datname, $1)",
        [prefix],
      );
      for (const { datname } of rows) {
        await client.query(
          `DROP DATABASE IF EXISTS ${client.escapeIdentifier(datname)} WITH (FORCE)`,
        );
      }
    });
    await embedded?.stop();
  };
}
