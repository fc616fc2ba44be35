import { orgRoute } from "@/lib/api/org-route";
import { describeCredentialKinds } from "@/lib/credentials/kinds";

export const GET = orgRoute("credentials:read", async () => ({
  kinds: describeCredentialKinds(),
}));
