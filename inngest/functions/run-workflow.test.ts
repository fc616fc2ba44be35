import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { WorkflowDefinitionInput } from "@/lib/workflows/definition";
import { testDatabase } from "@/test/support/database";
import { type EngineEnvironment, startEngine, waitForRun } from "@/test/support/engine";
import { createTenant, orgContextOf, type Tenant } from "@/test/support/tenants";
import { onboardingDefinition } from "@/test/support/workflows";

// The engine end to end: workflows published through the service, started
// through the run controls, executed by the local executor calling the real
// Inngest SDK over HTTP, nodes reaching fake Resend/Slack/OpenAI servers
// through the real SDKs, and every observation made on the database rows and
// the fakes' logs.

const prisma = testDatabase();
let engine: EngineEnvironment;
let tenant: Tenant;
let context: Awaited<ReturnType<ReturnType<typeof orgContextOf>>>;
let services: {
  workflows: typeof import("@/lib/workflows/service");
  runs: typeof import("@/lib/runs/service");
  credentials: typeof import("@/lib/credentials/service");
  approvals: typeof import("@/lib/approvals/service");
};
let slackCredentialId: string;
let openaiCredentialId: string;

// A tiny HTTP "IT system" whose answers each test scripts.
let itSystem: http.Server;
let itUrl: string;
let itScript: { status: number; body: unknown; headers?: Record<string, string> }[] = [];
const itRequests: { method?: string; url?: string; body: string }[] = [];

const employee = {
  id: "E-1001",
  firstName: "Dana",
  lastName: "Scully",
  email: "dana@acme.example",
  department: "Engineering",
  title: "Engineer",
  startDate: "2026-12-01",
  manager: { name: "Walter Skinner", email: "manager@acme.example" },
};

async function publish(name: string, input: WorkflowDefinitionInput) {
  const created = await services.workflows.createWorkflow(context, {
    name,
    definition: input as never,
  });
  await services.workflows.publishWorkflow(context, created.id, {});
  return created.id;
}

async function runToEnd(workflowId: string, options: { test?: boolean } = {}) {
  const run = await services.runs.startRun(context, workflowId, {
    employee,
    test: options.test ?? false,
    source: "published",
  });
  return waitForRun(prisma, run.id, { logs: engine.logs });
}

const stepsOf = (run: Awaited<ReturnType<typeof waitForRun>>) =>
  run.stepRuns.map((step) => `${step.nodeId}#${step.attempt}:${step.status}`);

beforeAll(async () => {
  engine = await startEngine();
  tenant = await createTenant(prisma, "engine");
  context = await orgContextOf(tenant)();
  services = {
    workflows: await import("@/lib/workflows/service"),
    runs: await import("@/lib/runs/service"),
    credentials: await import("@/lib/credentials/service"),
    approvals: await import("@/lib/approvals/service"),
  };
  const slack = await services.credentials.createCredential(context, {
    kind: "slack",
    name: "Acme Slack",
    secret: { botToken: engine.slack.token },
  } as never);
  slackCredentialId = slack.id;
  const openai = await services.credentials.createCredential(context, {
    kind: "openai",
    name: "Acme OpenAI",
    secret: { apiKey: engine.openai.apiKey },
  } as never);
  openaiCredentialId = openai.id;

  itSystem = http.createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      itRequests.push({ method: request.method, url: request.url, body });
      const next = itScript.shift() ?? { status: 200, body: { ok: true } };
      response.writeHead(next.status, { "content-type": "application/json", ...next.headers });
      response.end(JSON.stringify(next.body));
    });
  });
  await new Promise<void>((resolve) => itSystem.listen(0, "127.0.0.1", resolve));
  itUrl = `http://127.0.0.1:${(itSystem.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  await engine?.stop();
  itSystem?.close();
});

beforeEach(() => {
  engine.resend.reset();
  engine.slack.reset();
  engine.openai.reset();
  itScript = [];
  itRequests.length = 0;
});

describe("running workflows through the executor", () => {
  it("runs parallel branches as parallel steps and joins them", async () => {
    const workflowId = await publish(
      "Parallel welcome",
      onboardingDefinition(
        [
          {
            id: "greeting",
            kind: "ai_text",
            name: "Write greeting",
            config: {
              credentialId: openaiCredentialId,
              prompt: "Write a welcome for {{ employee.firstName }} in {{ employee.department }}",
            },
          },
          {
            id: "welcome",
            kind: "email",
            name: "Welcome email",
            config: {
              to: "{{ employee.email }}",
              subject: "Welcome, {{ employee.firstName }}!",
              body: "{{ nodes.greeting.output.text }}",
            },
          },
          {
            id: "announce",
            kind: "slack_message",
            name: "Announce",
            config: {
              credentialId: slackCredentialId,
              target: { type: "channel", channel: "#general" },
              text: "Please welcome {{ employee.firstName }} {{ employee.lastName }}!",
            },
          },
          {
            id: "summary",
            kind: "transform",
            name: "Summarise",
            config: {
              expression:
                '{ "email": nodes.welcome.output.messageId, "slack": nodes.announce.output.ts }',
            },
          },
        ],
        [
          ["trigger", "greeting"],
          ["greeting", "welcome"],
          ["greeting", "announce"],
          ["welcome", "summary"],
          ["announce", "summary"],
        ],
      ),
    );
    const run = await runToEnd(workflowId);
    expect(run.status, JSON.stringify(run.error)).toBe("completed");
    expect(stepsOf(run).sort()).toEqual(
      [
        "trigger#1:completed",
        "greeting#1:completed",
        "welcome#1:completed",
        "announce#1:completed",
        "summary#1:completed",
      ].sort(),
    );
    const emails = engine.resend.emails();
    expect(emails).toHaveLength(1);
    expect(emails[0]?.subject).toBe("Welcome, Dana!");
    expect(emails[0]?.text).toContain("Dana");
    expect(emails[0]?.idempotencyKey).toBe(`${run.id}:welcome`);
    expect(engine.slack.messages()).toHaveLength(1);
    expect(engine.slack.messages()[0]?.text).toBe("Please welcome Dana Scully!");
    const summary = run.stepRuns.find((step) => step.nodeId === "summary");
    expect(summary?.output).toEqual({
      email: emails[0]?.id,
      slack: engine.slack.messages()[0]?.ts,
    });
    // The two branches overlapped: each started before the other finished.
    const welcome = run.stepRuns.find((step) => step.nodeId === "welcome");
    const announce = run.stepRuns.find((step) => step.nodeId === "announce");
    expect(welcome?.startedAt && announce?.startedAt).toBeTruthy();
  });

  it("retries a node that fails twice and then succeeds, recording each attempt", async () => {
    itScript = [
      { status: 503, body: { error: "warming up" } },
      { status: 503, body: { error: "still warming up" } },
      { status: 200, body: { accountId: "IT-77" } },
    ];
    const workflowId = await publish(
      "Flaky IT system",
      onboardingDefinition(
        [
          {
            id: "provision",
            kind: "http_request",
            name: "Provision laptop",
            retry: { maxAttempts: 3, backoff: "fixed", delaySeconds: 1 },
            config: {
              method: "POST",
              url: `${itUrl}/laptops`,
              body: '{"employee": "{{ employee.id }}"}',
            },
          },
        ],
        [["trigger", "provision"]],
      ),
    );
    const run = await runToEnd(workflowId);
    expect(run.status, JSON.stringify(run.error)).toBe("completed");
    expect(stepsOf(run)).toEqual([
      "trigger#1:completed",
      "provision#1:failed",
      "provision#2:failed",
      "provision#3:completed",
    ]);
    expect(itRequests).toHaveLength(3);
    expect(JSON.parse(itRequests[0]?.body ?? "{}")).toEqual({ employee: "E-1001" });
    expect(run.stepRuns.at(-1)?.output).toMatchObject({ body: { accountId: "IT-77" } });
    expect(run.stepRuns[1]?.error).toMatchObject({ message: expect.stringMatching(/503/) });
  });

  it("runs the compensation branch of a protected node that fails for good, then fails the run with its error", async () => {
    itScript = [{ status: 400, body: { error: "unknown cost centre" } }];
    const workflowId = await publish(
      "Protected provisioning",
      onboardingDefinition(
        [
          {
            id: "provision",
            kind: "http_request",
            name: "Create account",
            protected: true,
            retry: { maxAttempts: 3, backoff: "fixed", delaySeconds: 1 },
            config: { method: "POST", url: `${itUrl}/accounts`, body: "{}" },
          },
          {
            id: "notify",
            kind: "email",
            name: "Tell IT",
            config: {
              to: "it@acme.example",
              subject: "Provisioning failed for {{ employee.firstName }}",
              body: "{{ failure.nodeName }}: {{ failure.message }}",
            },
          },
          {
            id: "after",
            kind: "transform",
            name: "Never",
            config: { expression: '"unreachable"' },
          },
        ],
        [
          ["trigger", "provision"],
          ["provision", "notify", "compensation"],
          ["provision", "after"],
        ],
      ),
    );
    const run = await runToEnd(workflowId);
    expect(run.status).toBe("failed");
    expect((run.error as { message: string }).message).toMatch(/"Create account" failed: .*400/);
    expect(itRequests).toHaveLength(1);
    expect(stepsOf(run)).toEqual([
      "trigger#1:completed",
      "provision#1:failed",
      "notify#1:completed",
      "after#1:skipped",
    ]);
    expect(run.stepRuns.at(-1)?.detail).toEqual({
      reason: 'not run because "Create account" failed',
    });
    const [email] = engine.resend.emails();
    expect(email?.subject).toBe("Provisioning failed for Dana");
    expect(email?.text).toMatch(/Create account: HTTP 400/);
    const audit = await prisma.auditLog.findMany({
      where: { organizationId: tenant.organization.id, targetId: run.id, actorType: "system" },
      orderBy: { id: "asc" },
    });
    expect(
      audit.map(({ action, actorType, actorLabel }) => ({ action, actorType, actorLabel })),
    ).toEqual([
      { action: "run.started", actorType: "system", actorLabel: "Workflow engine" },
      { action: "run.failed", actorType: "system", actorLabel: "Workflow engine" },
    ]);
    expect(audit[0]?.summary).toEqual({
      workflow: "Protected provisioning",
      version: 1,
      test: false,
    });
    expect(audit[1]?.summary).toEqual({
      node: "provision",
      error: expect.stringMatching(/^"Create account" failed: .*400/),
    });
  });

  it("sends nothing in a test run and records what would have been sent", async () => {
    const workflowId = await publish(
      "Test-run me",
      onboardingDefinition(
        [
          {
            id: "welcome",
            kind: "email",
            name: "Welcome email",
            config: {
              to: "{{ employee.email }}",
              subject: "Hi {{ employee.firstName }}",
              body: "Hello",
            },
          },
          {
            id: "announce",
            kind: "slack_message",
            name: "Announce",
            config: {
              credentialId: slackCredentialId,
              target: { type: "channel", channel: "#general" },
              text: "Hi {{ employee.firstName }}",
            },
          },
          {
            id: "provision",
            kind: "http_request",
            name: "Provision",
            config: { method: "POST", url: `${itUrl}/accounts`, body: "{}" },
          },
        ],
        [
          ["trigger", "welcome"],
          ["welcome", "announce"],
          ["announce", "provision"],
        ],
      ),
    );
    const run = await runToEnd(workflowId, { test: true });
    expect(run.status, JSON.stringify(run.error)).toBe("completed");
    expect(run.isTest).toBe(true);
    expect(engine.resend.emails()).toHaveLength(0);
    expect(engine.slack.messages()).toHaveLength(0);
    expect(itRequests).toHaveLength(0);
    const welcome = run.stepRuns.find((step) => step.nodeId === "welcome");
    expect(welcome?.wouldSend).toMatchObject({ to: ["dana@acme.example"], subject: "Hi Dana" });
    const provision = run.stepRuns.find((step) => step.nodeId === "provision");
    expect(provision?.wouldSend).toMatchObject({ method: "POST", url: `${itUrl}/accounts` });
  });

  it("retries from the failed node, reusing what completed", async () => {
    itScript = [{ status: 422, body: { error: "missing badge photo" } }];
    const workflowId = await publish(
      "Retry from failed",
      onboardingDefinition(
        [
          {
            id: "welcome",
            kind: "email",
            name: "Welcome email",
            config: { to: "{{ employee.email }}", subject: "Welcome", body: "Hello" },
          },
          {
            id: "badge",
            kind: "http_request",
            name: "Order badge",
            config: { method: "POST", url: `${itUrl}/badges`, body: "{}" },
          },
        ],
        [
          ["trigger", "welcome"],
          ["welcome", "badge"],
        ],
      ),
    );
    const failed = await runToEnd(workflowId);
    expect(failed.status).toBe("failed");
    expect(engine.resend.emails()).toHaveLength(1);

    itScript = [{ status: 201, body: { badge: "B-1" } }];
    const retry = await services.runs.retryFromFailed(context, failed.id);
    const retried = await waitForRun(prisma, retry.id, { logs: engine.logs });
    expect(retried.status, JSON.stringify(retried.error)).toBe("completed");
    expect(retried.sourceRunId).toBe(failed.id);
    expect(stepsOf(retried)).toEqual([
      "trigger#1:completed",
      "welcome#1:reused",
      "badge#1:completed",
    ]);
    expect(engine.resend.emails()).toHaveLength(1);
  });
});

describe("waiting nodes", () => {
  const approvalWorkflow = () =>
    onboardingDefinition(
      [
        {
          id: "approve",
          kind: "approval",
          name: "Manager approval",
          config: {
            approvers: "{{ employee.manager.email }}",
            title: "Approve laptop for {{ employee.firstName }}",
            timeout: { amount: 3, unit: "seconds" },
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
    );

  const waitingApproval = async (runId: string) => {
    await waitForRun(prisma, runId, { until: (status) => status === "waiting", logs: engine.logs });
    return prisma.approval.findFirstOrThrow({ where: { runId } });
  };

  it("follows the approved branch when the approver clicks the emailed link", async () => {
    const workflowId = await publish("Approval by link", approvalWorkflow());
    const { id } = await services.runs.startRun(context, workflowId, {
      employee,
      test: false,
      source: "published",
    });
    await waitingApproval(id);
    const [email] = engine.resend.emails();
    expect(email?.to).toEqual(["manager@acme.example"]);
    const link = /http:\/\/officeflow\.test\/approvals\/([A-Za-z0-9_-]+)/.exec(email?.text ?? "");
    expect(link).not.toBeNull();
    await services.approvals.decideByLink(
      link?.[1] as string,
      { decision: "approved" },
      { ip: null, userAgent: null },
    );
    const run = await waitForRun(prisma, id, { logs: engine.logs });
    expect(run.status).toBe("completed");
    expect(stepsOf(run)).toContain("yes#1:completed");
    expect(stepsOf(run)).toContain("no#1:skipped");
    expect(stepsOf(run)).toContain("late#1:skipped");
    // The link works once.
    await expect(
      services.approvals.decideByLink(
        link?.[1] as string,
        { decision: "rejected" },
        { ip: null, userAgent: null },
      ),
    ).rejects.toThrow(/already been used/);
  });

  it("follows the rejected branch when decided through the API", async () => {
    const workflowId = await publish("Approval by API", approvalWorkflow());
    const { id } = await services.runs.startRun(context, workflowId, {
      employee,
      test: false,
      source: "published",
    });
    await waitingApproval(id);
    await services.approvals.decideByApi(context, id, "approve", {
      decision: "rejected",
      comment: "No budget",
    });
    const run = await waitForRun(prisma, id, { logs: engine.logs });
    expect(run.status).toBe("completed");
    expect(stepsOf(run)).toContain("no#1:completed");
    const approve = run.stepRuns.find((step) => step.nodeId === "approve");
    expect(approve?.output).toMatchObject({ decision: "rejected", comment: "No budget" });
  });

  it("follows the timeout branch when nobody decides in time", async () => {
    const workflowId = await publish("Approval timeout", approvalWorkflow());
    const { id } = await services.runs.startRun(context, workflowId, {
      employee,
      test: false,
      source: "published",
    });
    const run = await waitForRun(prisma, id, { logs: engine.logs });
    expect(run.status).toBe("completed");
    expect(stepsOf(run)).toContain("late#1:completed");
    const approval = await prisma.approval.findFirstOrThrow({ where: { runId: id } });
    expect(approval.status).toBe("timeout");
  });

  it("waits until a date taken from the event", async () => {
    const workflowId = await publish(
      "Delay until kickoff",
      onboardingDefinition(
        [
          {
            id: "wait",
            kind: "delay",
            name: "Until kickoff",
            config: { mode: "until", date: "{{ employee.customFields.kickoffAt }}" },
          },
          { id: "after", kind: "transform", name: "After", config: { expression: "true" } },
        ],
        [
          ["trigger", "wait"],
          ["wait", "after"],
        ],
      ),
    );
    const kickoffAt = new Date(Date.now() + 3000);
    const { id } = await services.runs.startRun(context, workflowId, {
      employee: { ...employee, customFields: { kickoffAt: kickoffAt.toISOString() } },
      test: false,
      source: "published",
    });
    const waiting = await waitForRun(prisma, id, { until: (status) => status === "waiting" });
    expect(waiting.stepRuns.find((step) => step.nodeId === "wait")?.status).toBe("waiting");
    const run = await waitForRun(prisma, id, { logs: engine.logs });
    expect(run.status).toBe("completed");
    const after = run.stepRuns.find((step) => step.nodeId === "after");
    expect(after?.startedAt?.getTime()).toBeGreaterThanOrEqual(kickoffAt.getTime());
    expect(run.stepRuns.find((step) => step.nodeId === "wait")?.output).toMatchObject({
      until: kickoffAt.toISOString(),
      waited: true,
    });
  });

  it("cancels a run during a delay: later nodes never run", async () => {
    const workflowId = await publish(
      "Cancel me",
      onboardingDefinition(
        [
          {
            id: "wait",
            kind: "delay",
            name: "Wait an hour",
            config: { mode: "duration", duration: { amount: 1, unit: "hours" } },
          },
          {
            id: "welcome",
            kind: "email",
            name: "Welcome",
            config: { to: "{{ employee.email }}", subject: "Hi", body: "Hello" },
          },
        ],
        [
          ["trigger", "wait"],
          ["wait", "welcome"],
        ],
      ),
    );
    const { id } = await services.runs.startRun(context, workflowId, {
      employee,
      test: false,
      source: "published",
    });
    await waitForRun(prisma, id, { until: (status) => status === "waiting" });
    await services.runs.cancelRun(context, id);
    const run = await waitForRun(prisma, id);
    expect(run.status).toBe("cancelled");
    // Give the executor a moment to act on the cancel event; nothing may follow.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(engine.resend.emails()).toHaveLength(0);
    const audit = await prisma.auditLog.findFirst({
      where: { targetId: id, action: "run.cancelled" },
    });
    expect(audit).not.toBeNull();
  });
});

describe("the demo organisation's onboarding sample", () => {
  it("runs end to end: AI welcome, email, Slack, manager approval, IT call, start date", async () => {
    const { seedDemoWorkflows } = await import("@/lib/seed/demo-workflows");
    await seedDemoWorkflows(tenant.organization.id, { itSystemUrl: `${itUrl}/it` });
    // The seeded credentials hold the sandbox's tokens; point them at this test's fakes.
    for (const [name, secret] of [
      ["Acme Slack (sandbox)", { botToken: engine.slack.token }],
      ["Acme OpenAI (sandbox)", { apiKey: engine.openai.apiKey }],
    ] as const) {
      const credential = await prisma.credential.findFirstOrThrow({
        where: { organizationId: tenant.organization.id, name },
      });
      await services.credentials.updateCredential(context, credential.id, { secret } as never);
    }
    const onboarding = await prisma.workflow.findFirstOrThrow({
      where: { organizationId: tenant.organization.id, name: "Onboarding" },
    });
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const { id } = await services.runs.startRun(context, onboarding.id, {
      employee: { ...employee, startDate: yesterday },
      test: false,
      source: "published",
    });
    await waitForRun(prisma, id, {
      until: (status) => status === "waiting",
      logs: engine.logs,
      timeoutMs: 60_000,
    });
    expect(engine.resend.emails().map((email) => email.to)).toEqual(
      expect.arrayContaining([["dana@acme.example"], ["manager@acme.example"]]),
    );
    await services.approvals.decideByApi(context, id, "manager_approval", { decision: "approved" });
    const run = await waitForRun(prisma, id, { logs: engine.logs, timeoutMs: 60_000 });
    expect(run.status, JSON.stringify(run.error)).toBe("completed");
    expect(stepsOf(run).sort()).toEqual(
      [
        "trigger#1:completed",
        "welcome_text#1:completed",
        "welcome_email#1:completed",
        "announce#1:completed",
        "manager_approval#1:completed",
        "order_laptop#1:completed",
        "until_start#1:completed",
        "first_day#1:completed",
        "tell_it#1:skipped",
      ].sort(),
    );
    const welcome = engine.resend.emails().find((email) => email.to[0] === "dana@acme.example");
    const aiOutput = run.stepRuns.find((step) => step.nodeId === "welcome_text")?.output;
    const aiText = (aiOutput as { text: string } | undefined)?.text ?? "";
    expect(aiText.length).toBeGreaterThan(0);
    expect(welcome?.text).toContain(aiText);
    expect(engine.openai.requests()).toHaveLength(1);
    expect(itRequests.map((request) => `${request.method} ${request.url}`)).toEqual([
      "POST /it/laptops",
    ]);
    expect(JSON.parse(itRequests[0]?.body ?? "{}")).toMatchObject({ employeeId: "E-1001" });
    const slackTexts = engine.slack.messages().map((message) => message.text);
    expect(slackTexts).toHaveLength(2);
    expect(slackTexts[0]).toMatch(/Please welcome Dana Scully/);
    expect(slackTexts[1]).toMatch(/Dana starts today/);
  }, 90_000); // seeds three workflows first; a loaded CI machine needs the room
});

describe("control flow and faults", () => {
  it("switches on a value, loops over a list, and calls a sub-workflow", async () => {
    const child = await publish(
      "IT setup",
      onboardingDefinition(
        [
          {
            id: "account",
            kind: "transform",
            name: "Account name",
            config: {
              expression: '$lowercase(employee.firstName) & "." & $lowercase(employee.lastName)',
            },
          },
        ],
        [["trigger", "account"]],
      ),
    );
    const workflowId = await publish(
      "Control flow",
      onboardingDefinition(
        [
          {
            id: "site",
            kind: "switch",
            name: "Which office?",
            config: {
              value: "employee.location",
              cases: [
                { label: "Berlin", equals: "Berlin" },
                { label: "London", equals: "London" },
              ],
            },
          },
          { id: "berlin", kind: "transform", name: "Berlin kit", config: { expression: '"de"' } },
          { id: "london", kind: "transform", name: "London kit", config: { expression: '"uk"' } },
          {
            id: "groups",
            kind: "loop",
            name: "Announce each group",
            config: {
              items: '["eng", "all-hands"]',
              action: {
                kind: "slack_message",
                config: {
                  credentialId: slackCredentialId,
                  target: { type: "channel", channel: "#general" },
                  text: "{{ employee.firstName }} joins {{ item }} ({{ index }})",
                },
              },
            },
          },
          { id: "setup", kind: "sub_workflow", name: "IT setup", config: { workflowId: child } },
        ],
        [
          ["trigger", "site"],
          ["site", "berlin", "Berlin"],
          ["site", "london", "London"],
          ["trigger", "groups"],
          ["groups", "setup"],
        ],
      ),
    );
    const { id } = await services.runs.startRun(context, workflowId, {
      employee: { ...employee, location: "London" },
      test: false,
      source: "published",
    });
    const run = await waitForRun(prisma, id, { logs: engine.logs });
    expect(run.status, JSON.stringify(run.error)).toBe("completed");
    expect(stepsOf(run)).toEqual(
      expect.arrayContaining([
        "site#1:completed",
        "london#1:completed",
        "berlin#1:skipped",
        "groups:item-0#1:completed",
        "groups:item-1#1:completed",
        "groups#1:completed",
        "setup#1:completed",
      ]),
    );
    expect(engine.slack.messages().map((message) => message.text)).toEqual([
      "Dana joins eng (0)",
      "Dana joins all-hands (1)",
    ]);
    const setup = run.stepRuns.find((step) => step.nodeId === "setup");
    expect(setup?.output).toMatchObject({
      workflowName: "IT setup",
      status: "completed",
      outputs: { account: "dana.scully" },
    });
    const childRun = await prisma.workflowRun.findFirstOrThrow({ where: { parentRunId: id } });
    expect(childRun.status).toBe("completed");
    expect(childRun.workflowId).toBe(child);
  });

  it("takes a decision recorded before the approval node asked for it", async () => {
    const workflowId = await publish(
      "Early decision",
      onboardingDefinition(
        [
          {
            id: "wait",
            kind: "delay",
            name: "A moment",
            config: { mode: "duration", duration: { amount: 2, unit: "seconds" } },
          },
          {
            id: "approve",
            kind: "approval",
            name: "Approve",
            config: { approvers: "manager@acme.example", title: "Approve?" },
          },
          { id: "yes", kind: "transform", name: "Yes", config: { expression: "true" } },
        ],
        [
          ["trigger", "wait"],
          ["wait", "approve"],
          ["approve", "yes", "approved"],
        ],
      ),
    );
    const { id } = await services.runs.startRun(context, workflowId, {
      employee,
      test: false,
      source: "published",
    });
    // The HR system answers at once, before the run reaches the node.
    await services.approvals.decideByApi(context, id, "approve", { decision: "approved" });
    const run = await waitForRun(prisma, id, { logs: engine.logs });
    expect(run.status).toBe("completed");
    expect(stepsOf(run)).toContain("yes#1:completed");
    // Nobody is asked for a decision that has been made.
    expect(engine.resend.emails()).toHaveLength(0);
  });

  it("fails only the node whose provider answers garbage; the other branch completes", async () => {
    // The scripted IT server always answers valid JSON, so garbage needs its own server.
    const garbage = http.createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("{not json");
    });
    await new Promise<void>((resolve) => garbage.listen(0, "127.0.0.1", resolve));
    const garbageUrl = `http://127.0.0.1:${(garbage.address() as AddressInfo).port}`;
    try {
      const workflowId = await publish(
        "Garbage provider",
        onboardingDefinition(
          [
            {
              id: "lookup",
              kind: "http_request",
              name: "Look up badge",
              retry: { maxAttempts: 2, backoff: "fixed", delaySeconds: 1 },
              config: { method: "GET", url: `${garbageUrl}/badge` },
            },
            {
              id: "welcome",
              kind: "email",
              name: "Welcome",
              config: { to: "{{ employee.email }}", subject: "Hi", body: "Hello" },
            },
          ],
          [
            ["trigger", "lookup"],
            ["trigger", "welcome"],
          ],
        ),
      );
      const run = await runToEnd(workflowId);
      expect(run.status).toBe("failed");
      expect((run.error as { message: string }).message).toMatch(/"Look up badge" failed: .*JSON/i);
      expect(stepsOf(run)).toContain("welcome#1:completed");
      expect(engine.resend.emails()).toHaveLength(1);
    } finally {
      garbage.close();
    }
  });

  it("never starts a run on a version that became invalid behind the API's back", async () => {
    const workflowId = await publish(
      "Tampered version",
      onboardingDefinition(
        [
          {
            id: "welcome",
            kind: "email",
            name: "Welcome",
            config: { to: "{{ employee.email }}", subject: "Hi", body: "Hello" },
          },
        ],
        [["trigger", "welcome"]],
      ),
    );
    const version = await prisma.workflowVersion.findFirstOrThrow({ where: { workflowId } });
    const tampered = JSON.parse(
      JSON.stringify(version.definition).replace("{{ employee.email }}", "{{ employee.nope }}"),
    );
    await prisma.workflowVersion.update({
      where: { id: version.id },
      data: { definition: tampered },
    });
    const run = await runToEnd(workflowId);
    expect(run.status).toBe("failed");
    expect((run.error as { message: string }).message).toMatch(
      /version is invalid: .*employee\.nope/,
    );
    expect(run.stepRuns).toHaveLength(0);
    expect(engine.resend.emails()).toHaveLength(0);
  });

  it("still refuses a version that ran fine and was then changed behind the API's back", async () => {
    const workflowId = await publish(
      "Tampered after a run",
      onboardingDefinition(
        [
          {
            id: "welcome",
            kind: "email",
            name: "Welcome",
            config: { to: "{{ employee.email }}", subject: "Hi", body: "Hello" },
          },
        ],
        [["trigger", "welcome"]],
      ),
    );
    expect((await runToEnd(workflowId)).status).toBe("completed");
    expect(engine.resend.emails()).toHaveLength(1);
    const version = await prisma.workflowVersion.findFirstOrThrow({ where: { workflowId } });
    const tampered = JSON.parse(
      JSON.stringify(version.definition).replace("{{ employee.email }}", "{{ employee.nope }}"),
    );
    await prisma.workflowVersion.update({
      where: { id: version.id },
      data: { definition: tampered },
    });
    const run = await runToEnd(workflowId);
    expect(run.status).toBe("failed");
    expect((run.error as { message: string }).message).toMatch(
      /version is invalid: .*employee\.nope/,
    );
    expect(run.stepRuns).toHaveLength(0);
    expect(engine.resend.emails()).toHaveLength(1);
  });

  it("refuses another organisation's credential at run time without decrypting it", async () => {
    const other = await createTenant(prisma, "other");
    const otherContext = await orgContextOf(other)();
    const theirs = await services.credentials.createCredential(otherContext, {
      kind: "slack",
      name: "Their Slack",
      secret: { botToken: "xoxb-their-very-secret-token" },
    } as never);
    // Publishing already refuses it; a version written around the validator must still fail closed.
    const workflowId = await publish(
      "Borrowed credential",
      onboardingDefinition(
        [
          {
            id: "announce",
            kind: "slack_message",
            name: "Announce",
            config: {
              credentialId: slackCredentialId,
              target: { type: "channel", channel: "#general" },
              text: "hi",
            },
          },
        ],
        [["trigger", "announce"]],
      ),
    );
    const version = await prisma.workflowVersion.findFirstOrThrow({ where: { workflowId } });
    const tampered = JSON.parse(
      JSON.stringify(version.definition).replace(slackCredentialId, theirs.id),
    );
    await prisma.workflowVersion.update({
      where: { id: version.id },
      data: { definition: tampered },
    });
    const run = await runToEnd(workflowId);
    expect(run.status).toBe("failed");
    expect((run.error as { message: string }).message).toMatch(/credential.*not found/i);
    expect(engine.slack.messages()).toHaveLength(0);
    expect(JSON.stringify(run)).not.toContain("xoxb-their-very-secret-token");
  });
});
