"use client";

import { BaseEdge, EdgeLabelRenderer, type EdgeProps, getSmoothStepPath } from "@xyflow/react";
import { memo } from "react";
import { cn } from "@/lib/cn";
import { type DesignerEdge, PLAIN_HANDLE } from "@/lib/designer/document";
import { COMPENSATION_LABEL } from "@/lib/workflows/definition";
import { useDesigner } from "./store";

// An edge: a smooth-step line with its branch label, red when the validator
// found a problem with it, dashed amber for a compensation branch.

export const WorkflowEdgeView = memo(function WorkflowEdgeView(props: EdgeProps<DesignerEdge>) {
  const { id, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, selected } =
    props;
  const label =
    props.sourceHandleId && props.sourceHandleId !== PLAIN_HANDLE ? props.sourceHandleId : null;
  const diff = useDesigner((state) => state.comparison?.edgeStatus.get(id));
  const problems = useDesigner((state) =>
    state.comparison ? undefined : state.problemsByEdge.get(id),
  );
  const [path, labelX, labelY] = getSmoothStepPath({
    sourceX,
    sourceY,
    targetX,
    targetY,
    sourcePosition,
    targetPosition,
    borderRadius: 8,
  });
  const compensation = label === COMPENSATION_LABEL;
  return (
    <>
      <BaseEdge
        id={id}
        path={path}
        interactionWidth={16}
        className={cn(
          "!stroke-[1.5]",
          diff === "added"
            ? "!stroke-emerald-500"
            : diff === "removed"
              ? "!stroke-red-500"
              : problems
                ? "!stroke-destructive"
                : compensation
                  ? "!stroke-amber-500"
                  : "!stroke-muted-foreground",
          selected && "!stroke-[3]",
        )}
        style={compensation || diff === "removed" ? { strokeDasharray: "6 4" } : undefined}
      />
      {/* Branch names are on the node's handles; only a compensation branch or a problem gets a tag. */}
      {(compensation || problems) && (
        <EdgeLabelRenderer>
          <div
            data-testid={`edge-label-${id}`}
            className={cn(
              "nodrag nopan pointer-events-auto absolute rounded border bg-background px-1.5 py-0.5 text-[10px] font-medium",
              problems && "border-destructive text-destructive",
            )}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            title={problems?.map((problem) => problem.message).join("\n")}
          >
            {label ?? "!"}
          </div>
        </EdgeLabelRenderer>
      )}
    </>
  );
});
