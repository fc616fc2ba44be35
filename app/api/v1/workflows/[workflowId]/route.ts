import { MAX_DEFINITION_BODY_BYTES, parseWith, readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import {
  archiveWorkflow,
  getWorkflow,
  updateWorkflow,
  updateWorkflowSchema,
} from "@/lib/workflows/service";
import { workflowPath } from "../path-params";

export const GET = orgRoute("workflows:read", async (context) => {
  const { workflowId } = parseWith(workflowPath, context.params);
  return { workflow: await getWorkflow(context, workflowId) };
});

// Saves the draft; a stale expectedRevision is refused with 409 instead of overwriting.
export const PATCH = orgRoute("workflows:edit", async (context) => {
  const { workflowId } = parseWith(workflowPath, context.params);
  const input = await readJsonBody(
    context.request,
    updateWorkflowSchema,
    MAX_DEFINITION_BODY_BYTES,
  );
  return { workflow: await updateWorkflow(context, workflowId, input) };
});

// Archives: the workflow leaves the list and cannot be started; its versions and runs are kept.
export const DELETE = orgRoute("workflows:edit", async (context) => {
  const { workflowId } = parseWith(workflowPath, context.params);
  await archiveWorkflow(context, workflowId);
  return { archived: workflowId };
});
