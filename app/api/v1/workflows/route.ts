import { MAX_DEFINITION_BODY_BYTES, readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { createWorkflow, createWorkflowSchema, listWorkflows } from "@/lib/workflows/service";

export const GET = orgRoute("workflows:read", async (context) => ({
  workflows: await listWorkflows(context),
}));

export const POST = orgRoute("workflows:edit", async (context) => {
  const input = await readJsonBody(
    context.request,
    createWorkflowSchema,
    MAX_DEFINITION_BODY_BYTES,
  );
  return Response.json(
    { workflow: await createWorkflow(context, input) },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
