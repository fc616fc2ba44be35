import { orgRoute } from "@/lib/api/org-route";
import { resendInvitation } from "@/lib/invitations/service";

export const POST = orgRoute("members:invite", async (context) => ({
  invitation: await resendInvitation(context, context.params.invitationId as string),
}));
