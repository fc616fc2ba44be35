import { startExecutor } from "./index";

// `tsx inngest-local/src/cli.ts`: the executor as a process.
//   DATABASE_URL                 Postgres (required here; `npm run executor` supplies the embedded one)
//   INNGEST_LOCAL_PORT           port (default 8288, Inngest's dev server port)
//   INNGEST_LOCAL_BACKOFF        "inngest" (default: 15 s, 30 s, 1 m, … + jitter) or "fast" (tests)
//   INNGEST_LOCAL_CHECKPOINTING  "1" (default) or "0"
//   INNGEST_LOCAL_APP_URL        an app serve URL to sync in-band at start (optional)
//   INNGEST_SIGNING_KEY          sign calls to the app like Inngest Cloud (optional)

function fail(message: string): never {
  console.error(`[executor] ${message}`);
  process.exit(1);
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) fail("DATABASE_URL is required");
  const port = Number(process.env.INNGEST_LOCAL_PORT ?? 8288);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    fail(`INNGEST_LOCAL_PORT must be a port number, got "${process.env.INNGEST_LOCAL_PORT}"`);
  const backoff = process.env.INNGEST_LOCAL_BACKOFF ?? "inngest";
  if (backoff !== "inngest" && backoff !== "fast")
    fail(`INNGEST_LOCAL_BACKOFF must be "inngest" or "fast", got "${backoff}"`);

  const executor = await startExecutor({
    databaseUrl,
    port,
    backoff,
    checkpointing: process.env.INNGEST_LOCAL_CHECKPOINTING !== "0",
    signingKey: process.env.INNGEST_SIGNING_KEY || undefined,
  }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "EADDRINUSE")
      fail(`port ${port} is already in use; set INNGEST_LOCAL_PORT to another port`);
    throw error;
  });

  const appUrl = process.env.INNGEST_LOCAL_APP_URL;
  if (appUrl) {
    try {
      const synced = await executor.syncApp(appUrl);
      console.log(
        `[executor] synced ${synced.appId}: ${synced.functions.join(", ") || "no functions"}`,
      );
    } catch (error) {
      console.error(`[executor] could not sync ${appUrl}: ${(error as Error).message}`);
    }
  }

  // Ready only once the app's functions are known, so the first event finds them.
  console.log(`[executor] listening on ${executor.url}`);

  const shutdown = async () => {
    await executor.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void shutdown());
  process.on("SIGTERM", () => void shutdown());
}

main().catch((error) => fail((error as Error).stack ?? String(error)));
