import { z } from "zod";
import { ExpressionError, evaluateExpression } from "@/lib/engine/expression";
import {
  LIFECYCLE_EVENT_TYPES,
  type LifecycleEventData,
  lifecycleEventDataSchema,
} from "@/lib/events/lifecycle-event";
import { normalizeBambooHr } from "./bamboohr";

// Turns a verified delivery's JSON into canonical lifecycle events
// (`employee.onboard|exit|transfer|update` or a custom name, with the typed
// employee payload). Senders that already speak OfficeFlow's shape post
// `{ type, employee, previous? }` (or `{ events: [...] }`); an endpoint may
// carry a JSONata `mapping` that produces that shape from anything else;
// BambooHR's own payload is mapped by lib/webhooks/bamboohr.ts.

const eventType = z.union([
  z.enum(LIFECYCLE_EVENT_TYPES),
  z
    .string()
    .regex(
      /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/,
      "must be a lifecycle event type such as employee.onboard",
    ),
]);

const canonicalEventSchema = z
  .object({
    type: eventType,
    employee: z.unknown(),
    previous: z.unknown().optional(),
    occurredAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

const canonicalPayloadSchema = z.union([
  canonicalEventSchema,
  z.object({ events: z.array(canonicalEventSchema).min(1).max(100) }).strict(),
]);

export type NormalizedEvent = {
  type: string;
  occurredAt: string | null;
  employeeExternalId: string;
  data: LifecycleEventData;
};

export type NormalizeResult =
  | { ok: true; events: NormalizedEvent[] }
  | { ok: false; field: string; message: string };

function failure(issue: z.core.$ZodIssue | undefined, prefix = ""): NormalizeResult {
  const field = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join(".") || "(body)";
  return { ok: false, field, message: issue?.message ?? "is invalid" };
}

function fromCanonical(value: unknown, prefix = ""): NormalizeResult {
  const payload = canonicalPayloadSchema.safeParse(value);
  if (!payload.success) return failure(payload.error.issues[0], prefix);
  const events = "events" in payload.data ? payload.data.events : [payload.data];
  const normalized: NormalizedEvent[] = [];
  for (const [index, event] of events.entries()) {
    const data = lifecycleEventDataSchema.safeParse({
      employee: event.employee,
      previous: event.previous,
    });
    const where =
      "events" in payload.data ? `${prefix ? `${prefix}.` : ""}events.${index}` : prefix;
    if (!data.success) return failure(data.error.issues[0], where);
    normalized.push({
      type: event.type,
      occurredAt: event.occurredAt ?? null,
      employeeExternalId: data.data.employee.id,
      data: data.data,
    });
  }
  return { ok: true, events: normalized };
}

export type SourceConfig = { mapping?: string; eventTypes?: string[] };

/** Every accepted delivery yields one or more events, or a field-level reason it cannot. */
export async function normalizeDelivery(
  sourceType: string,
  config: SourceConfig,
  body: unknown,
): Promise<NormalizeResult> {
  let result: NormalizeResult;
  if (config.mapping) {
    let mapped: unknown;
    try {
      mapped = await evaluateExpression(config.mapping, body);
    } catch (error) {
      const message = error instanceof ExpressionError ? error.message : String(error);
      return {
        ok: false,
        field: "(mapping)",
        message: `the endpoint's mapping failed: ${message}`,
      };
    }
    result = fromCanonical(mapped, "(mapped)");
  } else if (sourceType === "bamboohr") {
    result = normalizeBambooHr(body);
  } else {
    result = fromCanonical(body);
  }
  if (!result.ok || !config.eventTypes?.length) return result;
  const allowed = new Set(config.eventTypes);
  return { ok: true, events: result.events.filter((event) => allowed.has(event.type)) };
}
