import { withDevDatabase } from "./lib/local-database";
import { applyMigrations } from "./lib/migrator";

// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the
// embedded development database when it is unset).
async function main() {
  const result = await withDevDatabase((url) =>
    applyMigrations(url, { log: (line) => console.log(line) }),
  );
  for (const warning of result.warnings) console.warn(`warning: ${warning}`);
  console.log(
    result.applied.length
      ? `Applied ${result.applied.length} migration(s).`
      : `Database is up to date (${result.alreadyApplied} migration(s) applied).`,
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
