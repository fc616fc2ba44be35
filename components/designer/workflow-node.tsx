"use client";

import { Handle, type NodeProps, Position, useStore } from "@xyflow/react";
import { ShieldIcon, TriangleAlertIcon } from "lucide-react";
import { memo } from "react";
import { cn } from "@/lib/cn";
import { type DesignerEdge, type DesignerNode, PLAIN_HANDLE } from "@/lib/designer/document";
import { nodeKind } from "@/lib/nodes";
import { COMPENSATION_LABEL } from "@/lib/workflows/definition";
import { categoryAccent, kindIcon } from "./kind-visuals";
import { useDesigner } from "./store";

// One node on the canvas: its kind's icon, its name, a badge when the
// validator found problems, a target handle on top and one source handle per
// outcome below (true/false, approved/rejected/timeout, switch cases). A
// protected node also has a compensation handle on its right. Labels that
// edges use but the kind does not know are drawn too, marked, so an edge
// from a bad draft never vanishes.

const COMPACT_BELOW_ZOOM = 0.45;

const DIFF_CLASSES = {
  added: "border-2 border-emerald-500 bg-emerald-50 dark:bg-emerald-950",
  removed: "border-2 border-dashed border-red-500 bg-red-50 opacity-70 dark:bg-red-950",
  changed: "border-2 border-amber-500 bg-amber-50 dark:bg-amber-950",
  unchanged: "opacity-60",
} as const;

const labelsCache = new WeakMap<readonly DesignerEdge[], Map<string, string>>();

/** Outgoing labels per source node, joined, computed once per edges array. */
function outgoingLabels(edges: readonly DesignerEdge[]): Map<string, string> {
  let labels = labelsCache.get(edges);
  if (!labels) {
    const sets = new Map<string, Set<string>>();
    for (const edge of edges) {
      const set = sets.get(edge.source) ?? new Set<string>();
      set.add(edge.sourceHandle);
      sets.set(edge.source, set);
    }
    labels = new Map([...sets].map(([id, set]) => [id, [...set].join("\n")]));
    labelsCache.set(edges, labels);
  }
  return labels;
}

function branchesOf(kindName: string, config: unknown): string[] | null {
  const kind = nodeKind(kindName);
  if (!kind?.branches) return null;
  try {
    return [...kind.branches(config)];
  } catch {
    return [];
  }
}

export const WorkflowNodeView = memo(function WorkflowNodeView({
  id,
  data,
  selected,
}: NodeProps<DesignerNode>) {
  const kind = nodeKind(data.kind);
  const diff = useDesigner((state) => state.comparison?.nodeStatus.get(id));
  const problems = useDesigner((state) =>
    state.comparison ? undefined : state.problemsByNode.get(id),
  );
  const used = useDesigner(
    (state) =>
      outgoingLabels(state.comparison?.document.edges ?? state.history.present.edges).get(id) ?? "",
  );
  const branches = branchesOf(data.kind, data.config);
  const usedLabels = used ? used.split("\n") : [];
  const outputs = (branches ?? [PLAIN_HANDLE]).map((label) => ({ label, known: true }));
  for (const label of usedLabels)
    if (label !== COMPENSATION_LABEL && !outputs.some((output) => output.label === label))
      outputs.push({ label, known: false });
  const Icon = kindIcon(data.kind, kind?.category);
  const isTrigger = data.kind === "trigger";
  const hasProblems = Boolean(problems?.length);
  // Zoomed far out the text is unreadable anyway: draw a plain tile, which
  // keeps panning a few hundred nodes smooth.
  const compact = useStore((state) => state.transform[2] < COMPACT_BELOW_ZOOM);

  return (
    <div
      data-testid={`node-${id}`}
      data-node-kind={data.kind}
      data-problems={problems?.length ?? 0}
      data-diff={diff}
      className={cn(
        "relative w-60 rounded-lg border bg-card text-card-foreground",
        !compact && "shadow-sm transition-shadow",
        selected && "ring-2 ring-ring",
        hasProblems && "border-destructive",
        diff && DIFF_CLASSES[diff],
      )}
    >
      {!isTrigger && (
        <Handle
          type="target"
          position={Position.Top}
          className="!size-3 !border-2 !border-background !bg-muted-foreground"
          aria-label={`Into ${data.name}`}
        />
      )}
      {compact ? (
        <div
          className={cn("h-[58px] rounded-lg", categoryAccent(kind?.category))}
          title={data.name}
        />
      ) : (
        <div className="flex items-start gap-2 p-3">
          <span
            className={cn("mt-0.5 rounded-md p-1.5", categoryAccent(kind?.category))}
            aria-hidden="true"
          >
            <Icon className="size-4" />
          </span>
          <div className="min-w-0 flex-1">
            <div className="truncate text-sm font-medium" title={data.name}>
              {data.name}
            </div>
            <div className="truncate text-xs text-muted-foreground">
              {kind?.label ?? (data.kind ? `Unknown kind “${data.kind}”` : "No kind")}
              <span className="ml-1 font-mono opacity-70">· {id}</span>
            </div>
          </div>
          {data.protected && (
            <ShieldIcon className="size-4 shrink-0 text-muted-foreground" aria-label="Protected" />
          )}
          {diff && diff !== "unchanged" && (
            <span className="absolute -top-2.5 right-2 rounded bg-background px-1 text-[10px] font-semibold uppercase tracking-wide shadow-sm">
              {diff}
            </span>
          )}
          {hasProblems && (
            <span
              className="flex shrink-0 items-center gap-0.5 rounded bg-destructive/10 px-1 text-xs font-medium text-destructive"
              title={problems?.map((problem) => problem.message).join("\n")}
            >
              <TriangleAlertIcon className="size-3" aria-hidden="true" />
              {problems?.length}
              <span className="sr-only"> problems</span>
            </span>
          )}
        </div>
      )}
      {outputs.length > 1 || outputs[0]?.label !== PLAIN_HANDLE ? (
        <div className="flex justify-around gap-1 border-t px-2 pt-1 pb-2 text-[10px] text-muted-foreground">
          {outputs.map((output) => (
            <span
              key={output.label}
              className={cn("relative truncate", !output.known && "text-destructive line-through")}
            >
              {!compact && output.label}
              <Handle
                id={output.label}
                type="source"
                position={Position.Bottom}
                className="!-bottom-3 !size-3 !border-2 !border-background !bg-primary"
                aria-label={`${data.name}: ${output.label}`}
              />
            </span>
          ))}
        </div>
      ) : (
        <Handle
          id={PLAIN_HANDLE}
          type="source"
          position={Position.Bottom}
          className="!size-3 !border-2 !border-background !bg-primary"
          aria-label={`Out of ${data.name}`}
        />
      )}
      {(data.protected || usedLabels.includes(COMPENSATION_LABEL)) && (
        <Handle
          id={COMPENSATION_LABEL}
          type="source"
          position={Position.Right}
          className="!size-3 !border-2 !border-background !bg-amber-500"
          aria-label={`${data.name}: compensation`}
          title="Compensation: runs if this node fails"
        />
      )}
    </div>
  );
});
