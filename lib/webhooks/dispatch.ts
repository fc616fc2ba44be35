import "server-only";
import { inngest } from "@/inngest/client";
import { LIFECYCLE_RECEIVED_EVENT } from "@/inngest/events";
import { forOrg } from "@/lib/db/tenant";
import { findUndispatchedLifecycleEvents } from "@/lib/db/undispatched-events";

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
  const db = forOrg(organizationId);
  const now = new Date();
  await db.lifecycleEvent.updateMany({
    where: { id: { in: lifecycleEventIds }, dispatchedAt: null },
    data: { dispatchedAt: now },
  });
  if (deliveryId)
    await db.webhookDelivery.updateMany({
      where: { id: deliveryId, status: "pending_dispatch" },
      data: { status: "dispatched", dispatchedAt: now, dispatchAttempts: { increment: 1 } },
    });
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
