import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { rotateWebhookSecret, rotateWebhookSecretSchema } from "@/lib/webhooks/endpoints";

export const POST = orgRoute("webhooks:manage", async (context) => {
  const input = await readJsonBody(context.request, rotateWebhookSecretSchema);
  return rotateWebhookSecret(context, context.params.endpointId as string, input);
});
