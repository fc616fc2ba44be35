import { beforeAll, describe, expect, it } from "vitest";
import { createWorkflow, publishWorkflow } from "@/lib/workflows/service";
import { testDatabase } from "@/test/support/database";
import { createTenant, orgContextOf, type Tenant } from "@/test/support/tenants";
import { startDueScheduledRuns } from "./scheduled-runs";

const prisma = testDatabase();
let tenant: Tenant;

function scheduled(cron: string, timezone = "Europe/Berlin") {
  return {
    schemaVersion: 1 as const,
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        name: "Every morning",
        config: { type: "schedule", cron, timezone },
        position: { x: 0, y: 0 },
      },
      {
        id: "report",
        kind: "transform",
        name: "Report",
        config: { expression: "event.data.slot" },
        position: { x: 0, y: 100 },
      },
    ],
    edges: [{ id: "e1", from: "trigger", to: "report" }],
  };
}

beforeAll(async () => {
  tenant = await createTenant(prisma, "schedules");
});

describe("scheduled workflows", () => {
  it("publishing sets the next slot in the schedule's time zone", async () => {
    const context = await orgContextOf(tenant)();
    const workflow = await createWorkflow(context, {
      name: "Daily digest",
      definition: scheduled("0 9 * * *"),
    });
    await publishWorkflow(context, workflow.id, {});
    const row = await prisma.workflow.findUniqueOrThrow({ where: { id: workflow.id } });
    expect(row.triggerType).toBe("schedule");
    // 09:00 in Berlin is 07:00 or 08:00 UTC depending on the season.
    expect([7, 8]).toContain(row.nextScheduledAt?.getUTCHours());
    expect(row.nextScheduledAt?.getTime()).toBeGreaterThan(Date.now());
  });

  it("starts one run per due slot, however often the sweep runs, and moves to the next slot", async () => {
    const context = await orgContextOf(tenant)();
    const workflow = await createWorkflow(context, {
      name: "Hourly",
      definition: scheduled("0 * * * *", "UTC"),
    });
    await publishWorkflow(context, workflow.id, {});
    const { nextScheduledAt: slot } = await prisma.workflow.findUniqueOrThrow({
      where: { id: workflow.id },
    });
    const now = new Date((slot as Date).getTime() + 1000);
    const [first, second] = await Promise.all([
      startDueScheduledRuns(now),
      startDueScheduledRuns(now),
    ]);
    const mine = [...first, ...second].filter(
      (run) => run.organizationId === tenant.organization.id,
    );
    const runs = await prisma.workflowRun.findMany({ where: { workflowId: workflow.id } });
    expect(runs).toHaveLength(1);
    expect(new Set(mine.map((run) => run.runId))).toEqual(new Set([runs[0]?.id]));
    expect(runs[0]?.triggerEvent).toMatchObject({
      type: "schedule",
      data: { slot: slot?.toISOString() },
    });
    const moved = await prisma.workflow.findUniqueOrThrow({ where: { id: workflow.id } });
    expect(moved.nextScheduledAt?.getTime()).toBe((slot as Date).getTime() + 3_600_000);
    expect(await startDueScheduledRuns(now)).toEqual([]);
  });

  it("refuses an invalid cron expression at publish, naming the field", async () => {
    const context = await orgContextOf(tenant)();
    const workflow = await createWorkflow(context, {
      name: "Broken",
      definition: scheduled("61 * * * *", "UTC"),
    });
    await expect(publishWorkflow(context, workflow.id, {})).rejects.toMatchObject({
      problems: [expect.objectContaining({ nodeId: "trigger", field: "cron" })],
    });
  });
});
