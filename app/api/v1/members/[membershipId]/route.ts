import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { changeMemberRole, changeRoleSchema, removeMember } from "@/lib/members/service";

export const PATCH = orgRoute("members:update", async (context) => {
  const { role } = await readJsonBody(context.request, changeRoleSchema);
  return { member: await changeMemberRole(context, context.params.membershipId as string, role) };
});

// Removing others needs members:remove; the service also lets a member leave.
export const DELETE = orgRoute("organization:read", async (context) =>
  removeMember(context, context.params.membershipId as string),
);
