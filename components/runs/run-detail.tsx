"use client";

import { SearchXIcon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/app-shell/empty-state";
import { useOrg } from "@/components/org/org-context";
import { Button } from "@/components/ui/button";
import { LoadError, LoadingState } from "@/components/ui/query-state";
import { ApiError } from "@/lib/api-client";
import { TERMINAL_RUN_STATUSES, useRun } from "./queries";
import { RunHeader } from "./run-header";
import { StepList } from "./step-list";
import { stepRows } from "./step-rows";

/** One run, live: refreshed every second until it completes, fails or is cancelled. */
export function RunDetail({ runId }: { runId: string }) {
  const { organization } = useOrg();
  const run = useRun(organization.slug, runId);

  if (run.isPending) return <LoadingState label="Loading the run…" />;
  if (run.isError) {
    // A malformed id (400) is as missing as an unknown one (404).
    if (run.error instanceof ApiError && [400, 404].includes(run.error.status))
      return (
        <EmptyState
          icon={SearchXIcon}
          title="Run not found"
          description="There is no run with this id in this organisation. It may belong to another organisation, or the link may be mistyped."
          action={
            <Button asChild variant="outline">
              <Link href={`/o/${encodeURIComponent(organization.slug)}/runs`}>All runs</Link>
            </Button>
          }
        />
      );
    return (
      <LoadError
        title="Could not load the run"
        error={run.error}
        onRetry={() => void run.refetch()}
      />
    );
  }

  const rows = stepRows(run.data, !TERMINAL_RUN_STATUSES.has(run.data.status));
  // Unfinished spans count up to the last poll, so their durations move with each one.
  const now = run.dataUpdatedAt;
  return (
    <div className="grid gap-6">
      <RunHeader run={run.data} slug={organization.slug} now={now} />
      <section className="grid gap-2" aria-labelledby="run-steps-heading">
        <h2 id="run-steps-heading" className="text-base font-semibold">
          Steps
        </h2>
        <StepList rows={rows} now={now} />
      </section>
    </div>
  );
}
