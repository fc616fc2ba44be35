"use client";

import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";

export type AuditActorType = "user" | "api_key" | "system";

export type AuditLogEntry = {
  id: string;
  createdAt: string;
  actorType: AuditActorType;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  summary: unknown;
  ip: string | null;
  userAgent: string | null;
};

type AuditLogPage = { entries: AuditLogEntry[]; nextCursor: string | null };

/** The filter form's values as typed; `from`/`to` are `datetime-local` strings (reader's zone). */
export type AuditLogFilters = {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  from: string;
  to: string;
};

export const NO_AUDIT_FILTERS: AuditLogFilters = {
  actor: "",
  action: "",
  targetType: "",
  targetId: "",
  from: "",
  to: "",
};

export const auditLogKeys = {
  all: (slug: string) => ["org", slug, "audit-log"] as const,
  filtered: (slug: string, filters: AuditLogFilters) =>
    ["org", slug, "audit-log", filters] as const,
};

const MINUTE_MS = 60_000;

/** A datetime-local value, read in the browser's time zone, as an ISO instant for the API. */
function instant(value: string, { endOfMinute = false } = {}): string | undefined {
  if (!value) return undefined;
  const time = new Date(value).getTime();
  if (Number.isNaN(time)) return undefined;
  // The input has minute precision, so "to 10:15" should include 10:15:59.
  return new Date(endOfMinute ? time + MINUTE_MS - 1 : time).toISOString();
}

/** The API's query parameters for the filters (empty ones left out). */
export function auditLogQuery(filters: AuditLogFilters): Record<string, string | undefined> {
  return {
    actor: filters.actor.trim() || undefined,
    action: filters.action.trim() || undefined,
    targetType: filters.targetType.trim() || undefined,
    targetId: filters.targetId.trim() || undefined,
    from: instant(filters.from),
    to: instant(filters.to, { endOfMinute: true }),
  };
}

export function hasAuditFilters(filters: AuditLogFilters): boolean {
  return Object.values(filters).some((value) => value.trim() !== "");
}

/** Same filters as the table, as a CSV download (the browser sends the session cookie). */
export function auditLogExportHref(slug: string, filters: AuditLogFilters): string {
  const params = new URLSearchParams({ org: slug });
  for (const [key, value] of Object.entries(auditLogQuery(filters))) {
    if (value) params.set(key, value);
  }
  return `/api/v1/audit-logs/export?${params}`;
}

export function useAuditLog(slug: string, filters: AuditLogFilters) {
  return useInfiniteQuery({
    queryKey: auditLogKeys.filtered(slug, filters),
    queryFn: ({ pageParam }) =>
      apiFetch<AuditLogPage>("/api/v1/audit-logs", {
        org: slug,
        query: { ...auditLogQuery(filters), cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    // Keep the current rows on screen while a new filter loads.
    placeholderData: keepPreviousData,
  });
}
