"use client";

import { ActivityIcon, FlaskConicalIcon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/app-shell/empty-state";
import { useOrg } from "@/components/org/org-context";
import { DateTime } from "@/components/ui/date-time";
import { LoadError, LoadingState } from "@/components/ui/query-state";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { elapsedMs, formatDuration } from "./duration";
import { useRuns } from "./queries";
import { RunStatusBadge } from "./status-badges";

/** The latest runs, newest first, each linking to its page. */
export function RunList() {
  const { organization } = useOrg();
  const runs = useRuns(organization.slug);
  const slug = encodeURIComponent(organization.slug);

  if (runs.isPending) return <LoadingState label="Loading runs…" />;
  if (runs.isError)
    return (
      <LoadError
        title="Could not load the runs"
        error={runs.error}
        onRetry={() => void runs.refetch()}
      />
    );
  if (runs.data.length === 0)
    return (
      <EmptyState
        icon={ActivityIcon}
        title="No runs yet"
        description="Runs will appear here as soon as an HR system webhook, a schedule or a test run starts a workflow."
      />
    );

  return (
    <Table aria-label="Runs">
      <TableHeader>
        <TableRow>
          <TableHead>Workflow</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Employee</TableHead>
          <TableHead>Started</TableHead>
          <TableHead className="text-right">Duration</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {runs.data.map((run) => (
          <TableRow key={run.id} data-testid={`run-${run.id}`}>
            <TableCell>
              <Link
                href={`/o/${slug}/runs/${encodeURIComponent(run.id)}`}
                className="font-medium underline-offset-4 hover:underline focus-visible:underline"
              >
                {run.workflow.name}
              </Link>
              <span className="ml-2 text-xs text-muted-foreground">
                {run.workflowVersion.version > 0 ? `v${run.workflowVersion.version}` : "draft"}
              </span>
              {run.isTest ? (
                <span className="ml-2 inline-flex items-center gap-1 text-xs text-muted-foreground">
                  <FlaskConicalIcon aria-hidden="true" className="size-3" />
                  Test
                </span>
              ) : null}
            </TableCell>
            <TableCell>
              <RunStatusBadge status={run.status} />
            </TableCell>
            <TableCell>
              {run.employeeName ?? "—"}
              {run.employeeEmail ? (
                <div className="text-xs text-muted-foreground">{run.employeeEmail}</div>
              ) : null}
            </TableCell>
            <TableCell>
              <DateTime value={run.startedAt ?? run.createdAt} />
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {formatDuration(elapsedMs(run.startedAt, run.finishedAt))}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
