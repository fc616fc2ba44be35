import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { updateOrganization } from "@/lib/db/organizations";
import { updateOrganizationSchema } from "@/lib/organizations/schemas";

export const GET = orgRoute("organization:read", async ({ organization, role }) => ({
  organization,
  role,
}));

export const PATCH = orgRoute("organization:update", async ({ request, audit }) => {
  const changes = await readJsonBody(request, updateOrganizationSchema);
  return { organization: await updateOrganization(audit, changes) };
});
