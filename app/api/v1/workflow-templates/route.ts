import { orgRoute } from "@/lib/api/org-route";
import { listWorkflowTemplates } from "@/lib/workflows/templates";

/** The templates gallery: ready-made joiner, mover and leaver workflows to create a draft from. */
export const GET = orgRoute("workflows:read", async () => ({
  templates: listWorkflowTemplates(),
}));
