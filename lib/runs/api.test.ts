import { randomBytes, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { sha256Hex } from "@/lib/sha256";
import type { WorkflowDefinitionInput } from "@/lib/workflows/definition";
import { testDatabase } from "@/test/support/database";
import { type EngineEnvironment, startEngine } from "@/test/support/engine";
import { apiRouteFiles, callRoute, type HttpMethod } from "@/test/support/routes";
import { createTenant, type Tenant } from "@/test/support/tenants";
import { onboardingDefinition } from "@/test/support/workflows";

// The runs API and the approval link through their route handlers, with the
// engine running (the local executor and the app's Inngest functions): start,
// follow, cancel, re-run, retry, decide approvals by API and by emailed link.
// Every wait is a poll with a deadline, never a fixed sleep.

// These tests stand in for a proxy that sets X-Forwarded-For (per-address rate limits).
process.env.TRUST_PROXY = "1";

// Lets one test take a permission away from a role, to prove a route asks for it.
const revoked = vi.hoisted(() => new Set<string>());
vi.mock("@/lib/permissions", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/permissions")>();
  return {
    ...actual,
    can: (role: Parameters<typeof actual.can>[0], permission: Parameters<typeof actual.can>[1]) =>
      !revoked.has(`${role} ${permission}`) && actual.can(role, permission),
  };
});

const prisma = testDatabase();
let engine: EngineEnvironment;
let tenant: Tenant;
let other: Tenant;
let editorKey: string;
let greetingWorkflowId: string;
let approvalWorkflowId: string;

const file = (pattern: string) => {
  const route = apiRouteFiles().find((r) => r.pattern === pattern);
  if (!route) throw new Error(`no route ${pattern}`);
  return route.file;
};

/** Calls the route whose pattern is `pattern`, filling its [params] into the URL. */
async function call(
  method: HttpMethod,
  pattern: string,
  key: string | null,
  options: {
    body?: unknown;
    params?: Record<string, string>;
    query?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const path = pattern.replace(/\[(\w+)\]/g, (_, name: string) => options.params?.[name] ?? "");
  const response = await callRoute(
    file(pattern),
    method,
    `http://localhost${path}${options.query ?? ""}`,
    {
      params: options.params,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    },
  );
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    body: text ? JSON.parse(text) : null,
  };
}

const WORKFLOWS = "/api/v1/workflows";
const PUBLISH = "/api/v1/workflows/[workflowId]/publish";
const START_RUN = "/api/v1/workflows/[workflowId]/runs";
const RUNS = "/api/v1/runs";
const RUN = "/api/v1/runs/[runId]";
const CANCEL = "/api/v1/runs/[runId]/cancel";
const RERUN = "/api/v1/runs/[runId]/rerun";
const RETRY = "/api/v1/runs/[runId]/retry";
const DECIDE = "/api/v1/runs/[runId]/approvals/[nodeId]";
const LINK = "/api/approvals/[token]";

const employee = (managerEmail = "manager@acme.example") => ({
  id: "E-2001",
  firstName: "Dana",
  lastName: "Scully",
  email: "dana@acme.example",
  manager: { name: "Walter Skinner", email: managerEmail },
});

async function createAndPublish(name: string, input: WorkflowDefinitionInput) {
  const key = tenant.keys.owner.secret;
  const created = await call("POST", WORKFLOWS, key, { body: { name, definition: input } });
  expect(created.status, created.text).toBe(201);
  const workflowId = created.body.workflow.id as string;
  const published = await call("POST", PUBLISH, key, { params: { workflowId }, body: {} });
  expect(published.status, published.text).toBe(201);
  return workflowId;
}

async function startRun(workflowId: string, body: Record<string, unknown>, key = editorKey) {
  const response = await call("POST", START_RUN, key, { params: { workflowId }, body });
  expect(response.status, response.text).toBe(202);
  return response.body.run.id as string;
}

const TERMINAL = ["completed", "failed", "cancelled"];

/** Polls GET /v1/runs/{runId} until `until` holds (default: a terminal status), or fails at the deadline. */
async function pollRun(runId: string, until = (status: string) => TERMINAL.includes(status)) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const response = await call("GET", RUN, tenant.keys.viewer.secret, { params: { runId } });
    expect(response.status, response.text).toBe(200);
    const run = response.body.run;
    if (until(run.status)) return run;
    if (Date.now() > deadline)
      throw new Error(
        `run ${runId} is still ${run.status}; executor:\n${engine.logs.slice(-20).join("\n")}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

type StepView = { nodeId: string; status: string; output: unknown };
const stepsOf = (run: { stepRuns: StepView[] }) =>
  run.stepRuns.map((step) => `${step.nodeId}:${step.status}`);

/** Starts a run of the approval workflow and waits until it waits; returns its id and the emailed link's token. */
async function waitingApprovalRun() {
  const managerEmail = `manager-${randomBytes(4).toString("hex")}@acme.example`;
  const runId = await startRun(approvalWorkflowId, { employee: employee(managerEmail) });
  await pollRun(runId, (status) => status === "waiting");
  const email = engine.resend.emails().find((sent) => sent.to.includes(managerEmail));
  const token = /http:\/\/officeflow\.test\/approvals\/([A-Za-z0-9_-]+)/.exec(email?.text ?? "");
  if (!token?.[1]) throw new Error(`no approval email for ${managerEmail}`);
  return { runId, token: token[1] };
}

const approvalOf = (runId: string) => prisma.approval.findFirstOrThrow({ where: { runId } });

beforeAll(async () => {
  engine = await startEngine();
  tenant = await createTenant(prisma, "runs-api");
  other = await createTenant(prisma, "runs-api-other");
  editorKey = `of_${randomBytes(32).toString("base64url")}`;
  await prisma.apiKey.create({
    data: {
      organizationId: tenant.organization.id,
      name: "editor key",
      prefix: editorKey.slice(0, 10),
      keyHash: sha256Hex(editorKey),
      role: "editor",
    },
  });
  greetingWorkflowId = await createAndPublish(
    "Greeting",
    onboardingDefinition(
      [
        {
          id: "greet",
          kind: "transform",
          name: "Greet",
          config: { expression: '"Hello " & employee.firstName' },
        },
      ],
      [["trigger", "greet"]],
    ),
  );
  approvalWorkflowId = await createAndPublish(
    "Laptop approval",
    onboardingDefinition(
      [
        {
          id: "approve",
          kind: "approval",
          name: "Manager approval",
          config: {
            approvers: "{{ employee.manager.email }}",
            title: "Approve a laptop for {{ employee.firstName }}",
            message: "Dana starts on Monday.",
            timeout: { amount: 1, unit: "hours" },
          },
        },
        { id: "yes", kind: "transform", name: "Approved", config: { expression: '"yes"' } },
        { id: "no", kind: "transform", name: "Rejected", config: { expression: '"no"' } },
        { id: "late", kind: "transform", name: "Timed out", config: { expression: '"late"' } },
      ],
      [
        ["trigger", "approve"],
        ["approve", "yes", "approved"],
        ["approve", "no", "rejected"],
        ["approve", "late", "timeout"],
      ],
    ),
  );
}, 120_000);

afterAll(async () => {
  await engine?.stop();
});

describe("starting and following runs", () => {
  it("starts a run (202) that the engine completes, and shows it with its steps", async () => {
    const started = await call("POST", START_RUN, editorKey, {
      params: { workflowId: greetingWorkflowId },
      body: { employee: employee() },
    });
    expect(started.status, started.text).toBe(202);
    expect(started.body.run).toMatchObject({
      status: "queued",
      workflowId: greetingWorkflowId,
      isTest: false,
    });
    const runId = started.body.run.id as string;

    const run = await pollRun(runId);
    expect(run.status, JSON.stringify(run.error)).toBe("completed");
    expect(run).toMatchObject({
      employeeName: "Dana Scully",
      employeeEmail: "dana@acme.example",
      workflow: { id: greetingWorkflowId, name: "Greeting" },
      workflowVersion: { version: 1 },
    });
    expect(run.workflowVersion).not.toHaveProperty("definition");
    expect(run.nodes).toEqual([
      { id: "trigger", name: "Employee onboarded", kind: "trigger" },
      { id: "greet", name: "Greet", kind: "transform" },
    ]);
    expect(stepsOf(run)).toEqual(["trigger:completed", "greet:completed"]);
    expect(run.stepRuns.find((step: StepView) => step.nodeId === "greet")?.output).toBe(
      "Hello Dana",
    );

    const listed = await call("GET", RUNS, tenant.keys.viewer.secret, {
      query: `?workflowId=${greetingWorkflowId}&status=completed&limit=5`,
    });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.runs.map((r: { id: string }) => r.id)).toContain(runId);
    // ?org= (how a browser session names the organisation) is not taken for a filter.
    const withOrg = await call("GET", RUNS, tenant.keys.viewer.secret, {
      query: `?org=${tenant.organization.slug}&status=completed`,
    });
    expect(withOrg.status, withOrg.text).toBe(200);
    expect(withOrg.body.runs.map((r: { id: string }) => r.id)).toContain(runId);
  });

  it("refuses an invalid employee payload with 400 naming the field, and starts nothing", async () => {
    const before = await prisma.workflowRun.count();
    const cases: [unknown, string][] = [
      [{ employee: { ...employee(), email: "not-an-email" } }, "employee.email"],
      [{ employee: { ...employee(), manager: { email: "nope" } } }, "employee.manager.email"],
      [{ employee: { ...employee(), startDate: "next week" } }, "employee.startDate"],
      [{}, "employee"],
      [{ employee: employee(), source: "draft" }, "source"],
      [{ employee: employee(), test: "yes" }, "test"],
    ];
    for (const [body, field] of cases) {
      const response = await call("POST", START_RUN, editorKey, {
        params: { workflowId: greetingWorkflowId },
        body,
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(
        response.body.error.issues.map((issue: { field: string }) => issue.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect(await prisma.workflowRun.count()).toBe(before);
  });

  it("answers 404 for a run that does not exist and 400 for a malformed run id", async () => {
    const key = tenant.keys.owner.secret;
    const runId = randomUUID();
    for (const [method, pattern, params, body] of [
      ["GET", RUN, { runId }, undefined],
      ["POST", CANCEL, { runId }, undefined],
      ["POST", RERUN, { runId }, undefined],
      ["POST", RETRY, { runId }, undefined],
      ["POST", DECIDE, { runId, nodeId: "approve" }, { decision: "approved" }],
    ] as const) {
      const response = await call(method, pattern, key, { params, body });
      expect(response.status, `${method} ${pattern}`).toBe(404);
      expect(response.body.error).toEqual({ code: "not_found", message: "Run not found." });
    }
    const malformed = await call("GET", RUN, key, { params: { runId: "42" } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.issues).toEqual([{ field: "runId", message: "must be a run id" }]);
  });

  it("refuses bad list filters with 400 naming the field", async () => {
    const key = tenant.keys.viewer.secret;
    for (const [query, field] of [
      ["?status=bogus", "status"],
      ["?limit=0", "limit"],
      ["?limit=lots", "limit"],
      ["?workflowId=nope", "workflowId"],
    ]) {
      const response = await call("GET", RUNS, key, { query });
      expect(response.status, query).toBe(400);
      expect(
        response.body.error.issues.map((issue: { field: string }) => issue.field),
        query,
      ).toEqual([field]);
    }
  });
});

describe("run controls", () => {
  it("cancels a waiting run: the approval closes, and it cannot be cancelled or retried again", async () => {
    const { runId } = await waitingApprovalRun();
    const cancelled = await call("POST", CANCEL, editorKey, { params: { runId } });
    expect(cancelled.status, cancelled.text).toBe(200);
    expect(cancelled.body.run).toEqual({ id: runId, status: "cancelled" });

    const run = await pollRun(runId);
    expect(run.status).toBe("cancelled");
    expect(run.stepRuns.find((step: StepView) => step.nodeId === "approve")?.status).toBe(
      "cancelled",
    );
    expect((await approvalOf(runId)).status).toBe("timeout");
    expect(
      await prisma.auditLog.count({ where: { targetId: runId, action: "run.cancelled" } }),
    ).toBe(1);

    const again = await call("POST", CANCEL, editorKey, { params: { runId } });
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/already cancelled/);
    const retry = await call("POST", RETRY, editorKey, { params: { runId } });
    expect(retry.status).toBe(409);
    expect(retry.body.error.message).toMatch(/Only a failed run.*cancelled/);
  });

  it("retries only a failed run (409 otherwise) and re-runs a finished one as a new run", async () => {
    const runId = await startRun(greetingWorkflowId, { employee: employee() });
    const finished = await pollRun(runId);
    expect(finished.status).toBe("completed");
    const runsBefore = await prisma.workflowRun.count();

    const retry = await call("POST", RETRY, editorKey, { params: { runId } });
    expect(retry.status).toBe(409);
    expect(retry.body.error.message).toBe(
      "Only a failed run can be retried from its failed step; this one is completed.",
    );
    expect(await prisma.workflowRun.count()).toBe(runsBefore);

    const rerun = await call("POST", RERUN, editorKey, { params: { runId } });
    expect(rerun.status, rerun.text).toBe(202);
    const rerunId = rerun.body.run.id as string;
    expect(rerunId).not.toBe(runId);
    const second = await pollRun(rerunId);
    expect(second).toMatchObject({ status: "completed", sourceRunId: runId });
    expect(stepsOf(second)).toEqual(["trigger:completed", "greet:completed"]);

    const { runId: waitingId } = await waitingApprovalRun();
    const early = await call("POST", RERUN, editorKey, { params: { runId: waitingId } });
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/still waiting/);
    await call("POST", CANCEL, editorKey, { params: { runId: waitingId } });
  });

  it("starts a test run of the draft only for a role that may edit the workflow", async () => {
    const runsBefore = await prisma.workflowRun.count();
    const versionsBefore = await prisma.workflowVersion.count();
    revoked.add("editor workflows:edit");
    try {
      const refused = await call("POST", START_RUN, editorKey, {
        params: { workflowId: greetingWorkflowId },
        body: { employee: employee(), test: true, source: "draft" },
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toMatch(/workflows:edit/);
      expect(await prisma.workflowRun.count()).toBe(runsBefore);
      expect(await prisma.workflowVersion.count()).toBe(versionsBefore);
    } finally {
      revoked.clear();
    }

    const allowed = await call("POST", START_RUN, editorKey, {
      params: { workflowId: greetingWorkflowId },
      body: { employee: employee(), test: true, source: "draft" },
    });
    expect(allowed.status, allowed.text).toBe(202);
    expect(allowed.body.run.isTest).toBe(true);
    const run = await pollRun(allowed.body.run.id);
    expect(run.status).toBe("completed");
    // Runs pin a version; the draft's is a snapshot that is never listed as published.
    expect(run.workflowVersion.version).toBeLessThan(0);
  });

  it("lets a viewer follow runs but not start, cancel, re-run, retry or decide them", async () => {
    const viewer = tenant.keys.viewer.secret;
    const { runId } = await waitingApprovalRun();
    const runsBefore = await prisma.workflowRun.count();
    const refused: [string, Record<string, string>, unknown][] = [
      [START_RUN, { workflowId: greetingWorkflowId }, { employee: employee() }],
      [CANCEL, { runId }, undefined],
      [RERUN, { runId }, undefined],
      [RETRY, { runId }, undefined],
      [DECIDE, { runId, nodeId: "approve" }, { decision: "approved" }],
    ];
    for (const [pattern, params, body] of refused) {
      const response = await call("POST", pattern, viewer, { params, body });
      expect(response.status, pattern).toBe(403);
      expect(response.body.error.message).toMatch(/viewer/);
    }
    expect(await prisma.workflowRun.count()).toBe(runsBefore);
    expect((await approvalOf(runId)).status).toBe("pending");
    expect((await call("GET", RUN, viewer, { params: { runId } })).body.run.status).toBe("waiting");
    expect((await call("GET", RUNS, viewer)).status).toBe(200);
    await call("POST", CANCEL, editorKey, { params: { runId } });
  });
});

describe("approvals through the API", () => {
  it("decides a waiting approval: the run follows the branch; a second decision is refused", async () => {
    const { runId } = await waitingApprovalRun();
    const unknownNode = await call("POST", DECIDE, editorKey, {
      params: { runId, nodeId: "greet" },
      body: { decision: "approved" },
    });
    expect(unknownNode.status).toBe(404);
    expect(unknownNode.body.error.message).toBe("Approval node not found.");
    const badDecision = await call("POST", DECIDE, editorKey, {
      params: { runId, nodeId: "approve" },
      body: { decision: "maybe" },
    });
    expect(badDecision.status).toBe(400);
    expect(badDecision.body.error.issues).toEqual([
      { field: "decision", message: 'must be "approved" or "rejected"' },
    ]);

    const decided = await call("POST", DECIDE, editorKey, {
      params: { runId, nodeId: "approve" },
      body: { decision: "rejected", comment: "No budget this quarter" },
    });
    expect(decided.status, decided.text).toBe(200);
    expect(decided.body.approval).toMatchObject({
      runId,
      nodeId: "approve",
      decision: "rejected",
    });
    const run = await pollRun(runId);
    expect(run.status).toBe("completed");
    expect(stepsOf(run)).toEqual(
      expect.arrayContaining(["approve:completed", "no:completed", "yes:skipped"]),
    );
    expect(run.stepRuns.find((step: StepView) => step.nodeId === "approve")?.output).toMatchObject({
      decision: "rejected",
      comment: "No budget this quarter",
      decidedBy: "API key editor key",
    });

    const again = await call("POST", DECIDE, editorKey, {
      params: { runId, nodeId: "approve" },
      body: { decision: "approved" },
    });
    expect(again.status).toBe(409);
  });

  it("answers 404 to another tenant deciding this tenant's approval, which keeps waiting", async () => {
    const { runId } = await waitingApprovalRun();
    const foreign = await call("POST", DECIDE, other.keys.owner.secret, {
      params: { runId, nodeId: "approve" },
      body: { decision: "approved" },
    });
    expect(foreign.status).toBe(404);
    expect(foreign.body.error).toEqual({ code: "not_found", message: "Run not found." });
    expect((await approvalOf(runId)).status).toBe("pending");
    expect((await call("GET", RUN, editorKey, { params: { runId } })).body.run.status).toBe(
      "waiting",
    );
    await call("POST", CANCEL, editorKey, { params: { runId } });
  });
});

describe("approval links", () => {
  const decideByLink = (token: string, body: unknown, ip = "198.51.100.1") =>
    call("POST", LINK, null, { params: { token }, body, headers: { "x-forwarded-for": ip } });

  it("decides once through the emailed link: 404 unknown, 400 bad body, 200, then 410", async () => {
    const { runId, token } = await waitingApprovalRun();
    const unknown = await decideByLink(randomBytes(32).toString("base64url"), {
      decision: "approved",
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toEqual({ code: "not_found", message: "Approval not found." });

    const bad = await decideByLink(token, { decision: "yes please" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].field).toBe("decision");
    // A refused body does not use up the link.
    const tokenRow = await prisma.approvalToken.findUniqueOrThrow({
      where: { tokenHash: sha256Hex(token) },
    });
    expect(tokenRow.usedAt).toBeNull();

    const approved = await decideByLink(token, { decision: "approved", comment: "Go ahead" });
    expect(approved.status, approved.text).toBe(200);
    expect(approved.body).toEqual({ decision: "approved" });

    const reused = await decideByLink(token, { decision: "rejected" });
    expect(reused.status).toBe(410);
    expect(reused.body.error.message).toMatch(/already been used/);

    const run = await pollRun(runId);
    expect(run.status).toBe("completed");
    expect(stepsOf(run)).toContain("yes:completed");
    const approval = await approvalOf(runId);
    expect(approval).toMatchObject({
      status: "approved",
      decidedVia: "link",
      comment: "Go ahead",
    });
    expect(approval.decidedBy).toMatch(/^manager-.*@acme\.example$/);
  });

  it("answers 409 when the approval was already decided, keeping the link unused", async () => {
    const { runId, token } = await waitingApprovalRun();
    await call("POST", DECIDE, editorKey, {
      params: { runId, nodeId: "approve" },
      body: { decision: "approved" },
    });
    const late = await decideByLink(token, { decision: "rejected" });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/already approved/);
    const tokenRow = await prisma.approvalToken.findUniqueOrThrow({
      where: { tokenHash: sha256Hex(token) },
    });
    expect(tokenRow.usedAt).toBeNull();
    expect((await pollRun(runId)).status).toBe("completed");
  });

  it("answers 410 when the approval has expired", async () => {
    const { runId, token } = await waitingApprovalRun();
    const approval = await approvalOf(runId);
    await prisma.approval.update({
      where: { id: approval.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const expired = await decideByLink(token, { decision: "approved" });
    expect(expired.status).toBe(410);
    expect(expired.body.error.message).toMatch(/expired/);
    expect((await approvalOf(runId)).status).toBe("pending");
    await call("POST", CANCEL, editorKey, { params: { runId } });
  });

  it("rate-limits link decisions per address with 429 and Retry-After", async () => {
    const ip = "198.51.100.77";
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof decideByLink>> | undefined;
    for (let attempt = 0; attempt < 31; attempt++) {
      last = await decideByLink(
        randomBytes(32).toString("base64url"),
        { decision: "approved" },
        ip,
      );
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 30).every((status) => status === 404)).toBe(true);
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another address is not affected.
    const elsewhere = await decideByLink(randomBytes(32).toString("base64url"), {
      decision: "approved",
    });
    expect(elsewhere.status).toBe(404);
  });
});
