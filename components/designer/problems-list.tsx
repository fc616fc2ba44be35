"use client";

import { useReactFlow } from "@xyflow/react";
import { CircleCheckIcon, TriangleAlertIcon } from "lucide-react";
import { useDesigner, useDesignerStore } from "./store";

// Every problem the validator found, in the order it reports them; pressing
// one selects the node (or edge) at fault and brings it into view.

export function ProblemsList() {
  const problems = useDesigner((state) => state.problems);
  const loadNotes = useDesigner((state) => state.loadNotes);
  const store = useDesignerStore();
  const { getNode, setCenter, getInternalNode } = useReactFlow();

  const focus = (nodeId: string | undefined, edgeId: string | undefined) => {
    const state = store.getState();
    const edge = edgeId
      ? state.history.present.edges.find((entry) => entry.id === edgeId)
      : undefined;
    const target = nodeId ?? edge?.source;
    state.selectOnly(nodeId ?? null, edgeId);
    const node = target ? getNode(target) : undefined;
    if (!node) return;
    const size = getInternalNode(node.id)?.measured ?? { width: 240, height: 72 };
    void setCenter(
      node.position.x + (size.width ?? 240) / 2,
      node.position.y + (size.height ?? 72) / 2,
      {
        zoom: 1,
        duration: 250,
      },
    );
  };

  return (
    <section aria-label="Problems" className="space-y-3 p-4" data-testid="problems-list">
      {loadNotes.length > 0 && (
        <div className="rounded-md border border-warning/50 bg-warning/10 p-2 text-sm">
          <p className="font-medium">The saved draft was not a valid definition:</p>
          <ul className="mt-1 list-disc pl-5">
            {loadNotes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        </div>
      )}
      {problems.length === 0 ? (
        <p className="flex items-center gap-2 text-sm text-success">
          <CircleCheckIcon className="size-4" aria-hidden="true" />
          No problems: this workflow can be published.
        </p>
      ) : (
        <ul className="space-y-1.5">
          {problems.map((problem, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: problems have no identity; the list is replaced whole
            <li key={`${problem.code}-${problem.nodeId ?? problem.edgeId ?? ""}-${index}`}>
              <button
                type="button"
                disabled={!problem.nodeId && !problem.edgeId}
                onClick={() => focus(problem.nodeId, problem.edgeId)}
                className="flex w-full items-start gap-2 rounded-md border p-2 text-left text-sm hover:bg-accent focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring disabled:cursor-default disabled:hover:bg-transparent"
              >
                <TriangleAlertIcon
                  className="mt-0.5 size-4 shrink-0 text-destructive"
                  aria-hidden="true"
                />
                <span>
                  {problem.message}
                  <span className="block font-mono text-xs text-muted-foreground">
                    {problem.code}
                    {problem.field ? ` · ${problem.field}` : ""}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
