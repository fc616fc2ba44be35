import { orgRoute } from "@/lib/api/org-route";
import { revokeInvitation } from "@/lib/invitations/service";

export const DELETE = orgRoute("members:invite", async (context) => ({
  invitation: await revokeInvitation(context, context.params.invitationId as string),
}));
