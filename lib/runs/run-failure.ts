import "server-only";
import { recordAudit } from "@/lib/audit";
import { forOrg } from "@/lib/db/tenant";

/**
 * The engine gave up on a run outside any node (for example the database was
 * down for every retry of its first step): close the row so it is not left
 * queued or running forever.
 */
export async function markRunFailed(organizationId: string, runId: string, message: string) {
  const db = forOrg(organizationId);
  await db.$transaction(async (tx) => {
    const updated = await tx.workflowRun.updateMany({
      where: { id: runId, status: { in: ["queued", "running", "waiting"] } },
      data: {
        status: "failed",
        finishedAt: new Date(),
        error: { message: message.slice(0, 2000) },
      },
    });
    if (updated.count === 1)
      await recordAudit(
        tx,
        {
          organizationId,
          actor: { type: "system", label: "Workflow engine" },
          meta: { ip: null, userAgent: null },
        },
        {
          action: "run.failed",
          targetType: "workflow_run",
          targetId: runId,
          summary: { error: message.slice(0, 300) },
        },
      );
  });
}
