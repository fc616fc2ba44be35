import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { createDatabaseHandle } from "../lib/db/create-client";
import { EnvError, parseServerEnv } from "../lib/env";
import { DEMO_OWNER, seedDemoOrganization } from "../lib/seed/demo-organization";
import { DEMO_WEBHOOK_SECRET, seedDemoWorkflows } from "../lib/seed/demo-workflows";
import { type RunningPostgres, startEmbeddedPostgres } from "./lib/embedded-postgres";
import {
  configuredDatabaseUrl,
  DEV_DATA_DIR,
  DEV_DATABASE,
  devPostgresPort,
  ensureDatabase,
} from "./lib/local-database";
import { applyMigrations } from "./lib/migrator";
import { assertPortFree, portFromEnv } from "./lib/ports";
import { type ProviderSandbox, startProviderSandbox } from "./lib/provider-sandbox";

// `npm run dev`: the whole product on one machine, offline. Starts (or
// connects to) Postgres, migrates, seeds the demo tenant, then starts the
// long-running services below and stops them all, in reverse order, on Ctrl-C.

type Service = { name: string; command: string; args: string[]; env?: Record<string, string> };

function services(
  appPort: number,
  executorPort: number,
  extraEnv: Record<string, string>,
): Service[] {
  const bin = (name: string) => path.resolve("node_modules", ".bin", name);
  const executorUrl = `http://127.0.0.1:${executorPort}`;
  return [
    {
      // Started first so the app can send events from its first request.
      name: "executor",
      command: bin("tsx"),
      args: ["inngest-local/src/cli.ts"],
      env: {
        INNGEST_LOCAL_PORT: String(executorPort),
        INNGEST_LOCAL_BACKOFF: process.env.INNGEST_LOCAL_BACKOFF ?? "inngest",
      },
    },
    {
      name: "web",
      command: bin("next"),
      args: ["dev", "--port", String(appPort)],
      env: {
        INNGEST_DEV: "1",
        INNGEST_BASE_URL: executorUrl,
        // next-auth builds callback and sign-out URLs from this.
        NEXTAUTH_URL: process.env.NEXTAUTH_URL ?? `http://localhost:${appPort}`,
        APP_URL: process.env.APP_URL ?? `http://localhost:${appPort}`,
        ...extraEnv,
      },
    },
  ];
}

/** In-band sync of the app's functions into the local executor (also: `curl -X POST <executor>/local/sync`). */
async function syncFunctions(executorPort: number, appPort: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${executorPort}/local/sync`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ url: `http://127.0.0.1:${appPort}/api/inngest` }),
  });
  const body = (await response.json()) as { functions?: string[]; error?: string };
  if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
  return `${body.functions?.length ?? 0} function(s)`;
}

const log = (line: string) => console.log(`[dev] ${line}`);

function prefixOutput(child: ChildProcess, name: string) {
  const forward = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n"))
      if (line.trim()) stream.write(`[${name}] ${line}\n`);
  };
  child.stdout?.on("data", forward(process.stdout));
  child.stderr?.on("data", forward(process.stderr));
}

async function waitForReady(url: string, child: ChildProcess): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      if (response.ok) return true;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
    const pid = child.pid;
    const timer = setTimeout(() => {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // already gone
      }
    }, 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      // Negative pid: the service's whole process group (next dev runs workers).
      process.kill(-pid, "SIGTERM");
    } catch {
      resolve();
    }
  });
}

async function main() {
  const appPort = portFromEnv("PORT", 3000);
  const executorPort = portFromEnv("INNGEST_LOCAL_PORT", 8288);
  // Validate the rest of the environment before starting anything.
  parseServerEnv({
    ...process.env,
    DATABASE_URL: process.env.DATABASE_URL || "postgresql://placeholder/x",
  });
  await assertPortFree(appPort, "the app (next dev)", "PORT");
  await assertPortFree(executorPort, "the local Inngest executor", "INNGEST_LOCAL_PORT");
  const sandboxEnabled = process.env.OFFICEFLOW_SANDBOX !== "0";
  const sandboxPort = portFromEnv("OFFICEFLOW_SANDBOX_PORT", 8290);
  if (sandboxEnabled)
    await assertPortFree(sandboxPort, "the provider sandbox", "OFFICEFLOW_SANDBOX_PORT");

  let postgres: RunningPostgres | undefined;
  let databaseUrl = configuredDatabaseUrl();
  if (databaseUrl) {
    log("using the Postgres at DATABASE_URL");
  } else {
    postgres = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, port: devPostgresPort(), log });
    await ensureDatabase(postgres.url("postgres"), DEV_DATABASE);
    databaseUrl = postgres.url(DEV_DATABASE);
  }

  const children: ChildProcess[] = [];
  let sandbox: ProviderSandbox | undefined;
  let samples: Awaited<ReturnType<typeof seedDemoWorkflows>> | undefined;
  let shuttingDown = false;
  const shutdown = async (code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    log("shutting down…");
    for (const child of [...children].reverse()) await stopChild(child);
    await sandbox?.stop();
    await postgres?.stop();
    log("stopped");
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    const migrated = await applyMigrations(databaseUrl, { log });
    log(
      `migrations: ${migrated.applied.length} applied, ${migrated.alreadyApplied} already present`,
    );
    if (sandboxEnabled) {
      sandbox = await startProviderSandbox(sandboxPort);
      log(
        `provider sandbox (Slack, OpenAI, IT system) on 127.0.0.1; IT system at ${sandbox.itSystemUrl}`,
      );
    }
    const database = createDatabaseHandle(databaseUrl, 2);
    try {
      const seeded = await seedDemoOrganization(database.prisma);
      log(
        seeded.created
          ? "seeded the demo organisation Acme"
          : "demo organisation Acme already present",
      );
      // The sample workflows go through the app's own services, which use the app's database client.
      process.env.DATABASE_URL = databaseUrl;
      samples = await seedDemoWorkflows(seeded.organizationId, {
        itSystemUrl: sandbox?.itSystemUrl ?? `http://127.0.0.1:${sandboxPort}/it`,
      });
      if (samples.created.length > 0) log(`seeded sample workflows: ${samples.created.join(", ")}`);
    } finally {
      await database.close();
    }
  } catch (error) {
    console.error(`[dev] ${(error as Error).message}`);
    await shutdown(1);
    return;
  }

  for (const service of services(appPort, executorPort, sandbox?.env ?? {})) {
    const child = spawn(service.command, service.args, {
      env: { ...process.env, ...service.env, DATABASE_URL: databaseUrl, PORT: String(appPort) },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    prefixOutput(child, service.name);
    child.on("exit", (code, signal) => {
      if (shuttingDown) return;
      console.error(
        `[dev] ${service.name} exited (${signal ?? `code ${code}`}); stopping everything`,
      );
      void shutdown(1);
    });
    children.push(child);
  }

  const appUrl = `http://localhost:${appPort}`;
  const web = children.at(-1);
  if (web && (await waitForReady(`${appUrl}/api/health/ready`, web))) {
    try {
      log(`synced ${await syncFunctions(executorPort, appPort)} into the local executor`);
    } catch (error) {
      console.error(
        `[dev] could not sync functions into the executor: ${(error as Error).message}`,
      );
    }
    console.log(
      [
        "",
        `  OfficeFlow is running at ${appUrl}`,
        `  Demo workspace:  ${appUrl}/o/acme/workflows`,
        `  Demo owner:      ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`,
        ...(samples
          ? [
              `  Demo webhook:    ${appUrl}/api/hooks/${samples.webhookEndpointId} (Standard Webhooks, secret ${DEMO_WEBHOOK_SECRET})`,
              `                   try: scripts/send-demo-webhook.sh ${appUrl}/api/hooks/${samples.webhookEndpointId} ${DEMO_WEBHOOK_SECRET}`,
            ]
          : []),
        `  Inngest:         local executor at http://127.0.0.1:${executorPort} (re-sync: curl -X POST -d '{"url":"http://127.0.0.1:${appPort}/api/inngest"}' http://127.0.0.1:${executorPort}/local/sync)`,
        `  Database:        ${postgres ? `embedded Postgres on port ${postgres.port} (data in ${path.relative(process.cwd(), DEV_DATA_DIR)})` : "DATABASE_URL"}`,
        "  Press Ctrl-C to stop.",
        "",
      ].join("\n"),
    );
  }
}

main().catch((error) => {
  if (error instanceof EnvError || error instanceof Error) console.error(`[dev] ${error.message}`);
  else console.error(error);
  process.exit(1);
});
