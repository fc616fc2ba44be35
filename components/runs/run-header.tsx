"use client";

import { FlaskConicalIcon } from "lucide-react";
import Link from "next/link";
import type * as React from "react";
import { DateTime } from "@/components/ui/date-time";
import { elapsedMs, formatDuration } from "./duration";
import { JsonView } from "./json-view";
import type { WorkflowRun } from "./queries";
import { RunStatusBadge } from "./status-badges";

// What a run is: which workflow and version, for whom, its status and timing.

function versionLabel(version: number): string {
  return version > 0 ? `v${version}` : "draft snapshot";
}

function errorMessage(error: unknown): string | null {
  if (!error) return null;
  if (typeof error === "string") return error;
  if (typeof error === "object" && "message" in error && typeof error.message === "string")
    return error.message;
  return null;
}

export function RunHeader({ run, slug, now }: { run: WorkflowRun; slug: string; now?: number }) {
  const message = errorMessage(run.error);
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">
          <Link
            href={`/o/${encodeURIComponent(slug)}/workflows/${encodeURIComponent(run.workflow.id)}`}
            className="underline-offset-4 hover:underline focus-visible:underline"
          >
            {run.workflow.name}
          </Link>
        </h1>
        <span className="text-sm text-muted-foreground">
          {versionLabel(run.workflowVersion.version)}
        </span>
        <RunStatusBadge status={run.status} data-testid="run-status" />
        {run.isTest ? (
          <span
            data-testid="run-test-marker"
            className="inline-flex items-center gap-1 rounded-md border border-dashed px-2 py-0.5 text-xs text-muted-foreground"
          >
            <FlaskConicalIcon aria-hidden="true" className="size-3" />
            Test run: nothing was sent
          </span>
        ) : null}
      </div>
      <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
        <Fact term="Employee">
          {run.employeeName ?? "—"}
          {run.employeeEmail ? (
            <span className="block text-xs text-muted-foreground">{run.employeeEmail}</span>
          ) : null}
        </Fact>
        <Fact term="Started">
          {run.startedAt ? <DateTime value={run.startedAt} format="precise" /> : "Not yet"}
        </Fact>
        <Fact term="Finished">
          {run.finishedAt ? <DateTime value={run.finishedAt} format="precise" /> : "—"}
        </Fact>
        <Fact term="Duration">
          <span data-testid="run-duration" className="tabular-nums">
            {formatDuration(elapsedMs(run.startedAt, run.finishedAt, now))}
          </span>
        </Fact>
      </dl>
      {run.error ? (
        <div
          role="alert"
          className="grid gap-2 rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm"
        >
          <p className="font-medium text-destructive">{message ?? "The run failed."}</p>
          {message ? null : <JsonView value={run.error} />}
        </div>
      ) : null}
    </div>
  );
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-muted-foreground">{term}</dt>
      <dd className="truncate">{children}</dd>
    </div>
  );
}
