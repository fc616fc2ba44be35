import { parseWith, readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { decideByApi, decisionInputSchema } from "@/lib/approvals/service";
import { runPath } from "../../../path-params";

// Decides a run's approval node. A decision made before the run reaches the
// node is kept, and the node finds it when it asks.
export const POST = orgRoute("runs:approve", async (context) => {
  const { runId } = parseWith(runPath, context.params);
  const nodeId = context.params.nodeId as string;
  const input = await readJsonBody(context.request, decisionInputSchema);
  const { approvalId, decision } = await decideByApi(context, runId, nodeId, input);
  return { approval: { id: approvalId, runId, nodeId, decision } };
});
