import { z } from "zod";

// The run id in run URLs. A malformed one is refused with 400 naming it,
// instead of reaching Postgres, whose uuid cast would fail with a 500.

export const runPath = z.object({ runId: z.uuid("must be a run id") });
