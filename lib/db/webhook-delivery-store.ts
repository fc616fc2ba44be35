import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";

// The webhook endpoint's writes, as single statements: they run for every
// delivery, and through the ORM's interactive transaction they were five
// round trips and most of a delivery's CPU (npm run bench:webhooks). Every
// row is written with the endpoint's own organisation id.

export type StoredDeliveryInput = {
  organizationId: string;
  endpointId: string;
  deliveryKey: string;
  rawBody: string;
  headers: Record<string, string>;
  receivedAt: Date;
  events: { type: string; employeeExternalId: string; payload: unknown; occurredAt: Date }[];
};

/**
 * Stores a delivery, its lifecycle events and the endpoint's last-delivery
 * time in one statement. Returns null when this endpoint already has a
 * delivery with that key (a repeat): nothing is written then.
 */
export async function storeDelivery(
  input: StoredDeliveryInput,
): Promise<{ deliveryId: string; lifecycleEventIds: string[] } | null> {
  const deliveryId = randomUUID();
  const eventIds = input.events.map(() => randomUUID());
  const status = input.events.length > 0 ? "pending_dispatch" : "received";
  // One endpoint may take hundreds of deliveries a second: touch its row rarely.
  const touchBefore = new Date(input.receivedAt.getTime() - 10_000);
  const rows = await db().$queryRaw<{ stored: boolean }[]>`
    WITH delivery AS (
      INSERT INTO "WebhookDelivery" (id, "organizationId", "endpointId", "deliveryKey", status, "rawBody", headers, "receivedAt")
      VALUES (${deliveryId}::uuid, ${input.organizationId}::uuid, ${input.endpointId}::uuid, ${input.deliveryKey},
              ${status}::"DeliveryStatus", ${input.rawBody}, ${JSON.stringify(input.headers)}::jsonb, ${input.receivedAt})
      ON CONFLICT ("endpointId", "deliveryKey") DO NOTHING
      RETURNING id
    ),
    events AS (
      INSERT INTO "LifecycleEvent" (id, "organizationId", type, source, "employeeExternalId", payload, "webhookDeliveryId", sequence, "occurredAt")
      SELECT event.id, ${input.organizationId}::uuid, event.type, 'webhook', event.external_id, event.payload,
             delivery.id, event.position - 1, event.occurred_at
      FROM delivery,
           unnest(${eventIds}::uuid[], ${input.events.map((event) => event.type)}::text[],
                  ${input.events.map((event) => event.employeeExternalId)}::text[],
                  ${input.events.map((event) => JSON.stringify(event.payload))}::jsonb[],
                  ${input.events.map((event) => event.occurredAt)}::timestamptz[])
             WITH ORDINALITY AS event(id, type, external_id, payload, occurred_at, position)
    ),
    touched AS (
      UPDATE "WebhookEndpoint" SET "lastDeliveryAt" = ${input.receivedAt}
      WHERE id = ${input.endpointId}::uuid AND "organizationId" = ${input.organizationId}::uuid
        AND EXISTS (SELECT 1 FROM delivery)
        AND ("lastDeliveryAt" IS NULL OR "lastDeliveryAt" < ${touchBefore})
    )
    SELECT EXISTS (SELECT 1 FROM delivery) AS stored`;
  return rows[0]?.stored ? { deliveryId, lifecycleEventIds: eventIds } : null;
}

/** The id of the delivery an endpoint already stored under `deliveryKey`. */
export async function storedDeliveryId(
  organizationId: string,
  endpointId: string,
  deliveryKey: string,
): Promise<string | null> {
  const rows = await db().$queryRaw<{ id: string }[]>`
    SELECT id::text FROM "WebhookDelivery"
    WHERE "organizationId" = ${organizationId}::uuid AND "endpointId" = ${endpointId}::uuid
      AND "deliveryKey" = ${deliveryKey}`;
  return rows[0]?.id ?? null;
}

/** Lifecycle events sent to the engine together, with the delivery that carried them (if any). */
export type DispatchedGroup = {
  organizationId: string;
  lifecycleEventIds: string[];
  deliveryId?: string | null;
};

/**
 * Marks the lifecycle events of `groups` (and the deliveries that carried
 * them) dispatched, in one statement however many groups and organisations
 * there are. Each id is matched together with its own organisation id, so a
 * group cannot mark another organisation's rows.
 */
export async function markDispatched(groups: readonly DispatchedGroup[]): Promise<void> {
  const eventOrganizations: string[] = [];
  const eventIds: string[] = [];
  const deliveryOrganizations: string[] = [];
  const deliveryIds: string[] = [];
  for (const group of groups) {
    for (const id of group.lifecycleEventIds) {
      eventOrganizations.push(group.organizationId);
      eventIds.push(id);
    }
    if (group.deliveryId) {
      deliveryOrganizations.push(group.organizationId);
      deliveryIds.push(group.deliveryId);
    }
  }
  if (eventIds.length === 0) return;
  await db().$executeRaw`
    WITH events AS (
      UPDATE "LifecycleEvent" AS event SET "dispatchedAt" = now()
      FROM unnest(${eventOrganizations}::uuid[], ${eventIds}::uuid[]) AS sent(organization_id, id)
      WHERE event.id = sent.id AND event."organizationId" = sent.organization_id
        AND event."dispatchedAt" IS NULL
    )
    UPDATE "WebhookDelivery" AS delivery
    SET status = 'dispatched', "dispatchedAt" = now(), "dispatchAttempts" = delivery."dispatchAttempts" + 1
    FROM unnest(${deliveryOrganizations}::uuid[], ${deliveryIds}::uuid[]) AS sent(organization_id, id)
    WHERE delivery.id = sent.id AND delivery."organizationId" = sent.organization_id
      AND delivery.status = 'pending_dispatch'`;
}
