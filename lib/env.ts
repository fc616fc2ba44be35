import { z } from "zod";
import { KEY_RING_VARIABLE, KeyRingError, parseKeyRing } from "./crypto/key-ring";

const postgresUrl = z
  .string()
  .url("must be a URL such as postgresql://user:password@host:5432/db")
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must start with postgresql://");

const serverEnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /**
   * Key ring for AES-256-GCM secrets at rest: `keyId:base64key[,…]`, the first
   * seals (lib/crypto/key-ring.ts). An empty value means "not set".
   */
  OFFICEFLOW_ENCRYPTION_KEYS: z.preprocess(
    (value) => (typeof value === "string" && value.trim() === "" ? undefined : value),
    z.string().optional(),
  ),
  AUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
});

export type ServerEnv = z.infer<typeof serverEnvSchema>;

// Secrets with development defaults must be set explicitly in production.
const requiredInProduction = serverEnvSchema.superRefine((env, context) => {
  if (env.NODE_ENV !== "production") return;
  if (!env.AUTH_SECRET)
    context.addIssue({
      code: "custom",
      path: ["AUTH_SECRET"],
      message: "is required in production",
    });
  if (!env.OFFICEFLOW_ENCRYPTION_KEYS)
    context.addIssue({
      code: "custom",
      path: [KEY_RING_VARIABLE],
      message:
        "is required in production (keyId:base64key, a 32-byte key: openssl rand -base64 32)",
    });
});

/** Each malformed key-ring entry is its own issue; the key material is never echoed. */
function keyRingIssues(env: Record<string, string | undefined>) {
  const value = env[KEY_RING_VARIABLE];
  if (!value || value.trim() === "") return [];
  try {
    parseKeyRing(value, { production: env.NODE_ENV === "production" });
    return [];
  } catch (error) {
    if (!(error instanceof KeyRingError)) throw error;
    return error.problems.map((message) => ({ variable: KEY_RING_VARIABLE, message }));
  }
}

export class EnvError extends Error {
  constructor(readonly issues: { variable: string; message: string }[]) {
    super(
      `Invalid environment:\n${issues.map((i) => `  - ${i.variable}: ${i.message}`).join("\n")}`,
    );
    this.name = "EnvError";
  }
}

/** Validates the server environment; the error names every variable at fault. */
export function parseServerEnv(env: Record<string, string | undefined>): ServerEnv {
  const result = requiredInProduction.safeParse(env);
  const issues = [
    ...(result.error?.issues ?? []).map((issue) => ({
      variable: String(issue.path[0] ?? "(unknown)"),
      message:
        issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
    })),
    ...keyRingIssues(env),
  ];
  if (result.success && issues.length === 0) return result.data;
  throw new EnvError(issues);
}

let cached: ServerEnv | undefined;

export function readServerEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}
