import "server-only";
import { randomUUID } from "node:crypto";
import { sqlPool } from "@/lib/db/client";

// The webhook endpoint's writes, as single statements: they run for every
// delivery, and through the ORM's interactive transaction they were five
// round trips and most of a delivery's CPU (npm run bench:webhooks). Every
// row is written with the endpoint's own organisation id.
//
// They go to the pg pool directly, as named prepared statements: through
// Prisma even a raw query is compiled by its WASM query compiler on every
// call, which was the largest single item in the app's CPU profile under
// load. Parameters are bound exactly as before (text, uuid[], jsonb[], …
// with explicit casts); connection failures surface as pg errors that
// isDatabaseUnavailable maps to 503 like Prisma's.

export type StoredDeliveryInput = {
  organizationId: string;
  endpointId: string;
  deliveryKey: string;
  rawBody: string;
  headers: Record<string, string>;
  receivedAt: Date;
  events: { type: string; employeeExternalId: string; payload: unknown; occurredAt: Date }[];
};

const STORE_DELIVERY = `
  WITH delivery AS (
    INSERT INTO "WebhookDelivery" (id, "organizationId", "endpointId", "deliveryKey", status, "rawBody", headers, "receivedAt")
    VALUES ($1::uuid, $2::uuid, $3::uuid, $4, $5::"DeliveryStatus", $6, $7::jsonb, $8::timestamptz)
    ON CONFLICT ("endpointId", "deliveryKey") DO NOTHING
    RETURNING id
  ),
  events AS (
    INSERT INTO "LifecycleEvent" (id, "organizationId", type, source, "employeeExternalId", payload, "webhookDeliveryId", sequence, "occurredAt")
    SELECT event.id, $2::uuid, event.type, 'webhook', event.external_id, event.payload,
           delivery.id, event.position - 1, event.occurred_at
    FROM delivery,
         unnest($9::uuid[], $10::text[], $11::text[], $12::jsonb[], $13::timestamptz[])
           WITH ORDINALITY AS event(id, type, external_id, payload, occurred_at, position)
  ),
  touched AS (
    UPDATE "WebhookEndpoint" SET "lastDeliveryAt" = $8::timestamptz
    WHERE id = $3::uuid AND "organizationId" = $2::uuid
      AND EXISTS (SELECT 1 FROM delivery)
      AND ("lastDeliveryAt" IS NULL OR "lastDeliveryAt" < $14::timestamptz)
  )
  SELECT EXISTS (SELECT 1 FROM delivery) AS stored`;

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
  const { rows } = await sqlPool().query<{ stored: boolean }>({
    name: "webhook-store-delivery",
    text: STORE_DELIVERY,
    values: [
      deliveryId,
      input.organizationId,
      input.endpointId,
      input.deliveryKey,
      status,
      input.rawBody,
      JSON.stringify(input.headers),
      input.receivedAt,
      eventIds,
      input.events.map((event) => event.type),
      input.events.map((event) => event.employeeExternalId),
      input.events.map((event) => JSON.stringify(event.payload)),
      input.events.map((event) => event.occurredAt),
      touchBefore,
    ],
  });
  return rows[0]?.stored ? { deliveryId, lifecycleEventIds: eventIds } : null;
}

/** The id of the delivery an endpoint already stored under `deliveryKey`. */
export async function storedDeliveryId(
  organizationId: string,
  endpointId: string,
  deliveryKey: string,
): Promise<string | null> {
  const { rows } = await sqlPool().query<{ id: string }>({
    name: "webhook-stored-delivery-id",
    text: `SELECT id::text FROM "WebhookDelivery"
           WHERE "organizationId" = $1::uuid AND "endpointId" = $2::uuid AND "deliveryKey" = $3`,
    values: [organizationId, endpointId, deliveryKey],
  });
  return rows[0]?.id ?? null;
}

/** Lifecycle events sent to the engine together, with the delivery that carried them (if any). */
export type DispatchedGroup = {
  organizationId: string;
  lifecycleEventIds: string[];
  deliveryId?: string | null;
};

const MARK_DISPATCHED = `
  WITH events AS (
    UPDATE "LifecycleEvent" AS event SET "dispatchedAt" = now()
    FROM unnest($1::uuid[], $2::uuid[]) AS sent(organization_id, id)
    WHERE event.id = sent.id AND event."organizationId" = sent.organization_id
      AND event."dispatchedAt" IS NULL
  )
  UPDATE "WebhookDelivery" AS delivery
  SET status = 'dispatched', "dispatchedAt" = now(), "dispatchAttempts" = delivery."dispatchAttempts" + 1
  FROM unnest($3::uuid[], $4::uuid[]) AS sent(organization_id, id)
  WHERE delivery.id = sent.id AND delivery."organizationId" = sent.organization_id
    AND delivery.status = 'pending_dispatch'`;

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
  await sqlPool().query({
    name: "webhook-mark-dispatched",
    text: MARK_DISPATCHED,
    values: [eventOrganizations, eventIds, deliveryOrganizations, deliveryIds],
  });
}
