import { createDatabaseHandle } from "../lib/db/create-client";
import { DEMO_OWNER, seedDemoOrganization } from "../lib/seed/demo-organization";
import { seedDemoWorkflows } from "../lib/seed/demo-workflows";
import { withDevDatabase } from "./lib/local-database";

// `npm run db:seed`: creates the demo organisation "Acme", its owner and its
// sample workflows if missing.
async function main() {
  if (process.env.NODE_ENV === "production" && !process.argv.includes("--force")) {
    console.error("Refusing to seed demo data with NODE_ENV=production (pass --force to insist).");
    process.exit(2);
  }
  await withDevDatabase(async (url) => {
    const database = createDatabaseHandle(url, 2);
    try {
      const result = await seedDemoOrganization(database.prisma);
      console.log(
        result.created
          ? "Seeded the demo organisation Acme."
          : "Demo organisation Acme already present.",
      );
      process.env.DATABASE_URL = url;
      const port = process.env.OFFICEFLOW_SANDBOX_PORT ?? "8290";
      const samples = await seedDemoWorkflows(result.organizationId, {
        itSystemUrl: `http://127.0.0.1:${port}/it`,
      });
      if (samples.created.length > 0)
        console.log(`Seeded sample workflows: ${samples.created.join(", ")}`);
      console.log(`Demo owner: ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`);
    } finally {
      await database.close();
    }
  });
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
