import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import {
  createWebhookEndpoint,
  createWebhookEndpointSchema,
  listWebhookEndpoints,
} from "@/lib/webhooks/endpoints";

// Reads need webhooks:manage too: an endpoint's config maps the organisation's integrations.
export const GET = orgRoute("webhooks:manage", async (context) => ({
  endpoints: await listWebhookEndpoints(context),
}));

export const POST = orgRoute("webhooks:manage", async (context) => {
  const input = await readJsonBody(context.request, createWebhookEndpointSchema);
  return Response.json(await createWebhookEndpoint(context, input), {
    status: 201,
    headers: { "cache-control": "no-store" },
  });
});
