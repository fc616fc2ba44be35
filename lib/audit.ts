import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";

/** Anything that can create an AuditLog row: a tenant-scoped client or a transaction in lib/db. */
type AuditWriter = {
  auditLog: { create: (args: { data: Prisma.AuditLogUncheckedCreateInput }) => Promise<unknown> };
};

// Every mutation writes one of these in the same transaction as the change.

export type Actor =
  | { type: "user"; userId: string; label: string }
  | { type: "api_key"; apiKeyId: string; label: string }
  | { type: "system"; label: string };

export type RequestMeta = { ip: string | null; userAgent: string | null };
export type AuditContext = { organizationId: string; actor: Actor; meta: RequestMeta };

export type AuditEntry = {
  action: string;
  targetType: string;
  targetId?: string | null;
  summary?: Record<string, unknown>;
};

const SECRET_KEY = /(secret|password|token|hash|api[-_]?key|authorization|cookie)/i;

/** Drops anything that looks like a secret before it reaches the log. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 5) return "[truncated]";
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => redact(item, depth + 1));
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        SECRET_KEY.test(key) ? "[redacted]" : redact(item, depth + 1),
      ]),
    );
  }
  if (typeof value === "string" && value.length > 500) return `${value.slice(0, 500)}…`;
  return value;
}

/** The AuditLog row an entry becomes (secrets dropped, fields cut to their column sizes). */
export function auditRow(context: AuditContext, entry: AuditEntry) {
  const { actor, meta } = context;
  return {
    organizationId: context.organizationId,
    actorType: actor.type,
    actorUserId: actor.type === "user" ? actor.userId : null,
    actorApiKeyId: actor.type === "api_key" ? actor.apiKeyId : null,
    actorLabel: actor.label.slice(0, 320),
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    summary: (redact(entry.summary ?? {}) ?? {}) as object,
    ip: meta.ip?.slice(0, 64) ?? null,
    userAgent: meta.userAgent?.slice(0, 512) ?? null,
  } satisfies Prisma.AuditLogUncheckedCreateInput;
}

export async function recordAudit(
  tx: AuditWriter,
  context: AuditContext,
  entry: AuditEntry,
): Promise<void> {
  await tx.auditLog.create({ data: auditRow(context, entry) });
}
