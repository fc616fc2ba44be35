import "server-only";
import { forOrg } from "@/lib/db/tenant";
import { permanentFailure } from "@/lib/engine/node-error";
import { isTruncatedValue } from "@/lib/engine/recorded-value";
import type { ChildRunPort } from "@/lib/nodes/services";

// Sub-workflow runs: created by the calling node's begin step (idempotent per
// parent run and node), pinned to the sub-workflow's active version, with the
// parent's trigger event, and awaited with step.invoke.

export function childRunPort(organizationId: string): ChildRunPort {
  const db = forOrg(organizationId);
  return {
    async createChild({ parentRunId, nodeId, workflowId }) {
      const existing = await db.workflowRun.findUnique({
        where: { parentRunId_parentNodeId: { parentRunId, parentNodeId: nodeId } },
        select: {
          id: true,
          workflow: { select: { name: true } },
          workflowVersion: { select: { version: true } },
        },
      });
      if (existing)
        return {
          runId: existing.id,
          workflowName: existing.workflow.name,
          version: existing.workflowVersion.version,
        };
      const [parent, workflow] = await Promise.all([
        db.workflowRun.findUniqueOrThrow({ where: { id: parentRunId } }),
        db.workflow.findUnique({
          where: { id: workflowId },
          select: { name: true, activeVersionId: true },
        }),
      ]);
      if (!workflow) throw permanentFailure("the sub-workflow no longer exists");
      if (!workflow.activeVersionId)
        throw permanentFailure(`sub-workflow "${workflow.name}" has no published version`);
      const version = await db.workflowVersion.findUniqueOrThrow({
        where: { id: workflow.activeVersionId },
        select: { id: true, version: true },
      });
      const child = await db.workflowRun.create({
        data: {
          organizationId,
          workflowId,
          workflowVersionId: version.id,
          triggerType: parent.triggerType,
          triggerEvent: parent.triggerEvent ?? {},
          lifecycleEventId: parent.lifecycleEventId,
          employeeRef: parent.employeeRef,
          employeeName: parent.employeeName,
          employeeEmail: parent.employeeEmail,
          isTest: parent.isTest,
          parentRunId,
          parentNodeId: nodeId,
        },
        select: { id: true },
      });
      return { runId: child.id, workflowName: workflow.name, version: version.version };
    },
    async result(runId) {
      const run = await db.workflowRun.findUniqueOrThrow({
        where: { id: runId },
        select: { status: true, error: true },
      });
      const steps = await db.stepRun.findMany({
        where: { runId, status: { in: ["completed", "reused"] } },
        select: { nodeId: true, output: true, nodeKind: true },
      });
      const outputs: Record<string, unknown> = {};
      for (const step of steps)
        if (
          step.nodeKind !== "trigger" &&
          !step.nodeId.includes(":") &&
          !isTruncatedValue(step.output)
        )
          outputs[step.nodeId] = step.output;
      const error = (run.error as { message?: string } | null)?.message ?? null;
      return { status: run.status, error, outputs };
    },
  };
}
