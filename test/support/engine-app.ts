import fs from "node:fs";
import http from "node:http";
import { serve } from "inngest/node";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";
import { exitOnInvalidEnv } from "@/lib/startup/check-env";

// The app's Inngest functions as a process of their own, for tests that kill
// the app mid-run (inngest/functions/crash.test.ts). It serves exactly what
// app/api/inngest/route.ts serves, with the SDK's Node adapter instead of the
// Next one, so a SIGKILL takes the whole "app" down with its in-flight steps.
//
//   npx tsx --conditions=react-server test/support/engine-app.ts
//
// Why `--conditions=react-server`: our server modules `import "server-only"`,
// whose package exports `empty.js` under the `react-server` condition and a
// module that throws under `default`. Next resolves server code (route
// handlers included) with that condition; so does this process. Among the
// packages in node_modules only react, react-dom, server-only and client-only
// use it, and none of those but server-only is loaded here. The `@/` alias
// needs nothing: tsx reads `paths` from tsconfig.json. (NODE_OPTIONS=
// --conditions=react-server works as well, which is how the test passes it.)
//
// Environment: PORT, DATABASE_URL, INNGEST_BASE_URL (the executor), and what
// the nodes use — RESEND_API_KEY, RESEND_BASE_URL, SLACK_API_URL,
// OPENAI_BASE_URL, OUTBOUND_ALLOWED_HOSTS, APP_URL — plus the server
// environment lib/env.ts checks (OFFICEFLOW_ENCRYPTION_KEYS, AUTH_SECRET, both
// optional outside production). INNGEST_DEV defaults to 1: this process only
// ever talks to a local executor.
//
// LISTEN_AFTER_FILE (optional): load everything, print "engine app loaded",
// then wait until that file exists before listening. A test starts the
// replacement for an app it is about to kill this way, so the port is served
// again moments after the kill instead of after a cold start (module loading
// takes seconds; the executor's "fast" test backoff spends its retries in
// about 6.5 s).
//
// Prints "engine app listening on <serve url>" when ready; SIGTERM closes it.

const SERVE_PATH = "/api/inngest";

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    console.error(`engine app: ${name} is required`);
    process.exit(1);
  }
  return value;
}

async function waitForFile(file: string) {
  while (!fs.existsSync(file)) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Listens on `port`, retrying briefly while a killed predecessor's socket is still bound. */
async function listen(server: http.Server, port: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const error = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      server.once("error", resolve);
      server.listen(port, "127.0.0.1", () => {
        server.off("error", resolve);
        resolve(undefined);
      });
    });
    if (!error) return;
    if (error.code !== "EADDRINUSE" || Date.now() > deadline) throw error;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function main() {
  const port = Number(required("PORT"));
  required("DATABASE_URL");
  required("INNGEST_BASE_URL");
  exitOnInvalidEnv();
  if (!process.env.INNGEST_DEV) {
    process.env.INNGEST_DEV = "1";
    // The client copied the environment when it was created.
    inngest.setEnvVars();
  }

  const handler = serve({ client: inngest, functions });
  const server = http.createServer((request, response) => {
    if (new URL(request.url ?? "/", "http://app").pathname === SERVE_PATH)
      return void handler(request, response);
    response.writeHead(404).end();
  });

  const gate = process.env.LISTEN_AFTER_FILE;
  if (gate) {
    console.log(`engine app loaded, waiting for ${gate}`);
    await waitForFile(gate);
  }
  await listen(server, port);
  console.log(`engine app listening on http://127.0.0.1:${port}${SERVE_PATH}`);

  process.once("SIGTERM", () => {
    server.closeAllConnections();
    server.close(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
