import { afterResponse } from "@/lib/api/after-response";
import { publicRoute } from "@/lib/api/public-route";
import { queueLifecycleDispatch } from "@/lib/webhooks/dispatch";
import { ingestWebhook } from "@/lib/webhooks/ingest";

// HR systems post lifecycle changes here. The answer waits only for
// verification and storage; starting workflows happens after responding, in
// a batch with the deliveries arriving alongside (the sweeper covers any left).
export const POST = publicRoute(
  "webhook: authenticated by its signature",
  async (request, params) => {
    const outcome = await ingestWebhook(params.endpointId ?? "", request);
    const toDispatch = outcome.toDispatch;
    if (toDispatch) afterResponse(() => queueLifecycleDispatch(toDispatch));
    return Response.json(outcome.body, {
      status: outcome.status,
      headers: { "cache-control": "no-store" },
    });
  },
);
