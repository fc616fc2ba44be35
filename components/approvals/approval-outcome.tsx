import { CircleCheckIcon, CircleSlashIcon, CircleXIcon, ClockIcon } from "lucide-react";
import type * as React from "react";
import type { ApprovalLinkState } from "./approval-link-state";

type Closed = Exclude<ApprovalLinkState, { kind: "open" }>;

function copyFor(state: Closed): { icon: React.ReactNode; title: string; detail?: string } {
  const decidedIcon = (decision: "approved" | "rejected") =>
    decision === "approved" ? (
      <CircleCheckIcon aria-hidden="true" className="size-5 text-success" />
    ) : (
      <CircleXIcon aria-hidden="true" className="size-5 text-destructive" />
    );
  switch (state.kind) {
    case "decided-here":
      return {
        icon: decidedIcon(state.decision),
        title: `You ${state.decision} this request.`,
        detail: state.comment ? `Your comment: “${state.comment}”` : undefined,
      };
    case "decided":
      return {
        icon: decidedIcon(state.decision),
        title: `This request was already ${state.decision}${state.decidedBy ? ` by ${state.decidedBy}` : ""}.`,
        detail: "Nothing more is needed from you.",
      };
    case "expired":
      return {
        icon: <ClockIcon aria-hidden="true" className="size-5 text-muted-foreground" />,
        title: "This request has expired.",
        detail: "It can no longer be approved or rejected. The workflow has moved on without it.",
      };
    case "closed":
      return {
        icon: <CircleSlashIcon aria-hidden="true" className="size-5 text-muted-foreground" />,
        title: "This request is closed.",
        detail: "It timed out or its workflow run was cancelled, so it can no longer be decided.",
      };
  }
}

/** The read-only answer for a link that can no longer decide anything. */
export function ApprovalOutcome({ state }: { state: Closed }) {
  const { icon, title, detail } = copyFor(state);
  return (
    <section aria-label="Decision" className="flex items-start gap-3 rounded-md border px-3 py-3">
      <span className="mt-0.5 shrink-0">{icon}</span>
      <div className="grid gap-1 text-sm">
        <p className="font-medium">{title}</p>
        {detail && <p className="break-words text-muted-foreground">{detail}</p>}
      </div>
    </section>
  );
}
