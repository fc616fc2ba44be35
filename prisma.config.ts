import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";

// Prisma's native engines cannot be downloaded here, so the CLI runs on the
// JavaScript schema engine through the pg driver adapter. `generate` and
// `migrate diff` work this way; `migrate dev/deploy` do not (prisma/orm#27403),
// which is why scripts/db-migrate.ts applies migrations itself.
// The schema reads its URL from env("DATABASE_URL"); without one the CLI cannot
// tell that the client uses the query compiler and tries to download the
// native query engine. generate and diff never connect, so a placeholder does.
process.env.DATABASE_URL ??= "postgresql://officeflow@127.0.0.1:5432/officeflow";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaPg({
      connectionString: process.env.DATABASE_URL,
      // The CLI never closes the pool; without this it lingers 10 s after finishing.
      allowExitOnIdle: true,
    });
  },
});
