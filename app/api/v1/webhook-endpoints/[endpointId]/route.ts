import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import {
  deleteWebhookEndpoint,
  getWebhookEndpoint,
  updateWebhookEndpoint,
  updateWebhookEndpointSchema,
} from "@/lib/webhooks/endpoints";

export const GET = orgRoute("webhooks:manage", async (context) => ({
  endpoint: await getWebhookEndpoint(context, context.params.endpointId as string),
}));

export const PATCH = orgRoute("webhooks:manage", async (context) => {
  const input = await readJsonBody(context.request, updateWebhookEndpointSchema);
  return {
    endpoint: await updateWebhookEndpoint(context, context.params.endpointId as string, input),
  };
});

export const DELETE = orgRoute("webhooks:manage", async (context) =>
  deleteWebhookEndpoint(context, context.params.endpointId as string),
);
