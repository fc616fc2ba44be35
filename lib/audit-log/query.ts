import "server-only";
import { z } from "zod";
import type { OrgContext } from "@/lib/api/org-route";
import type { Prisma } from "@/lib/generated/prisma/client";

const dateParam = z
  .string()
  .refine((value) => !Number.isNaN(Date.parse(value)), "must be an ISO date or date-time")
  .transform((value) => new Date(value));

export const auditLogFilterSchema = z
  .object({
    actor: z.string().trim().max(320).optional(),
    action: z.string().trim().max(120).optional(),
    targetType: z.string().trim().max(64).optional(),
    targetId: z.string().trim().max(255).optional(),
    from: dateParam.optional(),
    to: dateParam.optional(),
    cursor: z.uuid("must be an audit entry id").optional(),
    limit: z.coerce
      .number()
      .int()
      .min(1, "must be at least 1")
      .max(200, "must be at most 200")
      .default(50),
  })
  .refine((filter) => !(filter.from && filter.to && filter.from > filter.to), {
    message: "must not be after to",
    path: ["from"],
  });

export type AuditLogFilter = z.infer<typeof auditLogFilterSchema>;

function whereOf(filter: AuditLogFilter): Prisma.AuditLogWhereInput {
  return {
    ...(filter.actor ? { actorLabel: { contains: filter.actor, mode: "insensitive" } } : {}),
    ...(filter.action ? { action: { startsWith: filter.action } } : {}),
    ...(filter.targetType ? { targetType: filter.targetType } : {}),
    ...(filter.targetId ? { targetId: filter.targetId } : {}),
    ...(filter.from || filter.to ? { createdAt: { gte: filter.from, lte: filter.to } } : {}),
  };
}

const FIELDS = {
  id: true,
  createdAt: true,
  actorType: true,
  actorLabel: true,
  action: true,
  targetType: true,
  targetId: true,
  summary: true,
  ip: true,
  userAgent: true,
} as const;

/** Newest first, keyset-paginated by id (uuid v7 ids sort by time). */
export async function listAuditLog(context: OrgContext, filter: AuditLogFilter) {
  const rows = await context.db.auditLog.findMany({
    where: whereOf(filter),
    select: FIELDS,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: filter.limit + 1,
    ...(filter.cursor ? { cursor: { id: filter.cursor }, skip: 1 } : {}),
  });
  const entries = rows.slice(0, filter.limit);
  return { entries, nextCursor: rows.length > filter.limit ? (entries.at(-1)?.id ?? null) : null };
}

const CSV_LIMIT = 50_000;

function csvCell(value: unknown): string {
  const text =
    value === null || value === undefined
      ? ""
      : typeof value === "string"
        ? value
        : JSON.stringify(value);
  // Leading = + - @ would be formulas in spreadsheets (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function exportAuditLogCsv(
  context: OrgContext,
  filter: AuditLogFilter,
): Promise<string> {
  const rows = await context.db.auditLog.findMany({
    where: whereOf(filter),
    select: FIELDS,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: CSV_LIMIT,
  });
  const header = [
    "time",
    "actor_type",
    "actor",
    "action",
    "target_type",
    "target_id",
    "summary",
    "ip",
    "user_agent",
  ];
  const lines = rows.map((row) =>
    [
      row.createdAt.toISOString(),
      row.actorType,
      row.actorLabel,
      row.action,
      row.targetType,
      row.targetId,
      row.summary,
      row.ip,
      row.userAgent,
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
