import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { getVersion } from "@/lib/workflows/service";
import { versionPath } from "../../../path-params";

export const GET = orgRoute("workflows:read", async (context) => {
  const { workflowId, versionId } = parseWith(versionPath, context.params);
  return { version: await getVersion(context, workflowId, versionId) };
});
