import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { listDeliveries, listDeliveriesSchema } from "@/lib/webhooks/deliveries";

export const GET = orgRoute("webhooks:manage", async (context) => {
  // ?org= names the organisation for session callers; it is not a filter.
  const { org: _org, ...query } = Object.fromEntries(context.url.searchParams);
  return listDeliveries(
    context,
    context.params.endpointId as string,
    parseWith(listDeliveriesSchema, query),
  );
});
