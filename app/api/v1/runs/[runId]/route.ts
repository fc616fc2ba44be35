import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { getRun } from "@/lib/runs/service";
import { runPath } from "../path-params";

/** The run with its steps (every attempt), for the timeline. */
export const GET = orgRoute("runs:read", async (context) => {
  const { runId } = parseWith(runPath, context.params);
  return { run: await getRun(context, runId) };
});
