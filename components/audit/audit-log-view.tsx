"use client";

import { DownloadIcon, LockIcon, ScrollTextIcon } from "lucide-react";
import { useState } from "react";
import { EmptyState } from "@/components/app-shell/empty-state";
import { useOrg } from "@/components/org/org-context";
import { Button } from "@/components/ui/button";
import { LoadError, LoadingState } from "@/components/ui/query-state";
import { ApiError } from "@/lib/api-client";
import { AuditFiltersForm } from "./audit-filters";
import { AuditLogTable } from "./audit-log-table";
import {
  type AuditLogFilters,
  auditLogExportHref,
  hasAuditFilters,
  NO_AUDIT_FILTERS,
  useAuditLog,
} from "./queries";

export function AuditLogView() {
  const { organization, can } = useOrg();
  if (!can("audit:read")) {
    return (
      <EmptyState
        icon={LockIcon}
        title="You cannot view the audit log"
        description={`Your role in ${organization.name} does not include reading the audit log.`}
      />
    );
  }
  return <AuditLog slug={organization.slug} />;
}

function AuditLog({ slug }: { slug: string }) {
  const [filters, setFilters] = useState<AuditLogFilters>(NO_AUDIT_FILTERS);
  // Remounts the filter form when filters are cleared from outside it (the empty state).
  const [formKey, setFormKey] = useState(0);
  const log = useAuditLog(slug, filters);
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  const filtered = hasAuditFilters(filters);
  // A 400 naming a filter field is shown next to that field, not as a load failure.
  const rejectedFilters =
    log.error instanceof ApiError && log.error.status === 400 && log.error.issues.length > 0;

  function clearFilters() {
    setFilters(NO_AUDIT_FILTERS);
    setFormKey((key) => key + 1);
  }

  return (
    <div className="flex min-w-0 flex-col gap-4">
      <AuditFiltersForm key={formKey} applied={filters} onApply={setFilters} error={log.error} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {log.isSuccess &&
            (log.isPlaceholderData
              ? "Updating…"
              : `Showing ${entries.length} ${entries.length === 1 ? "entry" : "entries"}${
                  log.hasNextPage ? " (more available)" : ""
                }`)}
        </p>
        <Button asChild variant="outline" size="sm">
          <a href={auditLogExportHref(slug, filters)} download>
            <DownloadIcon aria-hidden="true" />
            Export CSV
          </a>
        </Button>
      </div>
      {log.isPending ? (
        <LoadingState label="Loading the audit log…" />
      ) : rejectedFilters ? (
        <p role="alert" className="text-sm text-destructive">
          Correct the filters marked above to see entries.
        </p>
      ) : log.isError ? (
        <LoadError
          title="Could not load the audit log"
          error={log.error}
          onRetry={() => log.refetch()}
        />
      ) : entries.length === 0 ? (
        <EmptyState
          icon={ScrollTextIcon}
          title={filtered ? "No entries match these filters" : "No audit entries yet"}
          description={
            filtered
              ? "Try a wider time range or fewer filters."
              : "Changes to settings, members, invitations and API keys will be recorded here."
          }
          action={
            filtered && (
              <Button variant="outline" onClick={clearFilters}>
                Clear filters
              </Button>
            )
          }
        />
      ) : (
        <div className="rounded-xl border bg-card shadow-xs">
          <AuditLogTable entries={entries} />
          {log.hasNextPage && (
            <div className="flex justify-center border-t p-3">
              <Button
                variant="outline"
                onClick={() => log.fetchNextPage()}
                disabled={log.isFetchingNextPage}
              >
                {log.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </div>
      )}
    </div>
  );
}
