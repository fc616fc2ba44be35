"use client";

import {
  Background,
  BackgroundVariant,
  ControlButton,
  Controls,
  type EdgeTypes,
  getViewportForBounds,
  MiniMap,
  type NodeTypes,
  ReactFlow,
  useReactFlow,
  type Viewport,
} from "@xyflow/react";
import { MapIcon } from "lucide-react";
import { type DragEvent, useCallback, useRef, useState } from "react";
import type { DesignerEdge, DesignerNode } from "@/lib/designer/document";
import { DEFAULT_NODE_SIZE } from "@/lib/designer/layout";
import { nodeKind } from "@/lib/nodes";
import { KIND_DRAG_TYPE } from "./palette";
import { useDesigner } from "./store";
import { WorkflowEdgeView } from "./workflow-edge";
import { WorkflowNodeView } from "./workflow-node";

// The canvas: React Flow drawing the store's document. Nodes dropped from the
// palette land where they are dropped. Deleting, copying and undoing are
// handled by the designer's shortcuts (use-shortcuts.ts), so every edit
// passes through the store's history.

const nodeTypes: NodeTypes = { workflow: WorkflowNodeView };
const edgeTypes: EdgeTypes = { workflow: WorkflowEdgeView };

/** Below this zoom node text is unreadable; a workflow that only fits smaller opens at its trigger. */
const READABLE_ZOOM = 0.5;
const MINIMAP_UP_TO_NODES = 150;
const OPENING_ZOOM = 0.8;

/**
 * The whole workflow when it fits readably; otherwise its start (the trigger
 * at the top centre), as a reader would begin. Fit view (the toolbar) still
 * shows everything.
 */
export function openingViewport(nodes: DesignerNode[], width: number, height: number): Viewport {
  const start = nodes.find((node) => node.data.kind === "trigger") ?? nodes[0];
  if (!start) return { x: 0, y: 0, zoom: 1 };
  // Nodes are not measured yet when the canvas opens: a node is about 240 × 72.
  const xs = nodes.map((node) => node.position.x);
  const ys = nodes.map((node) => node.position.y);
  const left = Math.min(...xs);
  const top = Math.min(...ys);
  const bounds = {
    x: left,
    y: top,
    width: Math.max(...xs) - left + DEFAULT_NODE_SIZE.width,
    height: Math.max(...ys) - top + DEFAULT_NODE_SIZE.height,
  };
  const whole = getViewportForBounds(bounds, width, height, 0.1, 1.2, 0.2);
  if (whole.zoom >= READABLE_ZOOM) return whole;
  return {
    zoom: OPENING_ZOOM,
    x: width / 2 - (start.position.x + DEFAULT_NODE_SIZE.width / 2) * OPENING_ZOOM,
    y: 48 - start.position.y * OPENING_ZOOM,
  };
}

export function Canvas({ onNodeClick }: { onNodeClick?: () => void }) {
  const nodes = useDesigner(
    (state) => state.comparison?.document.nodes ?? state.history.present.nodes,
  );
  const edges = useDesigner(
    (state) => state.comparison?.document.edges ?? state.history.present.edges,
  );
  const readOnly = useDesigner((state) => state.readOnly);
  const onNodesChange = useDesigner((state) => state.onNodesChange);
  const onEdgesChange = useDesigner((state) => state.onEdgesChange);
  const connect = useDesigner((state) => state.connect);
  const addNode = useDesigner((state) => state.addNode);
  const { screenToFlowPosition } = useReactFlow();
  const container = useRef<HTMLDivElement>(null);
  // The overview map redraws every node on every pan; on a big graph it starts hidden.
  const [minimap, setMinimap] = useState(() => nodes.length <= MINIMAP_UP_TO_NODES);

  const onDragOver = useCallback((event: DragEvent) => {
    if (!event.dataTransfer.types.includes(KIND_DRAG_TYPE)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, []);

  const onDrop = useCallback(
    (event: DragEvent) => {
      const kind = nodeKind(event.dataTransfer.getData(KIND_DRAG_TYPE));
      if (!kind) return;
      event.preventDefault();
      const point = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      // Centred under the pointer (a node is about 240 × 72).
      addNode(kind, { x: Math.round(point.x - 120), y: Math.round(point.y - 30) });
    },
    [addNode, screenToFlowPosition],
  );

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a drop target for dragging with a mouse; keyboard users add nodes with the palette's buttons
    <div
      ref={container}
      className="h-full w-full"
      onDragOver={onDragOver}
      onDrop={onDrop}
      data-testid="designer-canvas"
    >
      <ReactFlow<DesignerNode, DesignerEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={(connection) => connect(connection)}
        onNodeClick={onNodeClick}
        nodesDraggable={!readOnly}
        nodesConnectable={!readOnly}
        deleteKeyCode={null}
        selectionKeyCode="Shift"
        multiSelectionKeyCode={["Meta", "Control"]}
        onInit={(flow) => {
          const box = container.current?.getBoundingClientRect();
          if (box) void flow.setViewport(openingViewport(flow.getNodes(), box.width, box.height));
        }}
        minZoom={0.1}
        maxZoom={2}
        onlyRenderVisibleElements={nodes.length > 150}
        proOptions={{ hideAttribution: true }}
        ariaLabelConfig={{
          "node.a11yDescription.default":
            "Press Enter or Space to select this node, arrow keys to move it, Delete to remove it.",
        }}
      >
        <Background variant={BackgroundVariant.Dots} gap={16} size={1} />
        <Controls showInteractive={false} position="bottom-left">
          <ControlButton
            onClick={() => setMinimap(!minimap)}
            aria-label={minimap ? "Hide the overview map" : "Show the overview map"}
            title={minimap ? "Hide the overview map" : "Show the overview map"}
            aria-pressed={minimap}
          >
            <MapIcon />
          </ControlButton>
        </Controls>
        {minimap && (
          <MiniMap
            pannable
            zoomable
            position="bottom-right"
            ariaLabel="Overview of the workflow"
            style={{ width: 160, height: 110 }}
          />
        )}
      </ReactFlow>
    </div>
  );
}
