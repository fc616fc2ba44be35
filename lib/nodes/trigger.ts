import { z } from "zod";
import { LIFECYCLE_EVENT_TYPES } from "@/lib/events/lifecycle-event";
import { isValidTimeZone } from "@/lib/time/zoned-time";
import { nextSlot } from "@/lib/workflows/schedule";
import { defineActionKind } from "./node-kind";

// The root of every workflow: what starts it. The engine records it when the
// run starts (it has nothing to execute); its config decides which variables
// the rest of the workflow can use (lib/workflows/variables.ts).

export const TRIGGER_KIND = "trigger";

const customEventName = z
  .string()
  .regex(
    /^[a-z][a-z0-9_-]*(\.[a-z0-9_-]+)+$/,
    "must be a lifecycle event or a custom name such as acme.badge_requested",
  )
  .max(120);

export const triggerConfigSchema = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("lifecycle_event"),
      event: z.union([z.enum(LIFECYCLE_EVENT_TYPES), customEventName]),
      /** A JSONata condition over the event; the workflow starts only when it is true. */
      filter: z.string().max(2000).optional(),
    })
    .strict(),
  z.object({ type: z.literal("manual") }).strict(),
  z
    .object({
      type: z.literal("schedule"),
      cron: z.string().trim().min(9, "must be a cron expression such as 0 9 * * 1").max(120),
      timezone: z
        .string()
        .refine(isValidTimeZone, "must be an IANA time zone such as Europe/Berlin"),
    })
    .strict(),
]);
export type TriggerConfig = z.infer<typeof triggerConfigSchema>;

export function isLifecycleEvent(event: string): boolean {
  return (LIFECYCLE_EVENT_TYPES as readonly string[]).includes(event);
}

export const triggerKind = defineActionKind({
  kind: TRIGGER_KIND,
  label: "Trigger",
  description: "What starts the workflow: a lifecycle event, a schedule or a manual start.",
  category: "trigger",
  config: triggerConfigSchema,
  output: z.object({ eventType: z.string() }),
  sideEffects: false,
  expressionFields: ["filter"],
  defaultConfig: { type: "lifecycle_event", event: "employee.onboard" },
  check(config) {
    if (config.type !== "schedule") return [];
    try {
      if (!nextSlot(config.cron, config.timezone, new Date()))
        return [{ field: "cron", message: "never fires" }];
      return [];
    } catch (error) {
      return [{ field: "cron", message: (error as Error).message }];
    }
  },
  async execute({ scope }) {
    const event = scope.event as { type?: unknown } | undefined;
    return { eventType: String(event?.type ?? "") };
  },
});
