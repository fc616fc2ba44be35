import { readJsonBody, requestMeta } from "@/lib/api/http";
import { publicRoute } from "@/lib/api/public-route";
import { currentUser } from "@/lib/auth/session";
import { acceptInvitation, acceptInvitationSchema } from "@/lib/invitations/accept";

export const POST = publicRoute(
  "the invitee is not a member yet; the token authorises",
  async (request) => {
    const input = await readJsonBody(request, acceptInvitationSchema);
    const sessionUser = request.headers.has("cookie") ? await currentUser() : null;
    return acceptInvitation(input, sessionUser, requestMeta(request));
  },
);
