import { z } from "zod";
import { MAX_DEFINITION_BODY_BYTES, parseWith, readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { checkDefinition, getWorkflow } from "@/lib/workflows/service";
import { workflowPath } from "../../path-params";

// The definition is taken as it comes (not parsed here): whatever its shape,
// the answer is its problems, exactly as publishing would report them.
const validateWorkflowSchema = z.object({ definition: z.unknown().optional() }).strict();

/** Checks the given definition, or without one the saved draft; saves nothing. */
export const POST = orgRoute("workflows:read", async (context) => {
  const { workflowId } = parseWith(workflowPath, context.params);
  const input = await readJsonBody(
    context.request,
    validateWorkflowSchema,
    MAX_DEFINITION_BODY_BYTES,
  );
  const definition =
    input.definition === undefined
      ? (await getWorkflow(context, workflowId, { withProblems: false })).draftDefinition
      : input.definition;
  return checkDefinition(context, workflowId, definition);
});
