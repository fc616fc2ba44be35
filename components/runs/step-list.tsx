"use client";

import { ChevronRightIcon } from "lucide-react";
import { useId, useState } from "react";
import { DateTime } from "@/components/ui/date-time";
import { cn } from "@/lib/cn";
import { elapsedMs, formatDuration } from "./duration";
import { JsonView } from "./json-view";
import type { StepRun } from "./queries";
import { StepStatusBadge } from "./status-badges";
import type { StepRow } from "./step-rows";

// A run's steps in order: status, attempts and duration at a glance; a row
// opens to what each attempt recorded.

/** `now`: where unfinished steps count up to (default: this render). */
export function StepList({ rows, now }: { rows: StepRow[]; now?: number }) {
  if (rows.length === 0)
    return <p className="py-6 text-sm text-muted-foreground">No step has started yet.</p>;
  return (
    <ol aria-label="Steps" className="divide-y rounded-lg border bg-card">
      {rows.map((row) => (
        <StepItem key={row.nodeId} row={row} now={now} />
      ))}
    </ol>
  );
}

function StepItem({ row, now }: { row: StepRow; now?: number }) {
  const [open, setOpen] = useState(false);
  const detailId = useId();
  const started = row.attempts.length > 0;
  return (
    <li data-testid={`step-${row.nodeId}`} data-status={row.status}>
      <button
        type="button"
        disabled={!started}
        aria-expanded={started ? open : undefined}
        aria-controls={started ? detailId : undefined}
        onClick={() => setOpen((value) => !value)}
        className="flex w-full items-center gap-3 px-4 py-3 text-left text-sm hover:bg-accent/40 focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-inset disabled:cursor-default disabled:hover:bg-transparent"
      >
        <ChevronRightIcon
          aria-hidden="true"
          className={cn(
            "size-4 shrink-0 text-muted-foreground transition-transform",
            open && "rotate-90",
            !started && "invisible",
          )}
        />
        <span className="min-w-0 flex-1">
          <span className={cn("block truncate font-medium", !started && "text-muted-foreground")}>
            {row.name}
          </span>
          <span className="block truncate text-xs text-muted-foreground">
            {row.kind} · {row.nodeId}
          </span>
        </span>
        <span className="hidden w-24 text-right text-xs text-muted-foreground tabular-nums sm:block">
          {row.attempts.length > 1 ? `${row.attempts.length} attempts` : started ? "1 attempt" : ""}
        </span>
        <span className="w-20 text-right text-xs tabular-nums">
          {started ? formatDuration(elapsedMs(row.startedAt, row.finishedAt, now)) : ""}
        </span>
        <StepStatusBadge status={row.status} className="w-20 justify-center" />
      </button>
      {open && started ? (
        <div id={detailId} className="grid gap-4 border-t bg-muted/20 px-4 py-4 sm:pl-11">
          {row.attempts.map((attempt) => (
            <AttemptDetail key={attempt.id} attempt={attempt} numbered={row.attempts.length > 1} />
          ))}
        </div>
      ) : null}
    </li>
  );
}

function AttemptDetail({
  attempt,
  numbered,
  now,
}: {
  attempt: StepRun;
  numbered: boolean;
  now?: number;
}) {
  const sections: [label: string, value: unknown][] = [
    ["Error", attempt.error],
    // Test runs record what a side-effecting step would have sent, instead of sending it.
    ["Would send", attempt.wouldSend],
    ["Output", attempt.output],
    ["Detail", attempt.detail],
    ["Input", attempt.input],
  ];
  const recorded = sections.filter(([, value]) => value !== null && value !== undefined);
  return (
    <section className="grid gap-2" aria-label={`Attempt ${attempt.attempt}`}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-xs text-muted-foreground">
        {numbered ? (
          <span className="font-medium text-foreground">Attempt {attempt.attempt}</span>
        ) : null}
        <StepStatusBadge status={attempt.status} />
        {attempt.startedAt ? (
          <span>
            Started <DateTime value={attempt.startedAt} format="precise" />
          </span>
        ) : null}
        {attempt.finishedAt ? (
          <span>
            Finished <DateTime value={attempt.finishedAt} format="precise" />
          </span>
        ) : null}
        <span className="tabular-nums">
          {formatDuration(elapsedMs(attempt.startedAt, attempt.finishedAt, now))}
        </span>
      </div>
      {recorded.length === 0 ? (
        <p className="text-xs text-muted-foreground">Nothing recorded.</p>
      ) : (
        recorded.map(([label, value]) => (
          <div key={label} className="grid gap-1">
            <h4 className="text-xs font-medium">{label}</h4>
            <JsonView value={value} />
          </div>
        ))
      )}
    </section>
  );
}
