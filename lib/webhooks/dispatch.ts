import "server-only";
import { inngest } from "@/inngest/client";
import { LIFECYCLE_RECEIVED_EVENT } from "@/inngest/events";
import { findUndispatchedLifecycleEvents } from "@/lib/db/undispatched-events";
import { markDispatched } from "@/lib/db/webhook-delivery-store";

// The outbox relay: stored lifecycle events go to Inngest with their own id as
// the event id (`lifecycle-<id>`), so sending one twice starts nothing twice
// (Inngest drops a repeated event id; the runs it starts have unique keys too).

export async function dispatchLifecycleEvents(input: {
  organizationId: string;
  lifecycleEventIds: string[];
  deliveryId?: string;
}): Promise<boolean> {
  const { organizationId, lifecycleEventIds, deliveryId } = input;
  if (lifecycleEventIds.length === 0) return true;
  try {
    await inngest.send(
      lifecycleEventIds.map((lifecycleEventId) => ({
        id: `lifecycle-${lifecycleEventId}`,
        name: LIFECYCLE_RECEIVED_EVENT,
        data: { organizationId, lifecycleEventId },
      })),
    );
  } catch (error) {
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "lifecycle events stored but not dispatched; the sweeper will retry",
        organizationId,
        deliveryId,
        error: String(error),
      }),
    );
    return false;
  }
  await markDispatched(organizationId, lifecycleEventIds, deliveryId ?? null);
  return true;
}

/** Re-sends lifecycle events older than `graceMs` that were never dispatched. */
export async function sweepUndispatched(graceMs = 30_000, limit = 500) {
  const pending = await findUndispatchedLifecycleEvents(new Date(Date.now() - graceMs), limit);
  const byDelivery = new Map<
    string,
    { organizationId: string; deliveryId?: string; ids: string[] }
  >();
  for (const event of pending) {
    const key = event.webhookDeliveryId ?? `event:${event.id}`;
    const group = byDelivery.get(key) ?? {
      organizationId: event.organizationId,
      deliveryId: event.webhookDeliveryId ?? undefined,
      ids: [],
    };
    group.ids.push(event.id);
    byDelivery.set(key, group);
  }
  let dispatched = 0;
  for (const group of byDelivery.values()) {
    const ok = await dispatchLifecycleEvents({
      organizationId: group.organizationId,
      lifecycleEventIds: group.ids,
      deliveryId: group.deliveryId,
    });
    if (ok) dispatched += group.ids.length;
  }
  return { found: pending.length, dispatched };
}
