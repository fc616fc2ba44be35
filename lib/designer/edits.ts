import {
  type DesignerDocument,
  type DesignerEdge,
  type DesignerNode,
  edgeId,
  type NodeData,
  PLAIN_HANDLE,
  type Position,
  uniqueNodeId,
} from "./document";

// The designer's edits as pure functions from one document to the next. Each
// returns a new document and leaves untouched nodes and edges as the same
// objects (React Flow re-renders only what changed).

export type Connection = { source: string; sourceHandle: string | null; target: string };
export type Refusal = { refused: string };

const TRIGGER_KIND = "trigger";

export function addNode(
  document: DesignerDocument,
  kind: { kind: string; label: string; defaultConfig: unknown },
  position: Position,
): { document: DesignerDocument; id: string } {
  const id = uniqueNodeId(kind.kind, new Set(document.nodes.map((node) => node.id)));
  const node: DesignerNode = {
    id,
    type: "workflow",
    position,
    data: {
      kind: kind.kind,
      name: kind.label,
      config: structuredClone(kind.defaultConfig ?? {}) as Record<string, unknown>,
    },
  };
  return {
    document: { ...document, nodes: [...deselected(document.nodes), { ...node, selected: true }] },
    id,
  };
}

/** Removes nodes (with their edges) and edges. */
export function removeElements(
  document: DesignerDocument,
  nodeIds: ReadonlySet<string>,
  edgeIds: ReadonlySet<string> = new Set(),
): DesignerDocument {
  if (nodeIds.size === 0 && edgeIds.size === 0) return document;
  return {
    nodes: document.nodes.filter((node) => !nodeIds.has(node.id)),
    edges: document.edges.filter(
      (edge) => !edgeIds.has(edge.id) && !nodeIds.has(edge.source) && !nodeIds.has(edge.target),
    ),
  };
}

/**
 * Joins two nodes, or says why not: the canvas refuses what the validator
 * would reject anyway (loops, a second identical edge, an edge into the
 * trigger), so an invalid graph is hard to draw in the first place.
 */
export function connect(
  document: DesignerDocument,
  connection: Connection,
): { document: DesignerDocument; id: string } | Refusal {
  const { source, target } = connection;
  const sourceHandle = connection.sourceHandle ?? PLAIN_HANDLE;
  const byId = new Map(document.nodes.map((node) => [node.id, node]));
  const from = byId.get(source);
  const to = byId.get(target);
  if (!from || !to) return { refused: "Both ends of a connection must be nodes." };
  if (source === target) return { refused: "A node cannot connect to itself." };
  if (to.data.kind === TRIGGER_KIND)
    return { refused: "Nothing can lead into the trigger; it starts the workflow." };
  if (
    document.edges.some(
      (edge) =>
        edge.source === source && edge.target === target && edge.sourceHandle === sourceHandle,
    )
  )
    return { refused: `${from.data.name} is already connected to ${to.data.name} this way.` };
  if (reaches(document.edges, target, source))
    return {
      refused: `Connecting ${from.data.name} to ${to.data.name} would make a loop; workflows run forwards only (use a Loop node to repeat).`,
    };
  const id = edgeId(
    source,
    target,
    sourceHandle === PLAIN_HANDLE ? undefined : sourceHandle,
    new Set(document.edges.map((edge) => edge.id)),
  );
  const edge: DesignerEdge = { id, type: "workflow", source, target, sourceHandle };
  return { document: { ...document, edges: [...document.edges, edge] }, id };
}

/** Whether `to` can be reached from `from` along the edges. */
function reaches(edges: readonly DesignerEdge[], from: string, to: string): boolean {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const list = next.get(edge.source);
    if (list) list.push(edge.target);
    else next.set(edge.source, [edge.target]);
  }
  const seen = new Set<string>([from]);
  const stack = [from];
  while (stack.length > 0) {
    const current = stack.pop() as string;
    if (current === to) return true;
    for (const child of next.get(current) ?? [])
      if (!seen.has(child)) {
        seen.add(child);
        stack.push(child);
      }
  }
  return false;
}

export function updateNodeData(
  document: DesignerDocument,
  id: string,
  patch: Partial<NodeData>,
): DesignerDocument {
  return {
    ...document,
    nodes: document.nodes.map((node) => {
      if (node.id !== id) return node;
      const data: NodeData = { ...node.data, ...patch };
      // `undefined` in a patch means "back to the default", not a stored key.
      for (const key of Object.keys(patch) as (keyof NodeData)[])
        if (patch[key] === undefined) delete data[key];
      return { ...node, data };
    }),
  };
}

export type Clip = { nodes: DesignerNode[]; edges: DesignerEdge[] };

/** The selected nodes and the edges between them (edges to unselected nodes stay behind). */
export function copySelection(document: DesignerDocument, ids: ReadonlySet<string>): Clip | null {
  const nodes = document.nodes.filter(
    (node) => ids.has(node.id) && node.data.kind !== TRIGGER_KIND,
  );
  if (nodes.length === 0) return null;
  const kept = new Set(nodes.map((node) => node.id));
  return {
    nodes: structuredClone(nodes.map(({ selected: _s, dragging: _d, ...node }) => node)),
    edges: document.edges
      .filter((edge) => kept.has(edge.source) && kept.has(edge.target))
      .map(({ selected: _s, ...edge }) => ({ ...edge })),
  };
}

/**
 * Pastes a clip under fresh ids, offset so it does not hide the original, and
 * selected. References between pasted nodes (`nodes.<old>.output` in their
 * templates) are pointed at the copies, so a pasted pair still works together.
 */
export function paste(
  document: DesignerDocument,
  clip: Clip,
  offset: Position,
): { document: DesignerDocument; ids: string[] } {
  const taken = new Set(document.nodes.map((node) => node.id));
  const renamed = new Map<string, string>();
  for (const node of clip.nodes) {
    const id = uniqueNodeId(node.id.replace(/_\d+$/, ""), taken);
    taken.add(id);
    renamed.set(node.id, id);
  }
  const nodes = clip.nodes.map(
    (node): DesignerNode => ({
      ...structuredClone(node),
      id: renamed.get(node.id) as string,
      position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
      selected: true,
      data: {
        ...structuredClone(node.data),
        config: renameReferences(structuredClone(node.data.config), renamed) as Record<
          string,
          unknown
        >,
      },
    }),
  );
  const edgeIds = new Set(document.edges.map((edge) => edge.id));
  const edges = clip.edges.map((edge): DesignerEdge => {
    const source = renamed.get(edge.source) as string;
    const target = renamed.get(edge.target) as string;
    const id = edgeId(
      source,
      target,
      edge.sourceHandle === PLAIN_HANDLE ? undefined : edge.sourceHandle,
      edgeIds,
    );
    edgeIds.add(id);
    return { id, type: "workflow", source, target, sourceHandle: edge.sourceHandle };
  });
  return {
    document: {
      nodes: [...deselected(document.nodes), ...nodes],
      edges: [
        ...document.edges.map((edge) => (edge.selected ? { ...edge, selected: false } : edge)),
        ...edges,
      ],
    },
    ids: nodes.map((node) => node.id),
  };
}

function renameReferences(value: unknown, renamed: ReadonlyMap<string, string>): unknown {
  if (typeof value === "string")
    return value.replace(/\bnodes\.([A-Za-z][A-Za-z0-9_]*)\b/g, (match, id: string) =>
      renamed.has(id) ? `nodes.${renamed.get(id)}` : match,
    );
  if (Array.isArray(value)) return value.map((item) => renameReferences(item, renamed));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, renameReferences(child, renamed)]),
    );
  return value;
}

function deselected(nodes: DesignerNode[]): DesignerNode[] {
  return nodes.map((node) => (node.selected ? { ...node, selected: false } : node));
}
