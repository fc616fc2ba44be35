import { z } from "zod";

const postgresUrl = z
  .string()
  .url("must be a URL such as postgresql://user:password@host:5432/db")
  .refine((value) => /^postgres(ql)?:\/\//.test(value), "must start with postgresql://");

const serverEnvSchema = z.object({
  DATABASE_URL: postgresUrl,
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** Key for the AES-256-GCM credential encryption: 32 bytes, base64. */
  ENCRYPTION_KEY: z
    .string()
    .refine(
      (value) => Buffer.from(value, "base64").length === 32,
      "must be 32 bytes, base64-encoded",
    )
    .optional(),
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
});

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
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "(unknown)"),
      message:
        issue.code === "invalid_type" && issue.input === undefined ? "is required" : issue.message,
    })),
  );
}

let cached: ServerEnv | undefined;

export function readServerEnv(): ServerEnv {
  cached ??= parseServerEnv(process.env);
  return cached;
}
