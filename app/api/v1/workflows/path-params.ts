import { z } from "zod";

// The ids in workflow URLs. A malformed one is refused with 400 naming it,
// instead of reaching Postgres, whose uuid cast would fail with a 500.

export const workflowPath = z.object({ workflowId: z.uuid("must be a workflow id") });
export const versionPath = workflowPath.extend({ versionId: z.uuid("must be a version id") });
