import { z } from "zod";
import { ExpressionError, parseExpression } from "@/lib/engine/expression";
import { ValidationFailed } from "@/lib/errors";
import { LIFECYCLE_EVENT_TYPES } from "@/lib/events/lifecycle-event";
import type { WebhookSourceType } from "@/lib/generated/prisma/enums";
import { hmacHeaderConfigSchema } from "./verify/hmac-header";

// The webhook source types, in one registry: how a sender signs its
// deliveries (lib/webhooks/verify/) and which settings an endpoint of that
// type needs. The endpoint API validates `config` with these schemas and the
// ingest route reads the stored config back through parseSourceConfig.
//
// Every source also takes two optional settings:
//
// - `mapping`: a JSONata expression (the same language and limits as
//   workflow expressions, lib/engine/expression.ts) evaluated on the
//   sender's parsed JSON body, for senders whose payload is not already in
//   OfficeFlow's canonical shape. Its result must be that shape:
//   `{ type, employee, previous? }` — `type` a lifecycle event type
//   (LIFECYCLE_EVENT_TYPES or a custom dotted name), `employee` and
//   `previous` as in lib/events/lifecycle-event.ts — or `{ events: [...] }`
//   of those (lib/webhooks/normalize.ts applies it). Without a mapping the
//   body must already be canonical, except for BambooHR, whose own payload
//   OfficeFlow translates. Example for a sender that posts
//   `{ "event": "hire", "worker": { "workerId": "E1", "givenName": "Ada", … } }`:
//
//     {
//       "type": event = "hire" ? "employee.onboard" : "employee.exit",
//       "employee": {
//         "id": worker.workerId, "firstName": worker.givenName,
//         "lastName": worker.familyName, "email": worker.workEmail
//       }
//     }
//
// - `eventTypes`: the lifecycle event types this endpoint accepts; a
//   delivery of any other type is recorded and not turned into an event.
//   Omitted, every type is accepted.

export const WEBHOOK_SOURCE_TYPES = [
  "standard_webhooks",
  "bamboohr",
  "hmac_header",
] as const satisfies readonly WebhookSourceType[];

const mapping = z
  .string({ error: "must be a JSONata expression" })
  .trim()
  .min(1, "must not be empty (omit it to use the body as it is)")
  .superRefine((source, context) => {
    try {
      parseExpression(source);
    } catch (error) {
      context.addIssue({
        code: "custom",
        message: error instanceof ExpressionError ? error.message : "is not a valid expression",
      });
    }
  })
  .meta({
    title: "Mapping",
    description:
      "A JSONata expression that turns the sender's JSON body into { type, employee, previous? }. Omit it when the sender already posts that shape.",
  });

// The names a workflow trigger accepts (lib/nodes/trigger.ts): the built-in
// lifecycle events or a custom dotted name.
const EVENT_TYPE_NAME = /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/;

const eventTypes = z
  .array(
    z
      .string({ error: "must be an event type" })
      .max(120, "must be at most 120 characters")
      .regex(
        EVENT_TYPE_NAME,
        `must be a lifecycle event type (${LIFECYCLE_EVENT_TYPES.join(", ")}) or a custom name such as acme.badge_requested`,
      ),
    { error: "must be a list of lifecycle event types" },
  )
  .min(1, "must list at least one event type (omit it to accept all)")
  .max(50, "must list at most 50 event types")
  .refine((types) => new Set(types).size === types.length, "lists an event type twice")
  .meta({
    title: "Accepted event types",
    description: "Only these lifecycle event types start workflows; omit to accept all.",
  });

const commonSettings = { mapping: mapping.optional(), eventTypes: eventTypes.optional() };

export const WEBHOOK_SOURCES = {
  standard_webhooks: {
    sourceType: "standard_webhooks",
    label: "Standard Webhooks",
    description:
      "Senders that follow standardwebhooks.com (Svix and others): webhook-id, webhook-timestamp and webhook-signature headers, signed with a whsec_ secret.",
    configSchema: z.object(commonSettings).strict(),
  },
  bamboohr: {
    sourceType: "bamboohr",
    label: "BambooHR",
    description:
      "BambooHR webhooks, signed with the private key BambooHR shows on the webhook's page (X-BambooHR-Signature).",
    configSchema: z.object(commonSettings).strict(),
  },
  hmac_header: {
    sourceType: "hmac_header",
    label: "HMAC signature header",
    description: "Any sender that puts an HMAC of the body in a header of its choosing.",
    configSchema: hmacHeaderConfigSchema.safeExtend(commonSettings).strict(),
  },
} as const satisfies Record<
  WebhookSourceType,
  { sourceType: WebhookSourceType; label: string; description: string; configSchema: z.ZodType }
>;

export type WebhookSourceConfig<S extends WebhookSourceType = WebhookSourceType> = z.infer<
  (typeof WEBHOOK_SOURCES)[S]["configSchema"]
>;

/**
 * An endpoint's config checked against its source type; issues name the
 * field as `config.signatureHeader`. Throws ValidationFailed.
 */
export function parseSourceConfig<S extends WebhookSourceType>(
  sourceType: S,
  value: unknown,
): WebhookSourceConfig<S> {
  const result = WEBHOOK_SOURCES[sourceType].configSchema.safeParse(value);
  if (result.success) return result.data as WebhookSourceConfig<S>;
  throw new ValidationFailed(
    result.error.issues.map((issue) => ({
      field: ["config", ...issue.path].join("."),
      message: issue.message,
    })),
  );
}
