"use client";

import {
  ChevronDownIcon,
  GitCompareArrowsIcon,
  HistoryIcon,
  LoaderCircleIcon,
  RotateCcwIcon,
  UndoDotIcon,
} from "lucide-react";
import { useState } from "react";
import { useOrg } from "@/components/org/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import {
  Dialog,
  DialogClose,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { LoadError, LoadingState } from "@/components/ui/query-state";
import { type RestorePlan, useVersionActions } from "./use-version-actions";
import { useWorkflowVersions, type WorkflowVersionSummary } from "./version-queries";

// The Versions tab: every published version, newest first, each of which can
// be compared with the draft or with another version on the canvas, restored
// as the draft (editors) or published again (publishers).

type Confirming =
  | { kind: "restore"; plan: RestorePlan }
  | { kind: "rollback"; version: WorkflowVersionSummary };

export function VersionsPanel({ workflowId }: { workflowId: string }) {
  const { organization, can } = useOrg();
  const slug = organization.slug;
  const versions = useWorkflowVersions(slug, workflowId);
  const actions = useVersionActions(slug, workflowId);
  const [confirming, setConfirming] = useState<Confirming | null>(null);

  if (versions.isError)
    return (
      <LoadError
        className="m-3"
        title="The versions could not be loaded"
        error={versions.error}
        onRetry={() => void versions.refetch()}
      />
    );
  if (!versions.data) return <LoadingState label="Loading versions…" />;
  const list = versions.data;
  if (list.length === 0)
    return (
      <div className="flex flex-col items-center gap-2 p-6 text-center text-sm text-muted-foreground">
        <HistoryIcon aria-hidden="true" className="size-6" />
        <p className="font-medium text-foreground">Nothing published yet</p>
        <p>
          Publishing the draft makes version 1. Every version is kept here, to compare with the
          draft, restore or publish again.
        </p>
      </div>
    );

  const newest = list[0] as WorkflowVersionSummary;
  return (
    <>
      <ol className="space-y-2 p-3" aria-label="Published versions">
        {list.map((version) => (
          <VersionItem
            key={version.id}
            version={version}
            others={list.filter((other) => other.id !== version.id)}
            busy={actions.busy ?? (actions.rollback.isPending ? "rollback" : null)}
            canEdit={can("workflows:edit")}
            canPublish={can("workflows:publish")}
            onCompareWithDraft={() => void actions.compareWithDraft(version)}
            onCompareWith={(other) => void actions.compareVersions(version, other)}
            onRestore={async () => {
              const plan = await actions.prepareRestore(version, newest);
              if (plan) setConfirming({ kind: "restore", plan });
            }}
            onRollback={() => setConfirming({ kind: "rollback", version })}
          />
        ))}
      </ol>
      <Dialog open={confirming !== null} onOpenChange={(open) => !open && setConfirming(null)}>
        <DialogContent showCloseButton={false}>
          {confirming?.kind === "restore" && (
            <ConfirmBody
              title={`Replace the draft with version ${confirming.plan.version.version}?`}
              description="The draft has changes that are in no published version or are not saved yet. Restoring replaces them; Undo (Ctrl+Z) brings them back while the designer stays open."
              confirmLabel="Replace the draft"
              onConfirm={() => {
                actions.restore(confirming.plan);
                setConfirming(null);
              }}
            />
          )}
          {confirming?.kind === "rollback" && (
            <ConfirmBody
              title={`Publish version ${confirming.version.version} again?`}
              description={`It becomes version ${newest.version + 1}, the active version: new runs use it from now on, runs under way keep their version. The draft is not changed.`}
              confirmLabel="Publish again"
              onConfirm={() => {
                actions.rollback.mutate(confirming.version);
                setConfirming(null);
              }}
            />
          )}
        </DialogContent>
      </Dialog>
    </>
  );
}

function ConfirmBody({
  title,
  description,
  confirmLabel,
  onConfirm,
}: {
  title: string;
  description: string;
  confirmLabel: string;
  onConfirm: () => void;
}) {
  return (
    <>
      <DialogHeader>
        <DialogTitle>{title}</DialogTitle>
        <DialogDescription>{description}</DialogDescription>
      </DialogHeader>
      <DialogFooter>
        <DialogClose asChild>
          <Button variant="outline">Cancel</Button>
        </DialogClose>
        <Button onClick={onConfirm}>{confirmLabel}</Button>
      </DialogFooter>
    </>
  );
}

function VersionItem({
  version,
  others,
  busy,
  canEdit,
  canPublish,
  onCompareWithDraft,
  onCompareWith,
  onRestore,
  onRollback,
}: {
  version: WorkflowVersionSummary;
  others: WorkflowVersionSummary[];
  busy: string | null;
  canEdit: boolean;
  canPublish: boolean;
  onCompareWithDraft: () => void;
  onCompareWith: (other: WorkflowVersionSummary) => void;
  onRestore: () => void;
  onRollback: () => void;
}) {
  const comparing = busy === `compare:${version.id}`;
  const restoring = busy === `restore:${version.id}`;
  const label = `Version ${version.version}`;
  return (
    <li
      aria-label={label}
      className="space-y-2 rounded-md border p-3 text-sm"
      data-testid={`version-${version.version}`}
    >
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-1">
        <span className="font-medium">{label}</span>
        {version.active && <Badge variant="completed">Active</Badge>}
        <DateTime value={version.publishedAt} className="ml-auto text-xs text-muted-foreground" />
      </div>
      {version.notes && (
        <p className="line-clamp-3 break-words text-muted-foreground" title={version.notes}>
          {version.notes}
        </p>
      )}
      <div className="flex flex-wrap gap-1.5">
        <Button size="sm" variant="outline" disabled={busy !== null} onClick={onCompareWithDraft}>
          {comparing ? <Spinner /> : <GitCompareArrowsIcon aria-hidden="true" />}
          Compare with draft
        </Button>
        <DropdownMenu>
          <DropdownMenuTrigger asChild>
            <Button size="sm" variant="outline" disabled={busy !== null || others.length === 0}>
              Compare with…
              <ChevronDownIcon aria-hidden="true" />
            </Button>
          </DropdownMenuTrigger>
          <DropdownMenuContent align="end">
            <DropdownMenuLabel>Compare {label} with</DropdownMenuLabel>
            {others.map((other) => (
              <DropdownMenuItem key={other.id} onSelect={() => onCompareWith(other)}>
                Version {other.version}
                {other.active && <span className="text-xs text-muted-foreground">(active)</span>}
              </DropdownMenuItem>
            ))}
          </DropdownMenuContent>
        </DropdownMenu>
        {canEdit && (
          <Button size="sm" variant="outline" disabled={busy !== null} onClick={onRestore}>
            {restoring ? <Spinner /> : <UndoDotIcon aria-hidden="true" />}
            Restore as draft
          </Button>
        )}
        {canPublish && !version.active && (
          <Button
            size="sm"
            variant="outline"
            disabled={busy !== null}
            title="Publish this version again as a new version (roll back)"
            onClick={onRollback}
          >
            <RotateCcwIcon aria-hidden="true" />
            Publish again
          </Button>
        )}
      </div>
    </li>
  );
}

function Spinner() {
  return <LoaderCircleIcon aria-hidden="true" className="animate-spin" />;
}
