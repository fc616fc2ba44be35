import { orgRoute } from "@/lib/api/org-route";
import { getDelivery } from "@/lib/webhooks/deliveries";

export const GET = orgRoute("webhooks:manage", async (context) => ({
  delivery: await getDelivery(
    context,
    context.params.endpointId as string,
    context.params.deliveryId as string,
  ),
}));
