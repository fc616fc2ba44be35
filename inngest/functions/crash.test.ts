import fs from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type RunningExecutor, startExecutor } from "@/inngest-local/src/index";
import { findFreePort, repoRoot, TsxProcess } from "@/inngest-local/test/support/processes";
import type { WorkflowDefinitionInput } from "@/lib/workflows/definition";
import { testDatabase } from "@/test/support/database";
import { waitForRun } from "@/test/support/engine";
import { type FakeResend, startFakeResend } from "@/test/support/fake-resend";
import { type FakeSlack, startFakeSlack } from "@/test/support/fake-slack";
import { createTenant, orgContextOf } from "@/test/support/tenants";

// The engine survives its app process dying mid-run. The executor and the fake
// providers run in this process; the app's Inngest functions run in a child
// (test/support/engine-app.ts) that the tests SIGKILL while a step is in
// flight. A replacement app then takes over the same port, the executor's
// retry reaches it, and the run must complete with every email delivered
// exactly once (RELIABILITY.md 2.3: "process crash mid-step" and "crash after
// side effect, before the step result is recorded").
//
// The replacement is started, gated, before the kill: it loads the app (two
// seconds or more under load) and listens only once the test creates its gate
// file. With the harness's "fast" backoff the executor spends its ten attempts
// in about 6.5 s of the app being unreachable; a cold start after the
// kill would race that budget. Each connection refused still costs an attempt,
// so the completing attempt's number is not fixed, only "later".

const APP_SCRIPT = path.join(repoRoot, "test/support/engine-app.ts");

const prisma = testDatabase();
let executor: RunningExecutor;
const executorLogs: string[] = [];
let resend: FakeResend;
let gateway: ResendGateway;
let slack: FakeSlack;
let itSystem: HeldServer;
let context: Awaited<ReturnType<ReturnType<typeof orgContextOf>>>;
let services: {
  workflows: typeof import("@/lib/workflows/service");
  runs: typeof import("@/lib/runs/service");
};
let slackCredentialId: string;
let gateDir: string;

const employee = {
  id: "E-2002",
  firstName: "Fox",
  lastName: "Mulder",
  email: "fox@acme.example",
  department: "Engineering",
  title: "Agent",
  startDate: "2026-12-01",
  manager: { name: "Walter Skinner", email: "manager@acme.example" },
};

// ---------------------------------------------------------------- processes

let processes: TsxProcess[] = [];

function reapAll() {
  for (const child of processes) {
    try {
      child.reap();
    } catch {
      // already gone
    }
  }
}
// Last resort if the worker exits without running the hooks: the children are
// in their own process groups and would outlive it.
process.once("exit", reapAll);

type App = { process: TsxProcess; port: number; gate: string };

/**
 * Starts the app on `port`. With `gated`, it loads and then waits for open()
 * before listening, so it can take over a port whose current owner is about to die.
 */
async function startApp(port: number, label: string, gated = false): Promise<App> {
  const gate = path.join(gateDir, `${label}.open`);
  const child = TsxProcess.start(label, APP_SCRIPT, {
    PORT: String(port),
    // `server-only` resolves to its empty module under the condition Next uses for server code.
    NODE_OPTIONS: "--conditions=react-server",
    INNGEST_DEV: "1",
    INNGEST_BASE_URL: executor.url,
    RESEND_API_KEY: resend.apiKey,
    RESEND_BASE_URL: gateway.url,
    SLACK_API_URL: slack.apiUrl,
    // Not used by these workflows; a closed port rather than the internet.
    OPENAI_BASE_URL: "http://127.0.0.1:9/v1",
    OUTBOUND_ALLOWED_HOSTS: "127.0.0.1",
    APP_URL: "http://officeflow.test",
    ...(gated ? { LISTEN_AFTER_FILE: gate } : {}),
  });
  processes.push(child);
  await child.waitForOutput(gated ? /engine app loaded/ : /engine app listening on/, 60_000);
  return { process: child, port, gate };
}

async function open(app: App) {
  fs.writeFileSync(app.gate, "");
  await app.process.waitForOutput(/engine app listening on/, 30_000);
}

/** An app synced with the executor, and its gated replacement on the same port. */
async function startAppPair(name: string) {
  const port = await findFreePort();
  const [app, replacement] = await Promise.all([
    startApp(port, `${name}-app`),
    startApp(port, `${name}-replacement`, true),
  ]);
  await executor.syncApp(`http://127.0.0.1:${port}/api/inngest`);
  return { app, replacement };
}

// ---------------------------------------------------------------- test servers

type HeldServer = {
  url: string;
  requests: { url?: string; body: string }[];
  /** Answers the held requests and every later one at once. */
  release(): void;
  /** Holds every request until release(). */
  hold(): void;
  close(): Promise<void>;
};

/** An "IT system" that can hold its answers, so a step stays in flight as long as a test needs. */
async function startHeldServer(): Promise<HeldServer> {
  const requests: { url?: string; body: string }[] = [];
  let held: http.ServerResponse[] | null = null;
  const answer = (response: http.ServerResponse) => {
    if (response.destroyed) return;
    response.writeHead(200, { "content-type": "application/json" });
    response.end(JSON.stringify({ accountId: "IT-42" }));
  };
  const server = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      requests.push({ url: request.url, body });
      if (held) held.push(response);
      else answer(response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    release() {
      const waiting = held ?? [];
      held = null;
      for (const response of waiting) answer(response);
    },
    hold() {
      held ??= [];
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type ResendGateway = {
  url: string;
  /** Idempotency keys of the POST /emails that reached the fake, in order. */
  arrivals: string[];
  /** Called as a POST /emails arrives, before it is passed on. */
  onArrival: ((idempotencyKey: string) => void) | undefined;
  close(): Promise<void>;
};

/**
 * Passes requests through to fake Resend, noting each POST /emails as it
 * arrives. The fake records an email only once it has answered, so this is
 * how a test knows a send is in flight. A client that dies does not cancel
 * the request it passed on: the fake still completes it, like the real API.
 */
async function startResendGateway(target: string): Promise<ResendGateway> {
  const gateway: ResendGateway = {
    url: "",
    arrivals: [],
    onArrival: undefined,
    close: async () => undefined,
  };
  const server = http.createServer((request, response) => {
    if (request.method === "POST" && new URL(request.url ?? "/", target).pathname === "/emails") {
      const key = String(request.headers["idempotency-key"] ?? "");
      gateway.arrivals.push(key);
      gateway.onArrival?.(key);
    }
    response.on("error", () => undefined);
    const upstream = http.request(
      new URL(request.url ?? "/", target),
      { method: request.method, headers: request.headers },
      (answer) => {
        if (response.destroyed) return void answer.resume();
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    upstream.on("error", () => {
      if (!response.headersSent && !response.destroyed) response.writeHead(502).end();
    });
    request.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  gateway.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  gateway.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return gateway;
}

// ---------------------------------------------------------------- helpers

function definition(
  nodes: WorkflowDefinitionInput["nodes"],
  chain: string[],
): WorkflowDefinitionInput {
  const ids = ["trigger", ...chain];
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee onboarded",
        config: { type: "lifecycle_event", event: "employee.onboard" },
      },
      ...nodes,
    ],
    edges: ids.slice(1).map((to, index) => ({ id: `e${index}`, from: ids[index] as string, to })),
  };
}

const email = (id: string, subject: string) => ({
  id,
  kind: "email",
  name: subject,
  config: { to: "{{ employee.email }}", subject, body: "Hello {{ employee.firstName }}" },
});

async function publish(name: string, input: WorkflowDefinitionInput) {
  const created = await services.workflows.createWorkflow(context, {
    name,
    definition: input as never,
  });
  await services.workflows.publishWorkflow(context, created.id, {});
  return created.id;
}

async function startRun(workflowId: string) {
  const run = await services.runs.startRun(context, workflowId, {
    employee,
    test: false,
    source: "published",
  });
  return run.id;
}

const stepsOf = (runId: string) =>
  prisma.stepRun.findMany({
    where: { runId },
    orderBy: [{ createdAt: "asc" }, { attempt: "asc" }],
  });

/** What a failure message should show: the run's steps, the fakes, the processes, the executor. */
async function evidence(runId?: string) {
  return JSON.stringify(
    {
      steps: runId
        ? (await stepsOf(runId)).map((step) => [step.nodeId, step.attempt, step.status, step.error])
        : [],
      emails: resend.emails().map((sent) => sent.idempotencyKey),
      arrivals: gateway.arrivals,
      itRequests: itSystem.requests.length,
      processes: processes.map((child) => ({
        label: child.label,
        alive: child.isAlive,
        output: child.log().slice(-3000),
      })),
      executor: executorLogs.slice(-30),
    },
    null,
    2,
  );
}

/** Polls `check` until it returns true; the error carries the evidence. */
async function until(what: string, check: () => boolean | Promise<boolean>, runId?: string) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${await evidence(runId)}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The completed run, with the evidence in the error if it is not. */
async function completedRun(runId: string) {
  const run = await waitForRun(prisma, runId, { timeoutMs: 60_000, logs: executorLogs });
  expect(run.status, `${JSON.stringify(run.error)}\n${await evidence(runId)}`).toBe("completed");
  return run;
}

/** One email delivered per idempotency key, and which keys. */
function deliveredKeys() {
  return resend
    .emails()
    .map((sent) => sent.idempotencyKey)
    .sort();
}

// ---------------------------------------------------------------- lifecycle

beforeAll(async () => {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set (the vitest harness provides it)");
  gateDir = fs.mkdtempSync(path.join(os.tmpdir(), "officeflow-crash-"));
  executor = await startExecutor({
    databaseUrl,
    schema: "crash_test",
    backoff: "fast",
    log: (line) => {
      executorLogs.push(line);
      if (process.env.ENGINE_TEST_LOG) console.log(`[executor] ${line}`);
    },
  });
  [resend, slack, itSystem] = await Promise.all([
    startFakeResend(),
    startFakeSlack(),
    startHeldServer(),
  ]);
  gateway = await startResendGateway(resend.url);
  // This process only sends the run events; the app processes run the steps.
  Object.assign(process.env, { INNGEST_DEV: "1", INNGEST_BASE_URL: executor.url });
  const { inngest } = await import("@/inngest/client");
  inngest.setEnvVars();

  const tenant = await createTenant(prisma, "crash");
  context = await orgContextOf(tenant)();
  services = {
    workflows: await import("@/lib/workflows/service"),
    runs: await import("@/lib/runs/service"),
  };
  const credentials = await import("@/lib/credentials/service");
  const credential = await credentials.createCredential(context, {
    kind: "slack",
    name: "Acme Slack",
    secret: { botToken: slack.token },
  } as never);
  slackCredentialId = credential.id;
});

afterEach(async () => {
  const running = processes;
  processes = [];
  // SIGTERM, then SIGKILL to the whole group after the grace period.
  await Promise.all(running.map((child) => child.stop(3_000)));
  resend.reset();
  slack.reset();
  itSystem.release();
  itSystem.requests.length = 0;
  gateway.arrivals.length = 0;
  gateway.onArrival = undefined;
});

afterAll(async () => {
  reapAll();
  await executor?.stop();
  await Promise.all([resend?.close(), slack?.close(), itSystem?.close(), gateway?.close()]);
  if (gateDir) fs.rmSync(gateDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------- tests

describe("the app process is killed mid-run", () => {
  it("retries the interrupted step on the restarted app and sends each email once", async () => {
    const { app, replacement } = await startAppPair("mid-step");
    const workflowId = await publish(
      "Crash mid-step",
      definition(
        [
          email("welcome", "Welcome"),
          {
            id: "provision",
            kind: "http_request",
            name: "Provision account",
            config: {
              method: "POST",
              url: `${itSystem.url}/accounts`,
              body: '{"employee": "{{ employee.id }}"}',
            },
          },
          email("followup", "Your account"),
          {
            id: "announce",
            kind: "slack_message",
            name: "Announce",
            config: {
              credentialId: slackCredentialId,
              target: { type: "channel", channel: "#general" },
              text: "Please welcome {{ employee.firstName }}!",
            },
          },
        ],
        ["welcome", "provision", "followup", "announce"],
      ),
    );

    itSystem.hold();
    const runId = await startRun(workflowId);
    await until(
      "the provisioning request to be in flight",
      () => itSystem.requests.length === 1,
      runId,
    );

    // The step is in flight in the app: its row says running, the request is held.
    const before = await stepsOf(runId);
    expect(before.find((step) => step.nodeId === "provision")?.status).toBe("running");
    expect(deliveredKeys()).toEqual([`${runId}:welcome`]);

    await app.process.kill("SIGKILL");
    expect((await prisma.workflowRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe(
      "running",
    );
    itSystem.release();
    await open(replacement);

    const run = await completedRun(runId);
    const steps = await stepsOf(runId);
    const summary = steps.map((step) => `${step.nodeId}#${step.attempt}:${step.status}`);
    const failure = await evidence(runId);

    // Each email once, by idempotency key; the Slack message once.
    expect(deliveredKeys(), failure).toEqual([`${runId}:followup`, `${runId}:welcome`].sort());
    expect(slack.messages(), failure).toHaveLength(1);
    // The step before the crash was not run again: one attempt, one request to Resend.
    expect(
      summary.filter((step) => step.startsWith("welcome#")),
      failure,
    ).toEqual(["welcome#1:completed"]);
    expect(gateway.arrivals.filter((key) => key === `${runId}:welcome`)).toHaveLength(1);
    // The interrupted step: its first attempt marked interrupted, a later one completed,
    // one request from each.
    const provision = steps.filter((step) => step.nodeId === "provision");
    expect(
      provision.map((step) => step.status),
      failure,
    ).toEqual(["failed", "completed"]);
    expect(provision[0]).toMatchObject({
      attempt: 1,
      error: { message: expect.stringMatching(/interrupted/) },
    });
    expect(provision[1]).toMatchObject({ output: { body: { accountId: "IT-42" } } });
    expect(provision[1]?.attempt).toBeGreaterThan(1);
    expect(itSystem.requests, failure).toHaveLength(2);
    // The steps after it ran once each, on the replacement.
    expect(steps.filter((step) => step.nodeId === "followup").map((step) => step.status)).toEqual([
      "completed",
    ]);
    expect(steps.filter((step) => step.nodeId === "announce").map((step) => step.status)).toEqual([
      "completed",
    ]);
    expect(
      steps.filter((step) => step.status === "running"),
      failure,
    ).toEqual([]);
    expect(run.finishedAt).not.toBeNull();
  }, 180_000);

  it("does not send an email twice when the app dies after Resend accepted it but before the step was recorded", async () => {
    const { app, replacement } = await startAppPair("after-send");
    const workflowId = await publish(
      "Crash after send",
      definition(
        [email("welcome", "Welcome"), email("followup", "Your first week")],
        ["welcome", "followup"],
      ),
    );

    // The follow-up's request stalls at the fake, which sends it anyway 1.5 s later: time
    // enough to kill the app first (asserted below: the step is still "running" then),
    // short enough to leave most of the executor's attempts for the replacement.
    let stalled = false;
    gateway.onArrival = (key) => {
      if (!stalled && key.endsWith(":followup")) {
        stalled = true;
        resend.hangNext(1_500);
      }
    };
    const runId = await startRun(workflowId);
    const followupKey = `${runId}:followup`;
    await until("the follow-up email to reach Resend", () => stalled, runId);
    expect(deliveredKeys(), "nothing sent yet but the welcome").toEqual([`${runId}:welcome`]);

    await app.process.kill("SIGKILL");
    // The side effect happens with nobody left to record it.
    await until("fake Resend to send the stalled email", () =>
      deliveredKeys().includes(followupKey),
    );
    const orphaned = await stepsOf(runId);
    expect(orphaned.find((step) => step.nodeId === "followup")?.status).toBe("running");
    await open(replacement);

    await completedRun(runId);
    const steps = await stepsOf(runId);
    const failure = await evidence(runId);

    // The retry sent the same key again and Resend answered with the original email.
    expect(
      gateway.arrivals.filter((key) => key === followupKey),
      failure,
    ).toHaveLength(2);
    expect(deliveredKeys(), failure).toEqual([followupKey, `${runId}:welcome`].sort());
    const sent = resend.emails().find((message) => message.idempotencyKey === followupKey);
    const followup = steps.filter((step) => step.nodeId === "followup");
    expect(
      followup.map((step) => step.status),
      failure,
    ).toEqual(["failed", "completed"]);
    expect(followup[0]).toMatchObject({
      attempt: 1,
      error: { message: expect.stringMatching(/interrupted/) },
    });
    expect(followup[1]).toMatchObject({ output: { messageId: sent?.id } });
    expect(followup[1]?.attempt).toBeGreaterThan(1);
    // The welcome email was neither re-run nor re-sent.
    expect(steps.filter((step) => step.nodeId === "welcome").map((step) => step.status)).toEqual([
      "completed",
    ]);
    expect(gateway.arrivals.filter((key) => key === `${runId}:welcome`)).toHaveLength(1);
    expect(
      steps.filter((step) => step.status === "running"),
      failure,
    ).toEqual([]);
  }, 180_000);
});
