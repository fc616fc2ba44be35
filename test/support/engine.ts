import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "inngest/node";
import { type RunningExecutor, startExecutor } from "@/inngest-local/src/index";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { type FakeOpenAI, startFakeOpenAI } from "./fake-openai";
import { type FakeResend, startFakeResend } from "./fake-resend";
import { type FakeSlack, startFakeSlack } from "./fake-slack";

// The whole engine for integration tests: the local executor (fast default
// backoff) on this file's database, the app's Inngest functions served by the
// real SDK over real HTTP, and fake Resend, Slack and OpenAI servers that the
// nodes reach through the real SDK clients.

export type EngineEnvironment = {
  executor: RunningExecutor;
  resend: FakeResend;
  slack: FakeSlack;
  openai: FakeOpenAI;
  /** The executor's log lines, for failure messages. */
  logs: string[];
  stop(): Promise<void>;
};

export async function startEngine(): Promise<EngineEnvironment> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set (the vitest harness provides it)");
  const logs: string[] = [];
  const executor = await startExecutor({
    databaseUrl,
    schema: "engine_test",
    backoff: "fast",
    log: (line) => {
      logs.push(line);
      if (process.env.ENGINE_TEST_LOG) console.log(`[executor] ${line}`);
    },
  });
  const [resend, slack, openai] = await Promise.all([
    startFakeResend(),
    startFakeSlack(),
    startFakeOpenAI(),
  ]);
  Object.assign(process.env, {
    INNGEST_DEV: "1",
    INNGEST_BASE_URL: executor.url,
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: resend.url,
    SLACK_API_URL: slack.apiUrl,
    OPENAI_BASE_URL: openai.baseURL,
    OUTBOUND_ALLOWED_HOSTS: "127.0.0.1",
    APP_URL: "http://officeflow.test",
  });
  // The client copies the environment when it is created; point it at this executor.
  const { inngest } = await import("@/inngest/client");
  inngest.setEnvVars();
  const { functions } = await import("@/inngest/functions");
  const handler = serve({ client: inngest, functions });
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith("/api/inngest")) return void handler(request, response);
    response.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await executor.syncApp(`http://127.0.0.1:${port}/api/inngest`);
  return {
    executor,
    resend,
    slack,
    openai,
    logs,
    async stop() {
      await executor.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([resend.close(), slack.close(), openai.close()]);
    },
  };
}

const TERMINAL = ["completed", "failed", "cancelled"];

/** Polls the run row until `until` holds (default: a terminal status). */
export async function waitForRun(
  prisma: PrismaClient,
  runId: string,
  options: { until?: (status: string) => boolean; timeoutMs?: number; logs?: string[] } = {},
) {
  const until = options.until ?? ((status: string) => TERMINAL.includes(status));
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const run = await prisma.workflowRun.findUniqueOrThrow({
      where: { id: runId },
      include: { stepRuns: { orderBy: [{ createdAt: "asc" }, { attempt: "asc" }] } },
    });
    if (until(run.status)) return run;
    if (Date.now() > deadline)
      throw new Error(
        `run ${runId} is still ${run.status} after ${options.timeoutMs ?? 30_000} ms; steps: ${JSON.stringify(
          run.stepRuns.map((step) => [step.nodeId, step.attempt, step.status, step.error]),
        )}${options.logs ? `\nexecutor:\n${options.logs.slice(-30).join("\n")}` : ""}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
