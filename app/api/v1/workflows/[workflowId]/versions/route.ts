import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { listVersions } from "@/lib/workflows/service";
import { workflowPath } from "../../path-params";

export const GET = orgRoute("workflows:read", async (context) => {
  const { workflowId } = parseWith(workflowPath, context.params);
  return { versions: await listVersions(context, workflowId) };
});
