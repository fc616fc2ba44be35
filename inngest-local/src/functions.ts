import { Cron } from "croner";
import { z } from "zod";
import { compileExpression } from "./expressions";

// Function configurations as the SDK sends them at sync (inngest-js
// functionConfigSchema, src/types.ts). We validate what we implement and
// refuse, by name, the flow control we do not: silently ignoring a throttle
// would make local runs behave differently from production.

const concurrencyEntry = z.union([
  z.number().int().positive(),
  z.object({
    limit: z.number().int().positive(),
    key: z.string().optional(),
    scope: z.enum(["fn", "env", "account"]).optional(),
  }),
]);

const triggerSchema = z.union([
  z.object({ event: z.string().min(1), expression: z.string().optional() }),
  z.object({ cron: z.string().min(1), jitter: z.string().optional() }),
]);

export const functionConfigSchema = z
  .object({
    id: z.string().min(1),
    name: z.string().optional(),
    triggers: z.array(triggerSchema).default([]),
    steps: z.object({
      step: z.object({
        runtime: z.object({ type: z.literal("http"), url: z.string().url() }),
        retries: z.object({ attempts: z.number().int().min(0).max(20) }).optional(),
      }),
    }),
    cancel: z
      .array(
        z.object({
          event: z.string().min(1),
          if: z.string().optional(),
          timeout: z.string().optional(),
        }),
      )
      .optional(),
    concurrency: z.union([concurrencyEntry, z.array(concurrencyEntry).max(2)]).optional(),
    idempotency: z.string().optional(),
  })
  .passthrough();

export type FunctionConfig = z.infer<typeof functionConfigSchema>;

export const UNSUPPORTED_FEATURES = [
  "rateLimit",
  "throttle",
  "debounce",
  "batchEvents",
  "priority",
  "singleton",
  "timeouts",
] as const;

export class SyncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SyncError";
  }
}

/** Inngest's default is 4 retries, i.e. 5 attempts (pkg/consts); `retries.attempts` is a retry count. */
export function maxAttemptsOf(config: FunctionConfig): number {
  return (config.steps.step.retries?.attempts ?? 4) + 1;
}

/** `TZ=Europe/Paris 0 9 * * 1` → pattern and time zone. */
export function parseCron(spec: string): { pattern: string; timezone?: string } {
  const match = /^(?:CRON_)?TZ=(\S+)\s+(.+)$/.exec(spec.trim());
  return match ? { pattern: match[2] as string, timezone: match[1] } : { pattern: spec.trim() };
}

export function nextCronRun(spec: string, after: Date): Date | undefined {
  const { pattern, timezone } = parseCron(spec);
  return new Cron(pattern, { timezone, paused: true }).nextRun(after) ?? undefined;
}

export type ConcurrencyLimit = { limit: number; key?: string; scope: "fn" | "env" | "account" };

export function concurrencyLimitsOf(config: FunctionConfig): ConcurrencyLimit[] {
  if (config.concurrency === undefined) return [];
  const entries = Array.isArray(config.concurrency) ? config.concurrency : [config.concurrency];
  return entries.map((entry) =>
    typeof entry === "number"
      ? { limit: entry, scope: "fn" }
      : { ...entry, scope: entry.scope ?? "fn" },
  );
}

function checkExpression(fnId: string, where: string, source: string | undefined) {
  if (source === undefined) return;
  try {
    compileExpression(source);
  } catch (error) {
    throw new SyncError(
      `function ${fnId}: invalid expression in ${where}: ${(error as Error).message}`,
    );
  }
}

/** Validates one function from a sync payload; the error names the function and what is wrong. */
export function parseFunctionConfig(raw: unknown): FunctionConfig {
  const id =
    typeof raw === "object" && raw && "id" in raw ? String((raw as { id: unknown }).id) : "(no id)";
  const parsed = functionConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SyncError(`function ${id}: ${issue?.path.join(".") || "config"}: ${issue?.message}`);
  }
  const config = parsed.data;
  for (const feature of UNSUPPORTED_FEATURES) {
    if ((config as Record<string, unknown>)[feature] !== undefined) {
      throw new SyncError(
        `function ${config.id} uses ${feature}, which the local executor does not implement; ` +
          "remove it or run against Inngest Cloud or the Inngest dev server",
      );
    }
  }
  for (const [index, trigger] of config.triggers.entries()) {
    if ("event" in trigger)
      checkExpression(config.id, `triggers[${index}].expression`, trigger.expression);
    else {
      let next: Date | undefined;
      try {
        next = nextCronRun(trigger.cron, new Date());
      } catch (error) {
        throw new SyncError(
          `function ${config.id}: invalid cron "${trigger.cron}": ${(error as Error).message}`,
        );
      }
      if (!next) throw new SyncError(`function ${config.id}: cron "${trigger.cron}" never fires`);
    }
  }
  for (const [index, cancel] of (config.cancel ?? []).entries()) {
    checkExpression(config.id, `cancel[${index}].if`, cancel.if);
  }
  checkExpression(config.id, "idempotency", config.idempotency);
  for (const limit of concurrencyLimitsOf(config))
    checkExpression(config.id, "concurrency.key", limit.key);
  return config;
}
