import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { createDatabase, dropDatabase } from "./support/postgres-server";

// Every test file runs against its own fresh database, cloned from the
// migrated template (a file copy, ~tens of ms), so files never see each
// other's rows and can run in parallel.
const serverUrl = inject("pgServerUrl");
const name = `${inject("pgDatabasePrefix")}_${randomBytes(4).toString("hex")}`;
process.env.DATABASE_URL = await createDatabase(serverUrl, name, inject("pgTemplateDatabase"));

afterAll(async () => {
  await dropDatabase(serverUrl, name);
});
