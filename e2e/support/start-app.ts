import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { startExecutor } from "../../inngest-local/src/index";
import { createDatabaseHandle } from "../../lib/db/create-client";
import { seedDemoOrganization } from "../../lib/seed/demo-organization";
import { applyMigrations } from "../../scripts/lib/migrator";
import { startFakeResend } from "../../test/support/fake-resend";
import {
  createDatabase,
  dropDatabase,
  startThrowawayPostgres,
} from "../../test/support/postgres-server";

// Serves the production build for Playwright on a fresh, seeded database:
// a throwaway embedded Postgres, or a new database on DATABASE_URL's server
// (dropped afterwards, so that server's own data is never touched).

async function main() {
  if (!existsSync(path.resolve(".next", "BUILD_ID"))) {
    throw new Error("No production build found: run `next build` first (npm run test:e2e does).");
  }
  const port = process.env.E2E_PORT ?? "3100";
  const external = process.env.DATABASE_URL;
  const embedded = external ? undefined : await startThrowawayPostgres();
  const serverUrl = external ?? embedded!.url("postgres");
  const databaseName = `officeflow_e2e_${randomBytes(4).toString("hex")}`;
  const databaseUrl = await createDatabase(serverUrl, databaseName);

  await applyMigrations(databaseUrl);
  const database = createDatabaseHandle(databaseUrl, 2);
  await seedDemoOrganization(database.prisma);
  await database.close();

  // Invitation emails go through the real Resend SDK to a fake Resend the tests can read.
  const resend = await startFakeResend({
    port: Number(process.env.E2E_RESEND_PORT ?? Number(port) + 1),
  });
  // The workflow engine: the local executor in production mode, with a
  // signing key shared with the app (no INNGEST_DEV), as Inngest Cloud would be.
  const signingKey = `signkey-test-${randomBytes(32).toString("hex")}`;
  const executor = await startExecutor({
    databaseUrl,
    port: Number(process.env.E2E_EXECUTOR_PORT ?? Number(port) + 2),
    signingKey,
    backoff: "fast",
    log: (line) => {
      if (process.env.E2E_EXECUTOR_LOG) console.log(`[executor] ${line}`);
    },
  });
  const appUrl = `http://127.0.0.1:${port}`;
  const app: ChildProcess = spawn(
    path.resolve("node_modules/.bin/next"),
    ["start", "--port", port],
    {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        NODE_ENV: "production",
        AUTH_SECRET: "e2e-only-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        // A fresh credential-encryption key per run (production refuses the development key).
        OFFICEFLOW_ENCRYPTION_KEYS: `e2e:${randomBytes(32).toString("base64")}`,
        NEXTAUTH_URL: appUrl,
        APP_URL: appUrl,
        RESEND_API_KEY: resend.apiKey,
        RESEND_BASE_URL: resend.url,
        INNGEST_BASE_URL: executor.url,
        INNGEST_SIGNING_KEY: signingKey,
        INNGEST_EVENT_KEY: "e2e-event-key",
      },
      stdio: "inherit",
    },
  );

  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    app.kill("SIGTERM");
    await new Promise((resolve) =>
      app.exitCode === null ? app.once("exit", resolve) : resolve(null),
    );
    await executor.stop().catch(() => undefined);
    await resend.close().catch(() => undefined);
    await dropDatabase(serverUrl, databaseName).catch(() => undefined);
    await embedded?.stop();
    process.exit(code);
  };
  app.once("exit", (code) => void stop(code ?? 1));
  // Register the app's functions as soon as it answers (Playwright waits for the same URL).
  for (let tries = 0; ; tries++) {
    try {
      const ready = await fetch(`${appUrl}/api/health`);
      if (ready.ok) break;
    } catch {
      // not listening yet
    }
    if (tries > 600) throw new Error("the app did not start within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const synced = await executor.syncApp(`${appUrl}/api/inngest`);
  console.log(`[e2e] synced ${synced.functions.length} function(s) into the executor`);
  process.on("SIGINT", () => void stop(0));
  process.on("SIGTERM", () => void stop(0));
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
