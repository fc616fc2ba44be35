import { z } from "zod";
import { permanentFailure } from "@/lib/engine/node-error";
import {
  DURATION_UNITS,
  durationMs,
  isValidTimeZone,
  ZonedTimeError,
  zonedTimeToInstant,
} from "@/lib/time/zoned-time";
import { defineDurableKind } from "./node-kind";

// Waits for a while, or until a date taken from the event ("the start date,
// 09:00 in the employee's time zone"). The wait is a durable sleep: no process
// is held, and a deploy or crash in between loses nothing. Test runs record
// the wake-up time instead of waiting.

const MAX_DELAY_MS = 366 * 86_400_000;

export const durationSchema = z
  .object({
    amount: z.number().int().min(1, "must be at least 1").max(10_000),
    unit: z.enum(DURATION_UNITS),
  })
  .strict();

const config = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("duration"), duration: durationSchema }).strict(),
  z
    .object({
      mode: z.literal("until"),
      /** A template giving a date, e.g. `{{ employee.startDate }}`; a full ISO timestamp with a zone is used as is. */
      date: z.string().trim().min(1, "is required").max(500),
      time: z
        .string()
        .regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time of day as HH:MM")
        .default("09:00"),
      /** A template or a zone name, e.g. `{{ employee.timeZone }}`; UTC when it renders empty. */
      timeZone: z.string().max(200).default("UTC"),
    })
    .strict(),
]);
type DelayConfig = z.infer<typeof config>;

type DelayPlan = { until: string; alreadyPassed: boolean };

function wakeTime(config: DelayConfig, now: Date): Date {
  if (config.mode === "duration") return new Date(now.getTime() + durationMs(config.duration));
  const date = config.date.trim();
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(date)) {
    const instant = new Date(date);
    if (Number.isNaN(instant.getTime()))
      throw permanentFailure(`delay date: "${date}" is not a timestamp`);
    return instant;
  }
  const zone = config.timeZone.trim() || "UTC";
  if (!isValidTimeZone(zone)) throw permanentFailure(`time zone "${zone}" is not an IANA zone`);
  try {
    return zonedTimeToInstant(config.date, config.time, zone);
  } catch (error) {
    if (error instanceof ZonedTimeError) throw permanentFailure(`delay date: ${error.message}`);
    throw error;
  }
}

export const delayKind = defineDurableKind({
  kind: "delay",
  label: "Delay",
  description: "Waits for a duration, or until a date from the event such as the start date.",
  category: "timing",
  config,
  output: z.object({ until: z.string(), waited: z.boolean() }),
  sideEffects: false,
  waitStatus: "waiting",
  defaultConfig: { mode: "duration", duration: { amount: 1, unit: "days" } },
  async begin({ config, services }): Promise<DelayPlan> {
    const now = services.now();
    const until = wakeTime(config, now);
    if (until.getTime() - now.getTime() > MAX_DELAY_MS)
      throw permanentFailure(`delay until ${until.toISOString()} is more than a year away`);
    return { until: until.toISOString(), alreadyPassed: until.getTime() <= now.getTime() };
  },
  async wait(plan, tools, { run }) {
    if (plan.alreadyPassed || run.isTest) return false;
    await tools.sleepUntil("sleep", new Date(plan.until));
    return true;
  },
  async finish(_context, plan, waited) {
    return { until: plan.until, waited: waited === true };
  },
});
