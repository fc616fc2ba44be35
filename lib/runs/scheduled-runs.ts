import "server-only";
import { recordAudit } from "@/lib/audit";
import { findDueScheduledWorkflows } from "@/lib/db/due-schedules";
import { forOrg } from "@/lib/db/tenant";
import type { Prisma } from "@/lib/generated/prisma/client";
import { TRIGGER_KIND, type TriggerConfig } from "@/lib/nodes/trigger";
import { derivedUuid } from "@/lib/sha256";
import { workflowDefinitionSchema } from "@/lib/workflows/definition";
import { nextSlot } from "@/lib/workflows/schedule";

// One sweep for every tenant's schedules: each due workflow gets one run per
// slot (its id derives from workflow and slot, so a repeated sweep creates
// nothing twice), and its next slot moves on with a conditional update.

function runIdForSlot(workflowId: string, slot: Date): string {
  return derivedUuid(`schedule-run:${workflowId}:${slot.toISOString()}`);
}

export type ScheduledRun = { organizationId: string; runId: string };

export async function startDueScheduledRuns(
  now = new Date(),
  limit = 500,
): Promise<ScheduledRun[]> {
  const due = await findDueScheduledWorkflows(now, limit);
  const started: ScheduledRun[] = [];
  for (const workflow of due) {
    const slot = workflow.nextScheduledAt as Date;
    const db = forOrg(workflow.organizationId);
    const current = await db.workflow.findUnique({
      where: { id: workflow.id },
      select: { name: true, activeVersionId: true },
    });
    const version = current?.activeVersionId
      ? await db.workflowVersion.findUnique({
          where: { id: current.activeVersionId },
          select: { id: true, definition: true },
        })
      : null;
    const definition = version ? workflowDefinitionSchema.safeParse(version.definition) : null;
    const trigger = definition?.success
      ? (definition.data.nodes.find((node) => node.kind === TRIGGER_KIND)?.config as TriggerConfig)
      : undefined;
    if (!current || !version || trigger?.type !== "schedule") {
      await db.workflow.updateMany({ where: { id: workflow.id }, data: { nextScheduledAt: null } });
      continue;
    }
    // Slots missed while nothing ran (an outage) are not replayed one by one: the
    // next slot is computed from now, and the one due slot runs once.
    const following = nextSlot(trigger.cron, trigger.timezone, now > slot ? now : slot);
    const runId = runIdForSlot(workflow.id, slot);
    const eventId = `schedule:${workflow.id}:${slot.toISOString()}`;
    await db.$transaction(async (tx) => {
      const moved = await tx.workflow.updateMany({
        where: { id: workflow.id, nextScheduledAt: slot },
        data: { nextScheduledAt: following },
      });
      if (moved.count !== 1) return;
      const created = await tx.workflowRun.createMany({
        data: [
          {
            id: runId,
            organizationId: workflow.organizationId,
            workflowId: workflow.id,
            workflowVersionId: version.id,
            triggerType: "schedule",
            triggerEvent: {
              id: eventId,
              type: "schedule",
              occurredAt: slot.toISOString(),
              data: { slot: slot.toISOString() },
            } as Prisma.InputJsonValue,
            inngestEventId: eventId,
          },
        ],
        skipDuplicates: true,
      });
      if (created.count === 1)
        await recordAudit(
          tx,
          {
            organizationId: workflow.organizationId,
            actor: { type: "system", label: "Schedule" },
            meta: { ip: null, userAgent: null },
          },
          {
            action: "run.requested",
            targetType: "workflow_run",
            targetId: runId,
            summary: { workflow: current.name, slot: slot.toISOString() },
          },
        );
    });
    started.push({ organizationId: workflow.organizationId, runId });
  }
  return started;
}
