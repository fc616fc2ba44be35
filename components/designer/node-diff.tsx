"use client";

import { MoveIcon } from "lucide-react";
import { useState } from "react";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import type { SelectedNode } from "@/lib/designer/document";
import { nodeKind } from "@/lib/nodes";
import { changeLabel, type DiffStatus, type FieldChange } from "@/lib/workflows/diff";
import { useDesigner, useDesignerStore } from "./store";

// The right panel while two versions are compared: for the selected node, what
// differs between them, field by field (before above after, JSON pretty-printed,
// long values folded). With nothing selected, the nodes that differ, to pick from.

const STATUS_BADGE: Record<DiffStatus, BadgeVariant> = {
  added: "completed",
  removed: "failed",
  changed: "waiting",
  unchanged: "queued",
};

/** Longer values are folded behind "Show all". */
const FOLD_AT = 400;

export function NodeDiff({ node }: { node: SelectedNode | null }) {
  const comparison = useDesigner((state) => state.comparison);
  if (!comparison) return null;
  if (!node) return <DifferingNodes />;
  const status = comparison.nodeStatus.get(node.id) ?? "unchanged";
  const diff = comparison.diff?.nodes.find((entry) => entry.id === node.id);
  const kind = nodeKind(node.data.kind);

  return (
    <section
      aria-label={`Changes to ${node.data.name}`}
      className="space-y-4 p-4 text-sm"
      data-testid="node-diff"
    >
      <header className="space-y-1">
        <div className="flex items-center gap-2">
          <h2 className="min-w-0 flex-1 truncate font-semibold" title={node.data.name}>
            {node.data.name}
          </h2>
          <Badge variant={STATUS_BADGE[status]} className="capitalize">
            {status}
          </Badge>
        </div>
        <p className="text-xs text-muted-foreground">
          {kind?.label ?? node.data.kind} · <span className="font-mono">{node.id}</span>
        </p>
      </header>
      {diff?.moved && (
        <p className="flex items-center gap-1.5 text-muted-foreground">
          <MoveIcon aria-hidden="true" className="size-4" /> Moved on the canvas.
        </p>
      )}
      {status === "added" && <p>This node is new. Its settings:</p>}
      {status === "removed" && <p>This node was removed. Its settings were:</p>}
      {(status === "added" || status === "removed") && (
        <dl className="space-y-3">
          {settingsOf(node).map(({ key, label, value }) => (
            <div key={key} className="space-y-1">
              <dt className="font-mono text-xs font-medium">{label}</dt>
              <dd>
                <ValueBlock value={value} tone={status === "added" ? "after" : "before"} />
              </dd>
            </div>
          ))}
        </dl>
      )}
      {status === "unchanged" && (
        <p className="text-muted-foreground">Its settings are the same in both versions.</p>
      )}
      {status === "changed" && diff && (
        <dl className="space-y-3">
          {diff.changes.map((change) => (
            <ChangeRow key={`${change.field}:${change.path}`} change={change} />
          ))}
        </dl>
      )}
    </section>
  );
}

function ChangeRow({ change }: { change: FieldChange }) {
  return (
    <div className="space-y-1" data-testid="node-diff-change">
      <dt className="font-mono text-xs font-medium">{changeLabel(change)}</dt>
      <dd className="space-y-1">
        <span className="sr-only">Before: </span>
        <ValueBlock value={change.before} tone="before" />
        <span className="sr-only">After: </span>
        <ValueBlock value={change.after} tone="after" />
      </dd>
    </div>
  );
}

function ValueBlock({ value, tone }: { value: unknown; tone: "before" | "after" }) {
  const [expanded, setExpanded] = useState(false);
  const text = formatValue(value);
  const folded = text !== null && text.length > FOLD_AT && !expanded;
  return (
    <div
      className={cn(
        "rounded border-l-4 px-2 py-1",
        tone === "before"
          ? "border-red-400 bg-red-50 dark:bg-red-950/40"
          : "border-emerald-500 bg-emerald-50 dark:bg-emerald-950/40",
      )}
    >
      {text === null ? (
        <span className="text-xs italic text-muted-foreground">not set</span>
      ) : (
        <pre className="font-mono text-xs break-words whitespace-pre-wrap">
          {folded ? `${text.slice(0, FOLD_AT)}…` : text}
        </pre>
      )}
      {text !== null && text.length > FOLD_AT && (
        <Button
          variant="link"
          size="sm"
          className="h-auto p-0 text-xs"
          onClick={() => setExpanded(!expanded)}
        >
          {expanded ? "Show less" : `Show all (${text.length} characters)`}
        </Button>
      )}
    </div>
  );
}

/** The nodes that differ, to select one from the list rather than on the canvas. */
function DifferingNodes() {
  const store = useDesignerStore();
  const comparison = useDesigner((state) => state.comparison);
  if (!comparison) return null;
  const differing = comparison.document.nodes.filter(
    (node) => (comparison.nodeStatus.get(node.id) ?? "unchanged") !== "unchanged",
  );
  const select = (id: string) =>
    store.getState().onNodesChange(
      comparison.document.nodes.map((node) => ({
        type: "select",
        id: node.id,
        selected: node.id === id,
      })),
    );
  return (
    <div className="space-y-2 p-4 text-sm">
      <p className="text-muted-foreground">
        {differing.length === 0
          ? "No node differs between the two versions."
          : "Select a highlighted node on the canvas, or one of these, to see what changed in it."}
      </p>
      <ul className="space-y-1">
        {differing.map((node) => {
          const status = comparison.nodeStatus.get(node.id) ?? "unchanged";
          return (
            <li key={node.id}>
              <button
                type="button"
                className="flex w-full items-center gap-2 rounded px-2 py-1 text-left hover:bg-muted focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
                onClick={() => select(node.id)}
              >
                <span className="min-w-0 flex-1 truncate">{node.data.name}</span>
                <Badge variant={STATUS_BADGE[status]} className="capitalize">
                  {status}
                </Badge>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** An added or removed node's settings, labelled like changes are (config keys bare). */
function settingsOf(node: SelectedNode): { key: string; label: string; value: unknown }[] {
  const { config, ...fields } = node.data;
  const entry =
    (section: string) =>
    ([label, value]: [string, unknown]) => ({
      key: `${section}.${label}`,
      label,
      value,
    });
  const { name, kind, ...rest } = fields;
  return [
    ...Object.entries({ name, kind }).map(entry("node")),
    ...Object.entries(config).map(entry("config")),
    ...Object.entries(rest)
      .filter(([, value]) => value !== undefined)
      .map(entry("node")),
  ];
}

/** Strings as they are (templates read best unquoted), anything else as indented JSON; null when absent. */
function formatValue(value: unknown): string | null {
  if (value === undefined) return null;
  if (typeof value === "string") return value === "" ? '""' : value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}
