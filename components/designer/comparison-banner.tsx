"use client";

import { useNodesInitialized, useReactFlow } from "@xyflow/react";
import { XIcon } from "lucide-react";
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/lib/cn";
import type { DiffStatus } from "@/lib/workflows/diff";
import { useDesigner } from "./store";

// Over the canvas while two versions are compared: what is compared, how many
// nodes and connections differ, what the highlights mean, and the way back to
// the draft (Escape does the same, see use-shortcuts.ts).

// The swatches match the node highlights in workflow-node.tsx.
const LEGEND: { status: DiffStatus; label: string; swatch: string }[] = [
  { status: "added", label: "Added", swatch: "border-2 border-emerald-500 bg-emerald-50" },
  {
    status: "removed",
    label: "Removed",
    swatch: "border-2 border-dashed border-red-500 bg-red-50",
  },
  { status: "changed", label: "Changed", swatch: "border-2 border-amber-500 bg-amber-50" },
  { status: "unchanged", label: "Unchanged", swatch: "border bg-card opacity-60" },
];

export function ComparisonBanner() {
  const comparison = useDesigner((state) => state.comparison);
  const closeComparison = useDesigner((state) => state.closeComparison);
  const measured = useNodesInitialized();
  const { fitView } = useReactFlow();
  const fitted = useRef<unknown>(null);

  // Each comparison is fitted in view once, after its nodes have been measured
  // (before that React Flow does not know their size); the top padding keeps
  // the nodes clear of this banner.
  // (Selecting a node replaces the comparison object but keeps its status maps.)
  const shown = comparison?.nodeStatus;
  useEffect(() => {
    if (!shown || !measured || fitted.current === shown) return;
    fitted.current = shown;
    void fitView({
      padding: { top: "130px", bottom: "40px", x: "40px" },
      maxZoom: 1.2,
      duration: 200,
    });
  }, [shown, measured, fitView]);

  if (!comparison) return null;
  const nodes = countOf(comparison.nodeStatus);
  const edges = countOf(comparison.edgeStatus);
  const nodeSummary = summary(nodes, "Nodes");
  const edgeSummary = summary(edges, "Connections");

  return (
    <section
      aria-label="Comparison"
      data-testid="comparison-banner"
      className="absolute top-2 right-2 left-2 z-10 mx-auto max-w-2xl rounded-lg border bg-background/95 px-3 py-2 text-sm shadow-md backdrop-blur"
    >
      <div className="flex items-start gap-3">
        <div className="min-w-0 flex-1">
          <h2 className="truncate font-semibold" title={comparison.title}>
            {comparison.title}
          </h2>
          <p className="text-muted-foreground" aria-live="polite">
            {nodeSummary ?? "Nodes: no differences"}
            {edgeSummary && <> · {edgeSummary}</>}
          </p>
        </div>
        <Button
          size="sm"
          variant="outline"
          onClick={closeComparison}
          title="Back to the draft (Escape)"
        >
          <XIcon aria-hidden="true" />
          Close comparison
        </Button>
      </div>
      <ul className="mt-1.5 flex flex-wrap gap-x-3 gap-y-1 text-xs text-muted-foreground">
        {LEGEND.map((entry) => (
          <li key={entry.status} className="flex items-center gap-1">
            <span
              aria-hidden="true"
              className={cn("inline-block size-3 rounded-sm", entry.swatch)}
            />
            {entry.label}
          </li>
        ))}
        <li className="text-muted-foreground/80">Select a node to see what changed.</li>
      </ul>
    </section>
  );
}

function countOf(statuses: ReadonlyMap<string, DiffStatus>): Record<DiffStatus, number> {
  const counts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const status of statuses.values()) counts[status] += 1;
  return counts;
}

/** "Nodes: 3 added, 1 removed, 2 changed", or null when none of them differ. */
function summary(counts: Record<DiffStatus, number>, noun: string): string | null {
  const parts = (["added", "removed", "changed"] as const)
    .filter((status) => counts[status] > 0)
    .map((status) => `${counts[status]} ${status}`);
  return parts.length > 0 ? `${noun}: ${parts.join(", ")}` : null;
}
