import dagre from "@dagrejs/dagre";
import type { DesignerDocument, Position } from "./document";

// Auto-layout: the graph in layers from the trigger downwards (dagre's
// layered layout), each branch of a condition side by side. Sizes are the
// nodes' measured sizes where the canvas has drawn them.

export const DEFAULT_NODE_SIZE = { width: 240, height: 72 };

export function autoLayout(document: DesignerDocument): DesignerDocument {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  graph.setGraph({ rankdir: "TB", nodesep: 48, ranksep: 72, marginx: 24, marginy: 24 });
  graph.setDefaultEdgeLabel(() => ({}));
  for (const node of document.nodes)
    graph.setNode(node.id, {
      width: node.measured?.width ?? DEFAULT_NODE_SIZE.width,
      height: node.measured?.height ?? DEFAULT_NODE_SIZE.height,
    });
  for (const edge of document.edges) graph.setEdge(edge.source, edge.target, {}, edge.id);
  dagre.layout(graph);
  return {
    ...document,
    nodes: document.nodes.map((node) => {
      const placed = graph.node(node.id) as { x: number; y: number; width: number; height: number };
      // dagre places centres; React Flow positions are top-left corners.
      const position: Position = {
        x: Math.round(placed.x - placed.width / 2),
        y: Math.round(placed.y - placed.height / 2),
      };
      return position.x === node.position.x && position.y === node.position.y
        ? node
        : { ...node, position };
    }),
  };
}
