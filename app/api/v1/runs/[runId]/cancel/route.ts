import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { cancelRun } from "@/lib/runs/service";
import { runPath } from "../../path-params";

// Cancels the run and its sub-workflow runs; nodes that have not started never will.
export const POST = orgRoute("runs:cancel", async (context) => {
  const { runId } = parseWith(runPath, context.params);
  return { run: await cancelRun(context, runId) };
});
