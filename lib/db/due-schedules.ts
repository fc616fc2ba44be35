import "server-only";
import { db } from "@/lib/db/client";

// The schedule sweep looks across organisations for workflows whose next slot
// is due (one indexed query); everything it then does goes through forOrg().

export function findDueScheduledWorkflows(now: Date, limit: number) {
  return db().workflow.findMany({
    where: { nextScheduledAt: { lte: now }, status: "active", triggerType: "schedule" },
    orderBy: { nextScheduledAt: "asc" },
    take: limit,
    select: { id: true, organizationId: true, nextScheduledAt: true },
  });
}
