import { orgRoute } from "@/lib/api/org-route";
import { listMembers } from "@/lib/members/service";

export const GET = orgRoute("members:read", async (context) => ({
  members: await listMembers(context),
}));
