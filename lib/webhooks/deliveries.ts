import "server-only";
import { z } from "zod";
import type { OrgContext } from "@/lib/api/org-route";
import { recordAudit } from "@/lib/audit";
import { Conflict, NotFound, ValidationFailed } from "@/lib/errors";
import type { LifecycleEventData } from "@/lib/events/lifecycle-event";
import type { Prisma } from "@/lib/generated/prisma/client";
import { DeliveryStatus } from "@/lib/generated/prisma/enums";
import { dispatchLifecycleEvents } from "./dispatch";
import { normalizeDelivery, type SourceConfig } from "./normalize";

// The delivery log of one webhook endpoint: what arrived, whether it
// verified (and why not), the lifecycle events it was normalised into and
// the runs those started. A replay reads a verified delivery's stored body
// again with the endpoint's current settings (a fixed mapping, a widened
// eventTypes) and stores the result as new lifecycle events of the same
// delivery; new event ids mean the matching workflows run again, which is
// the point of a replay and why it is audited.

/** The most of a stored body the log answers; the rest is cut (ingest accepts up to 256 KiB). */
export const MAX_DISPLAYED_BODY_BYTES = 64 * 1024;
const REPLAYED_ACTION = "webhook_delivery.replayed";

const DELIVERY_STATUSES = Object.values(DeliveryStatus) as [DeliveryStatus, ...DeliveryStatus[]];

export const listDeliveriesSchema = z
  .object({
    status: z
      .enum(DELIVERY_STATUSES, { error: `must be one of ${DELIVERY_STATUSES.join(", ")}` })
      .optional()
      .meta({ description: "Only deliveries with this status" }),
    cursor: z
      .uuid("must be a delivery id")
      .optional()
      .meta({ description: "The `nextCursor` of the previous page" }),
    limit: z.coerce
      .number({ error: "must be a number" })
      .int("must be a whole number")
      .min(1, "must be at least 1")
      .max(100, "must be at most 100")
      .default(25),
  })
  .strict();
export type ListDeliveriesQuery = z.infer<typeof listDeliveriesSchema>;

type ReadContext = Pick<OrgContext, "db">;
type WriteContext = Pick<OrgContext, "db" | "organization" | "audit">;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function findEndpoint(context: ReadContext, endpointId: string) {
  // A malformed id would make Postgres throw on the uuid cast; it names no endpoint.
  if (!UUID.test(endpointId)) throw new NotFound("Webhook endpoint");
  const endpoint = await context.db.webhookEndpoint.findUnique({
    where: { id: endpointId },
    select: { id: true, name: true, sourceType: true, config: true, enabled: true },
  });
  if (!endpoint) throw new NotFound("Webhook endpoint");
  return endpoint;
}

const SUMMARY_FIELDS = {
  id: true,
  deliveryKey: true,
  status: true,
  rejectionReason: true,
  receivedAt: true,
  dispatchedAt: true,
  dispatchAttempts: true,
  lifecycleEvents: { select: { _count: { select: { runs: true } } } },
} as const;

type SummaryRow = Prisma.WebhookDeliveryGetPayload<{ select: typeof SUMMARY_FIELDS }>;

export type DeliverySummary = {
  id: string;
  /** The sender's delivery id (webhook-id), or a hash of the signed content when it sends none. */
  deliveryKey: string;
  status: DeliveryStatus;
  rejectionReason: string | null;
  receivedAt: Date;
  dispatchedAt: Date | null;
  dispatchAttempts: number;
  /** Lifecycle events stored for it, replays included. */
  eventCount: number;
  /** Runs those events started. */
  runCount: number;
};

function summarize(row: SummaryRow): DeliverySummary {
  return {
    id: row.id,
    deliveryKey: row.deliveryKey,
    status: row.status,
    rejectionReason: row.rejectionReason,
    receivedAt: row.receivedAt,
    dispatchedAt: row.dispatchedAt,
    dispatchAttempts: row.dispatchAttempts,
    eventCount: row.lifecycleEvents.length,
    runCount: row.lifecycleEvents.reduce((sum, event) => sum + event._count.runs, 0),
  };
}

/** Newest first, keyset-paginated on (receivedAt, id). */
export async function listDeliveries(
  context: ReadContext,
  endpointId: string,
  query: ListDeliveriesQuery,
): Promise<{ deliveries: DeliverySummary[]; nextCursor: string | null }> {
  await findEndpoint(context, endpointId);
  const where: Prisma.WebhookDeliveryWhereInput = {
    endpointId,
    ...(query.status ? { status: query.status } : {}),
  };
  if (query.cursor) {
    // Looked up in this endpoint's own log, so a cursor from elsewhere places nothing.
    const after = await context.db.webhookDelivery.findFirst({
      where: { id: query.cursor, endpointId },
      select: { id: true, receivedAt: true },
    });
    if (!after)
      throw new ValidationFailed([
        { field: "cursor", message: "is not a delivery of this endpoint" },
      ]);
    where.OR = [
      { receivedAt: { lt: after.receivedAt } },
      { receivedAt: after.receivedAt, id: { lt: after.id } },
    ];
  }
  const rows = await context.db.webhookDelivery.findMany({
    where,
    select: SUMMARY_FIELDS,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    take: query.limit + 1,
  });
  const deliveries = rows.slice(0, query.limit).map(summarize);
  return {
    deliveries,
    nextCursor: rows.length > query.limit ? (deliveries.at(-1)?.id ?? null) : null,
  };
}

export type DeliveryRunView = {
  id: string;
  status: string;
  isTest: boolean;
  createdAt: Date;
  workflow: { id: string; name: string };
};

export type DeliveryEventView = {
  id: string;
  type: string;
  /** Order within the delivery; a replay continues after the highest. */
  sequence: number;
  occurredAt: Date;
  createdAt: Date;
  /** When it was sent to the engine; null while it waits (the outbox sweeper retries). */
  dispatchedAt: Date | null;
  employee: { id: string; name: string; email: string; department: string | null } | null;
  /** The normalised event data, `{ employee, previous? }`, as workflows see it. */
  data: LifecycleEventData;
  /** Set when a replay stored this event rather than the original delivery. */
  replay: { at: Date; by: string } | null;
  runs: DeliveryRunView[];
};

export type DeliveryDetail = DeliverySummary & {
  /** Request headers as stored: signatures, secrets and cookies were never kept. */
  headers: Record<string, string>;
  /** The raw body, cut to MAX_DISPLAYED_BODY_BYTES; empty for rejected deliveries (never stored). */
  body: string;
  bodyBytes: number;
  bodyTruncated: boolean;
  /** Whether a replay is possible: only verified deliveries (not rejected) can be replayed. */
  replayable: boolean;
  events: DeliveryEventView[];
};

/** The first `maxBytes` of `text` in UTF-8, never ending inside a character. */
function truncateUtf8(text: string, maxBytes: number): { text: string; bytes: number } {
  const bytes = Buffer.byteLength(text);
  if (bytes <= maxBytes) return { text, bytes };
  const cut = Buffer.from(text).subarray(0, maxBytes).toString("utf8");
  return { text: cut.replace(/\uFFFD$/, ""), bytes };
}

function employeeSummary(data: LifecycleEventData): DeliveryEventView["employee"] {
  const employee = data?.employee;
  if (!employee || typeof employee !== "object") return null;
  return {
    id: employee.id,
    name: employee.displayName ?? `${employee.firstName} ${employee.lastName}`,
    email: employee.email,
    department: employee.department ?? null,
  };
}

const replaySummarySchema = z.object({ sequences: z.tuple([z.number(), z.number()]) });

/** Which events replays stored, read from their audit entries (the sequence range each wrote). */
async function replaysOf(context: ReadContext, deliveryId: string) {
  const entries = await context.db.auditLog.findMany({
    where: { action: REPLAYED_ACTION, targetType: "webhook_delivery", targetId: deliveryId },
    select: { createdAt: true, actorLabel: true, summary: true },
    orderBy: { createdAt: "asc" },
  });
  return entries.flatMap((entry) => {
    const summary = replaySummarySchema.safeParse(entry.summary);
    if (!summary.success) return [];
    const [first, last] = summary.data.sequences;
    return [{ first, last, at: entry.createdAt, by: entry.actorLabel }];
  });
}

export async function getDelivery(
  context: ReadContext,
  endpointId: string,
  deliveryId: string,
): Promise<DeliveryDetail> {
  await findEndpoint(context, endpointId);
  if (!UUID.test(deliveryId)) throw new NotFound("Webhook delivery");
  const row = await context.db.webhookDelivery.findFirst({
    where: { id: deliveryId, endpointId },
    select: {
      ...SUMMARY_FIELDS,
      headers: true,
      rawBody: true,
      lifecycleEvents: {
        orderBy: { sequence: "asc" },
        select: {
          id: true,
          type: true,
          sequence: true,
          occurredAt: true,
          createdAt: true,
          dispatchedAt: true,
          payload: true,
          _count: { select: { runs: true } },
          runs: {
            orderBy: { createdAt: "asc" },
            select: {
              id: true,
              status: true,
              isTest: true,
              createdAt: true,
              workflow: { select: { id: true, name: true } },
            },
          },
        },
      },
    },
  });
  if (!row) throw new NotFound("Webhook delivery");
  const replays = await replaysOf(context, deliveryId);
  const body = truncateUtf8(row.rawBody, MAX_DISPLAYED_BODY_BYTES);
  return {
    ...summarize(row),
    headers: (row.headers ?? {}) as Record<string, string>,
    body: body.text,
    bodyBytes: body.bytes,
    bodyTruncated: body.text.length < row.rawBody.length,
    replayable: row.status !== "rejected",
    events: row.lifecycleEvents.map((event) => {
      const data = event.payload as LifecycleEventData;
      const replay = replays.find(
        (candidate) => event.sequence >= candidate.first && event.sequence <= candidate.last,
      );
      return {
        id: event.id,
        type: event.type,
        sequence: event.sequence,
        occurredAt: event.occurredAt,
        createdAt: event.createdAt,
        dispatchedAt: event.dispatchedAt,
        employee: employeeSummary(data),
        data,
        replay: replay ? { at: replay.at, by: replay.by } : null,
        runs: event.runs,
      };
    }),
  };
}

export type ReplayResult = {
  delivery: { id: string; status: DeliveryStatus };
  events: { id: string; type: string; sequence: number }[];
  /** False when the engine could not be reached: the events are stored and the sweeper sends them. */
  dispatched: boolean;
};

/**
 * Normalises a verified delivery's stored body again, with the endpoint's
 * current settings, into new lifecycle events of the same delivery, and
 * dispatches them: every matching published workflow starts again.
 */
export async function replayDelivery(
  context: WriteContext,
  endpointId: string,
  deliveryId: string,
): Promise<ReplayResult> {
  const endpoint = await findEndpoint(context, endpointId);
  if (!UUID.test(deliveryId)) throw new NotFound("Webhook delivery");
  const delivery = await context.db.webhookDelivery.findFirst({
    where: { id: deliveryId, endpointId },
    select: { id: true, deliveryKey: true, status: true, rawBody: true, receivedAt: true },
  });
  if (!delivery) throw new NotFound("Webhook delivery");
  if (delivery.status === "rejected")
    throw new Conflict(
      "A rejected delivery was never verified (its body is not kept), so it cannot be replayed. Ask the sender to send it again.",
    );
  if (!endpoint.enabled)
    throw new Conflict("The endpoint is disabled; enable it before replaying its deliveries.");

  let json: unknown;
  try {
    json = JSON.parse(delivery.rawBody);
  } catch {
    throw new ValidationFailed([{ field: "(body)", message: "the stored body is not valid JSON" }]);
  }
  const normalized = await normalizeDelivery(
    endpoint.sourceType,
    (endpoint.config ?? {}) as SourceConfig,
    json,
  );
  if (!normalized.ok)
    throw new ValidationFailed([
      {
        field: normalized.field,
        message: `${normalized.message} (the stored body, read with the endpoint's current settings)`,
      },
    ]);
  if (normalized.events.length === 0)
    throw new Conflict(
      "With the endpoint's current accepted event types this delivery yields no lifecycle event; nothing was replayed.",
      "config.eventTypes",
    );

  const stored = await context.db.$transaction(async (tx) => {
    // Updating the delivery first locks its row: concurrent replays of it
    // take their sequence numbers one after the other instead of colliding.
    await tx.webhookDelivery.updateMany({
      where: { id: delivery.id },
      data: { status: "pending_dispatch" },
    });
    const last = await tx.lifecycleEvent.aggregate({
      where: { webhookDeliveryId: delivery.id },
      _max: { sequence: true },
    });
    const first = (last._max.sequence ?? -1) + 1;
    const events = await tx.lifecycleEvent.createManyAndReturn({
      data: normalized.events.map((event, index) => ({
        organizationId: context.organization.id,
        type: event.type,
        source: "webhook" as const,
        employeeExternalId: event.employeeExternalId,
        payload: event.data as Prisma.InputJsonValue,
        webhookDeliveryId: delivery.id,
        sequence: first + index,
        // The change happened when the sender first reported it, not when it is replayed.
        occurredAt: event.occurredAt ? new Date(event.occurredAt) : delivery.receivedAt,
      })),
      select: { id: true, type: true, sequence: true },
    });
    await recordAudit(tx, context.audit, {
      action: REPLAYED_ACTION,
      targetType: "webhook_delivery",
      targetId: delivery.id,
      summary: {
        endpoint: endpoint.name,
        endpointId: endpoint.id,
        deliveryKey: delivery.deliveryKey,
        events: events.length,
        eventTypes: [...new Set(events.map((event) => event.type))],
        sequences: [first, first + events.length - 1],
      },
    });
    return events.sort((a, b) => a.sequence - b.sequence);
  });

  const dispatched = await dispatchLifecycleEvents({
    organizationId: context.organization.id,
    lifecycleEventIds: stored.map((event) => event.id),
    deliveryId: delivery.id,
  });
  return {
    delivery: { id: delivery.id, status: dispatched ? "dispatched" : "pending_dispatch" },
    events: stored,
    dispatched,
  };
}
