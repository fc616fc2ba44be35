import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { createApiKey, createApiKeySchema, listApiKeys } from "@/lib/api-keys/service";

export const GET = orgRoute("api-keys:manage", async (context) => ({
  apiKeys: await listApiKeys(context),
}));

export const POST = orgRoute("api-keys:manage", async (context) => {
  const input = await readJsonBody(context.request, createApiKeySchema);
  return Response.json({ apiKey: await createApiKey(context, input) }, { status: 201 });
});
