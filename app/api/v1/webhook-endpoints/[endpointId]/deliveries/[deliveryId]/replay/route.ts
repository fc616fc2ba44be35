import { orgRoute } from "@/lib/api/org-route";
import { replayDelivery } from "@/lib/webhooks/deliveries";

// Takes no body: a replay always reads the stored delivery with the endpoint's current settings.
export const POST = orgRoute("webhooks:manage", async (context) => {
  const result = await replayDelivery(
    context,
    context.params.endpointId as string,
    context.params.deliveryId as string,
  );
  return Response.json(result, { status: 202, headers: { "cache-control": "no-store" } });
});
