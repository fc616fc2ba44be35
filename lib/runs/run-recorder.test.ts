import { beforeAll, describe, expect, it } from "vitest";
import { createWorkflow, publishWorkflow } from "@/lib/workflows/service";
import { testDatabase } from "@/test/support/database";
import { createTenant, orgContextOf, type Tenant } from "@/test/support/tenants";
import { onboardingDefinition } from "@/test/support/workflows";
import { runRecorder } from "./run-recorder";

// The Prisma-backed recorder on its own, against real rows: the engine may call
// start again (a replayed step) and finish again (a retried function), and
// neither may write anything twice.

const prisma = testDatabase();
let tenant: Tenant;
let other: Tenant;
let workflowId: string;
let versionId: string;

beforeAll(async () => {
  tenant = await createTenant(prisma, "recorder");
  other = await createTenant(prisma, "recorder-other");
  const context = await orgContextOf(tenant)();
  const workflow = await createWorkflow(context, {
    name: "Recorded",
    definition: onboardingDefinition(
      [
        { id: "a", kind: "transform", name: "A", config: { expression: "1" } },
        { id: "b", kind: "transform", name: "B", config: { expression: "2" } },
      ],
      [
        ["trigger", "a"],
        ["a", "b"],
      ],
    ) as never,
  });
  workflowId = workflow.id;
  versionId = (await publishWorkflow(context, workflow.id, {})).id;
});

async function queuedRun() {
  return prisma.workflowRun.create({
    data: {
      organizationId: tenant.organization.id,
      workflowId,
      workflowVersionId: versionId,
      triggerType: "manual",
      triggerEvent: {
        id: "evt-1",
        type: "employee.onboard",
        occurredAt: "2026-11-24T10:00:00.000Z",
        data: { employee: { firstName: "Dana", apiKey: "kept-out-of-the-timeline" } },
      },
    },
  });
}

const auditOf = (runId: string) =>
  prisma.auditLog.findMany({
    where: { organizationId: tenant.organization.id, targetId: runId },
    orderBy: { id: "asc" },
  });

describe("the run recorder", () => {
  it("starts a run once, however often start is called", async () => {
    const run = await queuedRun();
    const recorder = runRecorder(tenant.organization.id, run.id);
    const first = await recorder.start();
    const again = await recorder.start();
    if (first.finished || again.finished) throw new Error("expected the run to start");
    expect(again.startedAt).toBe(first.startedAt);
    expect(first.definition.nodes.map((node) => node.id)).toEqual(["trigger", "a", "b"]);
    expect(first.workflow).toEqual({ id: workflowId, name: "Recorded", version: 1 });

    const row = await prisma.workflowRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { stepRuns: true },
    });
    expect(row.status).toBe("running");
    expect(row.startedAt?.toISOString()).toBe(first.startedAt);
    expect(row.stepRuns.map((step) => [step.nodeId, step.status])).toEqual([
      ["trigger", "completed"],
    ]);
    expect(row.stepRuns[0]?.output).toMatchObject({
      data: { employee: { firstName: "Dana", apiKey: "[redacted]" } },
    });
    const audit = await auditOf(run.id);
    expect(audit.map((entry) => [entry.action, entry.actorType, entry.summary])).toEqual([
      ["run.started", "system", { workflow: "Recorded", version: 1, test: false }],
    ]);
  });

  it("finishes a run once, however often finish is called", async () => {
    const run = await queuedRun();
    const recorder = runRecorder(tenant.organization.id, run.id);
    await recorder.start();
    const outcome = {
      status: "failed" as const,
      error: { nodeId: "a", message: '"A" failed: boom' },
      skipped: [{ nodeId: "b", kind: "transform", reason: 'not run because "A" failed' }],
    };
    await recorder.finish(outcome);
    const finished = await prisma.workflowRun.findUniqueOrThrow({ where: { id: run.id } });
    await recorder.finish(outcome);
    await recorder.finish({ status: "completed", skipped: [] });

    const row = await prisma.workflowRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { stepRuns: { orderBy: { nodeId: "asc" } } },
    });
    expect(row.status).toBe("failed");
    expect(row.error).toEqual(outcome.error);
    expect(row.finishedAt).toEqual(finished.finishedAt);
    expect(row.stepRuns.map((step) => [step.nodeId, step.status, step.detail])).toEqual([
      ["b", "skipped", { reason: 'not run because "A" failed' }],
      ["trigger", "completed", null],
    ]);
    const audit = await auditOf(run.id);
    expect(audit.map((entry) => [entry.action, entry.summary])).toEqual([
      ["run.started", { workflow: "Recorded", version: 1, test: false }],
      ["run.failed", { node: "a", error: '"A" failed: boom' }],
    ]);
  });

  it("leaves a cancelled run cancelled when the engine finishes it", async () => {
    const run = await queuedRun();
    const recorder = runRecorder(tenant.organization.id, run.id);
    await recorder.start();
    await prisma.workflowRun.update({ where: { id: run.id }, data: { status: "cancelled" } });
    await recorder.finish({ status: "completed", skipped: [] });
    const row = await prisma.workflowRun.findUniqueOrThrow({ where: { id: run.id } });
    expect(row.status).toBe("cancelled");
    expect((await auditOf(run.id)).map((entry) => entry.action)).toEqual(["run.started"]);
    expect(await recorder.start()).toEqual({ finished: "cancelled" });
  });

  it("touches nothing of a run that belongs to another organisation", async () => {
    const run = await queuedRun();
    const foreign = runRecorder(other.organization.id, run.id);
    await expect(foreign.start()).rejects.toThrow(/does not exist in this organisation/);
    await foreign.finish({
      status: "completed",
      skipped: [{ nodeId: "b", kind: "transform", reason: "x" }],
    });
    const row = await prisma.workflowRun.findUniqueOrThrow({
      where: { id: run.id },
      include: { stepRuns: true },
    });
    expect(row.status).toBe("queued");
    expect(row.stepRuns).toEqual([]);
    expect(await auditOf(run.id)).toEqual([]);
    expect(
      await prisma.auditLog.count({
        where: { organizationId: other.organization.id, targetId: run.id },
      }),
    ).toBe(0);
  });
});
