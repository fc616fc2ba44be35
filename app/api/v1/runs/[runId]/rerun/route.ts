import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { rerun } from "@/lib/runs/service";
import { runPath } from "../../path-params";

// A new run of the same version with the same input (202: the engine runs it).
export const POST = orgRoute("runs:start", async (context) => {
  const { runId } = parseWith(runPath, context.params);
  return Response.json(
    { run: await rerun(context, runId) },
    { status: 202, headers: { "cache-control": "no-store" } },
  );
});
