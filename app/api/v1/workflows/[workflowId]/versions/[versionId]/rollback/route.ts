import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { rollbackToVersion } from "@/lib/workflows/service";
import { versionPath } from "../../../../path-params";

// Publishes the old version's definition again as a new version (history is never rewritten).
export const POST = orgRoute("workflows:publish", async (context) => {
  const { workflowId, versionId } = parseWith(versionPath, context.params);
  return Response.json(
    { version: await rollbackToVersion(context, workflowId, versionId) },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
