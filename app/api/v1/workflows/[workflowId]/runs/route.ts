import { parseWith, readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { Forbidden } from "@/lib/errors";
import { can } from "@/lib/permissions";
import { startRun, startRunSchema } from "@/lib/runs/service";
import { workflowPath } from "../../path-params";

// Starts a run by hand (202: the engine runs it; follow it at GET /v1/runs/{runId}).
export const POST = orgRoute("runs:start", async (context) => {
  const { workflowId } = parseWith(workflowPath, context.params);
  const input = await readJsonBody(context.request, startRunSchema);
  // A test run of the draft executes what is being edited, not what was published.
  if (input.source === "draft" && !can(context.role, "workflows:edit"))
    throw new Forbidden(`Your role (${context.role}) does not allow workflows:edit.`);
  return Response.json(
    { run: await startRun(context, workflowId, input) },
    { status: 202, headers: { "cache-control": "no-store" } },
  );
});
