import { orgRoute } from "@/lib/api/org-route";
import { revokeApiKey } from "@/lib/api-keys/service";

export const DELETE = orgRoute("api-keys:manage", async (context) => ({
  apiKey: await revokeApiKey(context, context.params.apiKeyId as string),
}));
