import "server-only";
import { db } from "@/lib/db/client";

// The sweeper works across organisations (it is the platform's outbox relay,
// not a tenant action), so it reads here; it only ever sends ids onwards.

export function findUndispatchedLifecycleEvents(olderThan: Date, limit: number) {
  return db().lifecycleEvent.findMany({
    where: { dispatchedAt: null, createdAt: { lt: olderThan } },
    orderBy: { createdAt: "asc" },
    take: limit,
    select: { id: true, organizationId: true, webhookDeliveryId: true },
  });
}
