import "server-only";
import { randomBytes } from "node:crypto";
import { z } from "zod";
import type { OrgContext } from "@/lib/api/org-route";
import { recordAudit } from "@/lib/audit";
import { hashApiKey } from "@/lib/db/api-key-auth";
import { Forbidden, NotFound } from "@/lib/errors";
import { roleSchema } from "@/lib/members/service";
import { canGrant } from "@/lib/permissions";

export const createApiKeySchema = z
  .object({
    name: z
      .string({ error: "is required" })
      .trim()
      .min(1, "is required")
      .max(120, "must be at most 120 characters"),
    role: roleSchema,
    expiresInDays: z
      .number()
      .int()
      .min(1, "must be at least 1")
      .max(730, "must be at most 730")
      .optional(),
  })
  .strict();

const API_KEY_FIELDS = {
  id: true,
  name: true,
  prefix: true,
  role: true,
  lastUsedAt: true,
  expiresAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

export async function listApiKeys(context: OrgContext) {
  return context.db.apiKey.findMany({ select: API_KEY_FIELDS, orderBy: { createdAt: "desc" } });
}

/** The secret is returned here once; only its sha256 is stored. */
export async function createApiKey(context: OrgContext, input: z.infer<typeof createApiKeySchema>) {
  if (!canGrant(context.role, input.role))
    throw new Forbidden(`Your role (${context.role}) cannot create a ${input.role} key.`);
  const secret = `of_${randomBytes(32).toString("base64url")}`;
  return context.db.$transaction(async (tx) => {
    const key = await tx.apiKey.create({
      data: {
        organizationId: context.organization.id,
        name: input.name,
        role: input.role,
        prefix: secret.slice(0, 10),
        keyHash: hashApiKey(secret),
        expiresAt: input.expiresInDays
          ? new Date(Date.now() + input.expiresInDays * 24 * 3_600_000)
          : null,
        createdById: context.actor.type === "user" ? context.actor.userId : null,
      },
      select: API_KEY_FIELDS,
    });
    await recordAudit(tx, context.audit, {
      action: "api_key.created",
      targetType: "api_key",
      targetId: key.id,
      summary: { name: key.name, role: key.role, prefix: key.prefix },
    });
    return { ...key, secret };
  });
}

export async function revokeApiKey(context: OrgContext, id: string) {
  return context.db.$transaction(async (tx) => {
    const key = await tx.apiKey.findUnique({ where: { id }, select: API_KEY_FIELDS });
    if (!key) throw new NotFound("API key");
    if (key.revokedAt) return key;
    const revoked = await tx.apiKey.update({
      where: { id },
      data: { revokedAt: new Date() },
      select: API_KEY_FIELDS,
    });
    await recordAudit(tx, context.audit, {
      action: "api_key.revoked",
      targetType: "api_key",
      targetId: id,
      summary: { name: key.name, prefix: key.prefix },
    });
    return revoked;
  });
}
