import { parseWith, readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { publishWorkflow, publishWorkflowSchema } from "@/lib/workflows/service";
import { workflowPath } from "../../path-params";

// Publishes the saved draft as the next version; an invalid draft is refused with 422 and its problems.
export const POST = orgRoute("workflows:publish", async (context) => {
  const { workflowId } = parseWith(workflowPath, context.params);
  const input = await readJsonBody(context.request, publishWorkflowSchema);
  return Response.json(
    { version: await publishWorkflow(context, workflowId, input) },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
