"use client";

import { WorkflowIcon } from "lucide-react";
import Link from "next/link";
import { EmptyState } from "@/components/app-shell/empty-state";
import { useOrg } from "@/components/org/org-context";
import { Badge } from "@/components/ui/badge";
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
import { NewWorkflowDialog } from "./new-workflow-dialog";
import { useWorkflows, type WorkflowSummary } from "./queries";
import { StartRunDialog } from "./start-run-dialog";

const TRIGGER_LABELS: Record<string, string> = {
  "employee.onboard": "Employee onboarded",
  "employee.exit": "Employee leaves",
  "employee.transfer": "Employee transfers",
  "employee.update": "Employee updated",
};

function triggerLabel(workflow: WorkflowSummary): string {
  if (workflow.triggerType === "lifecycle_event" && workflow.triggerEvent)
    return TRIGGER_LABELS[workflow.triggerEvent] ?? workflow.triggerEvent;
  if (workflow.triggerType === "schedule") return "Schedule";
  if (workflow.triggerType === "manual") return "Manual start";
  return "Not published";
}

/** The organisation's workflows with their trigger and published version. */
export function WorkflowList() {
  const { organization, can } = useOrg();
  const workflows = useWorkflows(organization.slug);
  const canStart = can("runs:start");
  const canEdit = can("workflows:edit");

  if (workflows.isPending) return <LoadingState label="Loading workflows…" />;
  if (workflows.isError)
    return (
      <LoadError
        title="Could not load the workflows"
        error={workflows.error}
        onRetry={() => void workflows.refetch()}
      />
    );
  if (workflows.data.length === 0)
    return (
      <EmptyState
        icon={WorkflowIcon}
        title="No workflows yet"
        description={
          canEdit
            ? "Create one from the joiner, mover or leaver template, or start blank, and design it in the designer. Published workflows run when their lifecycle event arrives."
            : "Workflows your team creates, blank or from the joiner, mover and leaver templates, appear here with their trigger and published version."
        }
        action={canEdit ? <NewWorkflowDialog /> : undefined}
      />
    );

  return (
    <Table aria-label="Workflows">
      <TableHeader>
        <TableRow>
          <TableHead>Workflow</TableHead>
          <TableHead>Trigger</TableHead>
          <TableHead>Status</TableHead>
          <TableHead className="text-right">Version</TableHead>
          <TableHead>Updated</TableHead>
          {canStart ? (
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          ) : null}
        </TableRow>
      </TableHeader>
      <TableBody>
        {workflows.data.map((workflow) => (
          <TableRow key={workflow.id}>
            <TableCell>
              <Link
                href={`/o/${organization.slug}/workflows/${workflow.id}`}
                className="font-medium underline-offset-4 hover:underline focus-visible:underline"
              >
                {workflow.name}
              </Link>
              {workflow.description ? (
                <div className="max-w-md truncate text-xs text-muted-foreground">
                  {workflow.description}
                </div>
              ) : null}
            </TableCell>
            <TableCell>{triggerLabel(workflow)}</TableCell>
            <TableCell>
              <Badge variant={workflow.status === "active" ? "completed" : "queued"}>
                {workflow.status === "active" ? "Published" : "Draft"}
              </Badge>
            </TableCell>
            <TableCell className="text-right tabular-nums">
              {workflow.latestVersion ? `v${workflow.latestVersion}` : "—"}
            </TableCell>
            <TableCell>
              <DateTime value={workflow.updatedAt} />
            </TableCell>
            {canStart ? (
              <TableCell className="text-right">
                <StartRunDialog workflow={workflow} />
              </TableCell>
            ) : null}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
