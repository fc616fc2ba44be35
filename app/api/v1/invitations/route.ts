import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import {
  createInvitation,
  createInvitationSchema,
  listInvitations,
} from "@/lib/invitations/service";

export const GET = orgRoute("members:read", async (context) => ({
  invitations: await listInvitations(context),
}));

export const POST = orgRoute("members:invite", async (context) => {
  const input = await readJsonBody(context.request, createInvitationSchema);
  return Response.json({ invitation: await createInvitation(context, input) }, { status: 201 });
});
