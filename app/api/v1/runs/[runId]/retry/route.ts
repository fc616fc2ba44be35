import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { retryFromFailed } from "@/lib/runs/service";
import { runPath } from "../../path-params";

// Retries a failed run from its failed node: a new run that reuses what completed (202).
export const POST = orgRoute("runs:start", async (context) => {
  const { runId } = parseWith(runPath, context.params);
  return Response.json(
    { run: await retryFromFailed(context, runId) },
    { status: 202, headers: { "cache-control": "no-store" } },
  );
});
