import { spawn } from "node:child_process";
import path from "node:path";
import { withDevDatabase } from "./lib/local-database";

// `npm run executor`: the local Inngest-compatible executor on DATABASE_URL,
// or on the embedded development Postgres when it is unset. The executor
// itself (inngest-local/) is generic and only ever takes a DATABASE_URL.
async function main() {
  await withDevDatabase(
    (databaseUrl) =>
      new Promise<void>((resolve) => {
        const child = spawn(path.resolve("node_modules/.bin/tsx"), ["inngest-local/src/cli.ts"], {
          env: { ...process.env, DATABASE_URL: databaseUrl },
          stdio: "inherit",
        });
        const forward = (signal: NodeJS.Signals) => child.kill(signal);
        process.on("SIGINT", forward);
        process.on("SIGTERM", forward);
        child.on("exit", (code) => {
          process.exitCode = code ?? 1;
          resolve();
        });
      }),
    (line) => console.log(`[executor] ${line}`),
  );
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
