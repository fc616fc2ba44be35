import "server-only";
import { inngest } from "@/inngest/client";
import { LIFECYCLE_RECEIVED_EVENT } from "@/inngest/events";
import { findUndispatchedLifecycleEvents } from "@/lib/db/undispatched-events";
import { type DispatchedGroup, markDispatched } from "@/lib/db/webhook-delivery-store";
import { Batcher } from "./dispatch-batcher";

// The outbox relay: stored lifecycle events go to Inngest with their own id as
// the event id (`lifecycle-<id>`), so sending one twice starts nothing twice
// (Inngest drops a repeated event id; the runs it starts have unique keys too).

/** Lifecycle events of one organisation (usually one delivery's) to relay together. */
export type LifecycleDispatch = DispatchedGroup;

/** The most events one event API request carries (the sweeper's and the batcher's cap). */
export const MAX_EVENTS_PER_SEND = 200;

/**
 * Sends every group's events in one request and marks them dispatched in one
 * statement. False when the engine could not be reached (nothing marked; the
 * sweeper retries); a failure to mark (the database) throws, and the sweeper
 * re-sends those events, which the engine drops as repeats.
 */
export async function dispatchLifecycleEventGroups(
  groups: readonly LifecycleDispatch[],
): Promise<boolean> {
  const events = groups.flatMap(({ organizationId, lifecycleEventIds }) =>
    lifecycleEventIds.map((lifecycleEventId) => ({
      id: `lifecycle-${lifecycleEventId}`,
      name: LIFECYCLE_RECEIVED_EVENT,
      data: { organizationId, lifecycleEventId },
    })),
  );
  if (events.length === 0) return true;
  try {
    await inngest.send(events);
  } catch (error) {
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "lifecycle events stored but not dispatched; the sweeper will retry",
        events: events.length,
        deliveries: groups.length,
        deliveryIds: groups.slice(0, 10).flatMap((group) => group.deliveryId ?? []),
        error: String(error),
      }),
    );
    return false;
  }
  await markDispatched(groups);
  return true;
}

export function dispatchLifecycleEvents(group: LifecycleDispatch): Promise<boolean> {
  return dispatchLifecycleEventGroups([group]);
}

/** Coalescing window of the relay after a webhook response: short next to a sender's timeout. */
export const DISPATCH_WINDOW_MS = 5;

export function createLifecycleDispatchBatcher(
  send: (groups: LifecycleDispatch[]) => Promise<unknown> = dispatchLifecycleEventGroups,
  windowMs = DISPATCH_WINDOW_MS,
) {
  return new Batcher<LifecycleDispatch>(send, {
    windowMs,
    maxSize: MAX_EVENTS_PER_SEND,
    sizeOf: (group) => group.lifecycleEventIds.length,
    onError: (error, groups) =>
      console.warn(
        JSON.stringify({
          level: "warn",
          msg: "lifecycle events sent but not marked dispatched; the sweeper will re-send them",
          events: groups.reduce((sum, group) => sum + group.lifecycleEventIds.length, 0),
          error: String(error),
        }),
      ),
  });
}

const globalForDispatch = globalThis as unknown as {
  officeflowLifecycleDispatch?: ReturnType<typeof createLifecycleDispatchBatcher>;
};

/**
 * Relays a delivery's stored events soon, together with those of other
 * deliveries arriving within a few milliseconds (lib/webhooks/dispatch-batcher.ts).
 * Settles (never rejects) once they were sent, or given up to the sweeper.
 */
export function queueLifecycleDispatch(group: LifecycleDispatch): Promise<void> {
  globalForDispatch.officeflowLifecycleDispatch ??= createLifecycleDispatchBatcher();
  return globalForDispatch.officeflowLifecycleDispatch.add(group);
}

/** Re-sends lifecycle events older than `graceMs` that were never dispatched. */
export async function sweepUndispatched(graceMs = 30_000, limit = 500) {
  const pending = await findUndispatchedLifecycleEvents(new Date(Date.now() - graceMs), limit);
  const byDelivery = new Map<string, LifecycleDispatch>();
  for (const event of pending) {
    const key = event.webhookDeliveryId ?? `event:${event.id}`;
    const group = byDelivery.get(key) ?? {
      organizationId: event.organizationId,
      deliveryId: event.webhookDeliveryId,
      lifecycleEventIds: [],
    };
    group.lifecycleEventIds.push(event.id);
    byDelivery.set(key, group);
  }
  let dispatched = 0;
  let batch: LifecycleDispatch[] = [];
  let batchEvents = 0;
  const send = async () => {
    if (batch.length > 0 && (await dispatchLifecycleEventGroups(batch))) dispatched += batchEvents;
    batch = [];
    batchEvents = 0;
  };
  for (const group of byDelivery.values()) {
    if (batchEvents + group.lifecycleEventIds.length > MAX_EVENTS_PER_SEND) await send();
    batch.push(group);
    batchEvents += group.lifecycleEventIds.length;
  }
  await send();
  return { found: pending.length, dispatched };
}
