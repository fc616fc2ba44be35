import type * as React from "react";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import type { RunStatus, StepStatus } from "./queries";

// Status badges for runs and steps, with the status word as their text (tests
// and screen readers read it; the colour only repeats it).

const STEP_VARIANTS: Record<StepStatus, BadgeVariant> = {
  pending: "queued",
  running: "running",
  waiting: "waiting",
  completed: "completed",
  failed: "failed",
  skipped: "outline",
  reused: "secondary",
  cancelled: "cancelled",
};

type BadgeProps = Omit<React.ComponentProps<typeof Badge>, "variant" | "children">;

export function RunStatusBadge({ status, ...props }: BadgeProps & { status: RunStatus }) {
  return (
    <Badge variant={status} {...props}>
      {status}
    </Badge>
  );
}

export function StepStatusBadge({ status, ...props }: BadgeProps & { status: StepStatus }) {
  return (
    <Badge variant={STEP_VARIANTS[status] ?? "outline"} {...props}>
      {status}
    </Badge>
  );
}
