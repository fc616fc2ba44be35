import "server-only";
import { recordAudit } from "@/lib/audit";
import { forOrg } from "@/lib/db/tenant";
import { evaluateExpression } from "@/lib/engine/expression";
import type { LifecycleEventData, TriggerEvent } from "@/lib/events/lifecycle-event";
import type { Prisma } from "@/lib/generated/prisma/client";
import { TRIGGER_KIND, type TriggerConfig } from "@/lib/nodes/trigger";
import { derivedUuid } from "@/lib/sha256";
import { workflowDefinitionSchema } from "@/lib/workflows/definition";

// Which published workflows a lifecycle event starts: those whose trigger is
// that event type and whose optional filter (JSONata over the event) is true.
// Each run's id is derived from (event, workflow), so doing this twice — a
// redelivered event, a retried step — creates no second run.

/** A stable run id for (lifecycle event, workflow). */
export function runIdFor(lifecycleEventId: string, workflowId: string): string {
  return derivedUuid(`lifecycle-run:${lifecycleEventId}:${workflowId}`);
}

export async function startRunsForLifecycleEvent(
  organizationId: string,
  lifecycleEventId: string,
): Promise<string[]> {
  const db = forOrg(organizationId);
  const event = await db.lifecycleEvent.findUnique({ where: { id: lifecycleEventId } });
  if (!event) return [];
  const data = event.payload as LifecycleEventData;
  const workflows = await db.workflow.findMany({
    where: { status: "active", triggerType: "lifecycle_event", triggerEvent: event.type },
    select: { id: true, name: true, activeVersionId: true },
  });
  const triggerEvent: TriggerEvent = {
    id: event.id,
    type: event.type,
    occurredAt: event.occurredAt.toISOString(),
    data: data as unknown as Record<string, unknown>,
  };
  const runIds: string[] = [];
  for (const workflow of workflows) {
    if (!workflow.activeVersionId) continue;
    const version = await db.workflowVersion.findUnique({
      where: { id: workflow.activeVersionId },
      select: { id: true, definition: true },
    });
    const definition = version ? workflowDefinitionSchema.safeParse(version.definition) : null;
    if (!version || !definition?.success) continue;
    const trigger = definition.data.nodes.find((node) => node.kind === TRIGGER_KIND)?.config as
      | TriggerConfig
      | undefined;
    if (trigger?.type === "lifecycle_event" && trigger.filter) {
      const scope = { employee: data.employee, previous: data.previous, event: triggerEvent };
      const matches = await evaluateExpression(trigger.filter, scope).catch(() => false);
      if (matches !== true) continue;
    }
    const runId = runIdFor(event.id, workflow.id);
    await db.$transaction(async (tx) => {
      const created = await tx.workflowRun.createMany({
        data: [
          {
            id: runId,
            organizationId,
            workflowId: workflow.id,
            workflowVersionId: version.id,
            triggerType: "lifecycle_event",
            triggerEvent: triggerEvent as unknown as Prisma.InputJsonValue,
            lifecycleEventId: event.id,
            inngestEventId: `lifecycle:${event.id}:${workflow.id}`,
            employeeRef: data.employee.id,
            employeeName: `${data.employee.firstName} ${data.employee.lastName}`,
            employeeEmail: data.employee.email,
          },
        ],
        skipDuplicates: true,
      });
      if (created.count === 1)
        await recordAudit(
          tx,
          {
            organizationId,
            actor: { type: "system", label: `Lifecycle event ${event.type}` },
            meta: { ip: null, userAgent: null },
          },
          {
            action: "run.requested",
            targetType: "workflow_run",
            targetId: runId,
            summary: { workflow: workflow.name, event: event.type, employee: data.employee.id },
          },
        );
    });
    runIds.push(runId);
  }
  return runIds;
}
