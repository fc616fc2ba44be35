import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { findFreePort } from "./lib/ports";

// `npm run dev` is the product's promise of "one command, offline". These
// tests run the real launcher (embedded Postgres + migrations + seed + next
// dev) in a scratch data directory and on scratch ports.

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), "officeflow-dev-"));
await fs.chmod(scratch, 0o755);
const children: ChildProcess[] = [];

afterAll(async () => {
  // Ctrl-C first, so the launcher stops its own detached children (next dev, executor, Postgres).
  for (const child of children) {
    if (child.exitCode !== null) continue;
    child.kill("SIGINT");
    const exited = new Promise((resolve) => child.once("exit", resolve));
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
    if (child.exitCode === null) child.kill("SIGKILL");
  }
  await fs.rm(scratch, { recursive: true, force: true });
});

type Launch = { child: ChildProcess; output: () => string; exited: Promise<number | null> };

function launch(env: Record<string, string | undefined>): Launch {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(
    path.resolve("node_modules/.bin/tsx"),
    ["--conditions=react-server", "scripts/dev.ts"],
    {
      env: {
        ...inherited,
        OFFICEFLOW_DATA_DIR: scratch,
        NODE_ENV: "development",
        // Only the full start below needs the provider sandbox (on a port it picks).
        OFFICEFLOW_SANDBOX: "0",
        ...env,
      } as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  children.push(child);
  let output = "";
  child.stdout?.on("data", (chunk) => {
    output += chunk;
  });
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code) => resolve(code)),
  );
  return { child, output: () => output, exited };
}

async function waitFor(launched: Launch, text: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!launched.output().includes(text)) {
    if (launched.child.exitCode !== null)
      throw new Error(`launcher exited early:\n${launched.output()}`);
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for "${text}":\n${launched.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function occupy(port: number): Promise<net.Server> {
  const server = net.createServer().listen(port, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return server;
}

describe("npm run dev (scripts/dev.ts)", () => {
  it("says which port is taken when the app port is in use", async () => {
    const appPort = await findFreePort();
    const blocker = await occupy(appPort);
    const launched = launch({
      PORT: String(appPort),
      OFFICEFLOW_PG_PORT: String(await findFreePort()),
    });
    expect(await launched.exited).toBe(1);
    blocker.close();
    expect(launched.output()).toContain(`Port ${appPort} for the app (next dev) is already in use`);
    expect(launched.output()).not.toMatch(/\n\s+at /);
  });

  it("says which port is taken when the Postgres port is in use", async () => {
    const pgPort = await findFreePort();
    const blocker = await occupy(pgPort);
    const launched = launch({
      PORT: String(await findFreePort()),
      INNGEST_LOCAL_PORT: String(await findFreePort()),
      OFFICEFLOW_PG_PORT: String(pgPort),
    });
    expect(await launched.exited).toBe(1);
    blocker.close();
    expect(launched.output()).toContain(`Port ${pgPort} for Postgres is already in use`);
    expect(launched.output()).toContain("OFFICEFLOW_PG_PORT");
  });

  it("says which port is taken when the executor port is in use", async () => {
    const executorPort = await findFreePort();
    const blocker = await occupy(executorPort);
    const launched = launch({
      PORT: String(await findFreePort()),
      INNGEST_LOCAL_PORT: String(executorPort),
    });
    expect(await launched.exited).toBe(1);
    blocker.close();
    expect(launched.output()).toContain(
      `Port ${executorPort} for the local Inngest executor is already in use`,
    );
  });

  it("names a malformed variable", async () => {
    const badUrl = launch({ PORT: String(await findFreePort()), DATABASE_URL: "not a url" });
    expect(await badUrl.exited).toBe(1);
    expect(badUrl.output()).toMatch(/DATABASE_URL: must be a URL/);

    const badPort = launch({ PORT: "eighty" });
    expect(await badPort.exited).toBe(1);
    expect(badPort.output()).toContain(
      'PORT must be a port number between 1 and 65535, got "eighty"',
    );
  });

  it("starts Postgres, migrates, seeds and serves the app; stops cleanly on Ctrl-C; keeps data across restarts", async () => {
    const appPort = await findFreePort();
    const pgPort = await findFreePort();
    const env = {
      PORT: String(appPort),
      OFFICEFLOW_PG_PORT: String(pgPort),
      INNGEST_LOCAL_PORT: String(await findFreePort()),
      OFFICEFLOW_SANDBOX: "1",
      OFFICEFLOW_SANDBOX_PORT: String(await findFreePort()),
    };

    const first = launch(env);
    await waitFor(first, "OfficeFlow is running at", 150_000);
    expect(first.output()).toContain("seeded the demo organisation Acme");
    expect(first.output()).toContain("seeded sample workflows: Onboarding, Offboarding, Transfer");
    expect(first.output()).toMatch(/Demo owner:\s+owner@acme\.example \/ officeflow-demo/);
    expect(first.output()).toMatch(/synced \d+ function\(s\) into the local executor/);
    const ready = await fetch(`http://127.0.0.1:${appPort}/api/health/ready`);
    expect(ready.status).toBe(200);

    first.child.kill("SIGINT");
    expect(await first.exited).toBe(0);
    expect(first.output()).toContain("[dev] stopped");
    expect(existsSync(path.join(scratch, "postgres", "postmaster.pid")), "Postgres stopped").toBe(
      false,
    );

    const second = launch(env);
    await waitFor(second, "OfficeFlow is running at", 150_000);
    expect(second.output()).toContain("demo organisation Acme already present");
    expect(second.output()).toMatch(/migrations: 0 applied, \d+ already present/);
    expect(second.output()).not.toContain("initialising a new Postgres cluster");
    // The demo owner printed by the launcher can sign in (through next-auth's own endpoints).
    const base = `http://127.0.0.1:${appPort}`;
    const signedOut = await fetch(`${base}/o/acme/workflows`);
    expect(signedOut.url).toContain("/sign-in");
    const csrf = await fetch(`${base}/api/auth/csrf`);
    const jar = new Map(
      csrf.headers.getSetCookie().map((c) => c.split(";")[0]!.split("=") as [string, string]),
    );
    const cookieHeader = () => [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const login = await fetch(`${base}/api/auth/callback/credentials`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", cookie: cookieHeader() },
      body: new URLSearchParams({
        csrfToken,
        email: "owner@acme.example",
        password: "officeflow-demo",
        json: "true",
      }),
      redirect: "manual",
    });
    for (const cookie of login.headers.getSetCookie()) {
      const [name, value] = cookie.split(";")[0]!.split("=") as [string, string];
      jar.set(name, value);
    }
    const shell = await fetch(`${base}/o/acme/workflows`, { headers: { cookie: cookieHeader() } });
    expect(shell.status).toBe(200);
    expect(await shell.text()).toContain("Acme");

    // The seeded onboarding sample runs offline against the provider sandbox
    // (AI text, Slack) and the dev mailbox, up to its manager approval.
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${base}${path}`, {
        ...init,
        headers: { cookie: cookieHeader(), origin: base, "content-type": "application/json" },
      });
    const listed = (await (await api("/api/v1/workflows?org=acme")).json()) as {
      workflows: { id: string; name: string; status: string }[];
    };
    expect(listed.workflows.map((workflow) => [workflow.name, workflow.status]).sort()).toEqual([
      ["Offboarding", "active"],
      ["Onboarding", "active"],
      ["Transfer", "active"],
    ]);
    const onboarding = listed.workflows.find((workflow) => workflow.name === "Onboarding");

    // An HR system's signed delivery, sent with curl by the script the launcher
    // prints, starts the onboarding sample; the run is visible through the API.
    const hook = /Demo webhook:\s+(\S+) \(Standard Webhooks, secret (whsec_\S+)\)/.exec(
      second.output(),
    );
    expect(hook, "the launcher prints the demo webhook").not.toBeNull();
    const sent = await new Promise<{ code: number | null; out: string }>((resolve) => {
      const curl = spawn("bash", [
        "scripts/send-demo-webhook.sh",
        hook?.[1] ?? "",
        hook?.[2] ?? "",
      ]);
      let out = "";
      curl.stdout.on("data", (chunk) => {
        out += chunk;
      });
      curl.stderr.on("data", (chunk) => {
        out += chunk;
      });
      curl.on("exit", (code) => resolve({ code, out }));
    });
    expect(sent.code, sent.out).toBe(0);
    expect(JSON.parse(sent.out)).toMatchObject({ events: 1, duplicate: false });
    let run: { id: string; status: string } | undefined;
    for (let waited = 0; waited < 120_000; waited += 500) {
      const body = (await (
        await api(`/api/v1/runs?org=acme&workflowId=${onboarding?.id}`)
      ).json()) as { runs: { id: string; status: string; employeeEmail: string }[] };
      run = body.runs.find((candidate) => candidate.employeeEmail === "dana@acme.example");
      if (run?.status === "waiting" || run?.status === "failed") break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // It runs offline against the provider sandbox (AI text, Slack) and the dev
    // mailbox, up to the manager's approval.
    expect(run?.status).toBe("waiting");
    second.child.kill("SIGINT");
    expect(await second.exited).toBe(0);
  }, 360_000);
});
