import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { listRuns, listRunsSchema } from "@/lib/runs/service";

export const GET = orgRoute("runs:read", async (context) => {
  // ?org= names the organisation for session callers; it is not a filter.
  const { org: _org, ...query } = Object.fromEntries(context.url.searchParams);
  return { runs: await listRuns(context, parseWith(listRunsSchema, query)) };
});
