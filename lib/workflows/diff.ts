import {
  type DesignerDocument,
  type DesignerEdge,
  type DesignerNode,
  documentFromDraft,
  edgeId,
  edgeToDefinition,
  type NodeData,
  type Position,
} from "@/lib/designer/document";

// What changed between two versions of a workflow, node by node and edge by
// edge, and the union of both drawn as one document for the designer's
// comparison view. Either side may be a stored version (valid) or the draft
// (possibly malformed), so both are read the tolerant way the designer opens
// drafts (documentFromDraft). Pure: no React, no store.

export type DiffStatus = "added" | "removed" | "changed" | "unchanged";

/** The parts of a node a change can be in; `config` and `retry` are diffed key by key. */
export type NodeField = "name" | "kind" | "config" | "retry" | "timeoutSeconds" | "protected";

/**
 * One difference in one node: `path` is where inside the field (`subject`,
 * `target.channel`, `cases.1.label` in config; `maxAttempts` in retry), empty
 * for a field compared whole. A side that lacks the value holds `undefined`.
 */
export type FieldChange = { field: NodeField; path: string; before: unknown; after: unknown };

export type NodeDiff = {
  id: string;
  status: DiffStatus;
  /** The node as it is in `after`, or in `before` when it was removed. */
  name: string;
  kind: string;
  changes: FieldChange[];
  /** Its position differs (a move alone leaves the node unchanged). */
  moved: boolean;
};

export type EdgeDiff = {
  from: string;
  to: string;
  label?: string;
  status: Exclude<DiffStatus, "changed">;
};

export type DiffCounts = Record<DiffStatus, number>;

export type DefinitionDiff = {
  /** Nodes of `after` in its order, then the removed ones in `before`'s order. */
  nodes: NodeDiff[];
  edges: EdgeDiff[];
  nodeCounts: DiffCounts;
  edgeCounts: DiffCounts;
};

/** The shape the designer's store shows as a comparison (components/designer/store.ts), less its title. */
export type ComparisonView = {
  document: DesignerDocument;
  nodeStatus: ReadonlyMap<string, DiffStatus>;
  edgeStatus: ReadonlyMap<string, DiffStatus>;
  diff: DefinitionDiff;
};

const NODE_FIELDS = ["name", "kind", "config", "retry", "timeoutSeconds", "protected"] as const;

/** How two definitions differ. */
export function diffDefinitions(before: unknown, after: unknown): DefinitionDiff {
  return compare(documentFromDraft(before).document, documentFromDraft(after).document).diff;
}

/**
 * Both versions on one canvas: every node of `after` where `after` has it,
 * the removed ones where `before` had them (moved aside if a node now stands
 * there), and the edges of both; each marked with how it differs. The nodes
 * carry `after`'s settings (`before`'s when removed).
 */
export function comparisonDocument(before: unknown, after: unknown): ComparisonView {
  const { diff, beforeDoc, afterDoc, edgePairs } = compare(
    documentFromDraft(before).document,
    documentFromDraft(after).document,
  );
  const afterIds = new Set(afterDoc.nodes.map((node) => node.id));
  const nodes: DesignerNode[] = afterDoc.nodes.map((node) => ({ ...node, selected: false }));
  for (const node of beforeDoc.nodes)
    if (!afterIds.has(node.id))
      nodes.push({ ...node, position: clearSpot(node.position, nodes), selected: false });
  const nodeStatus = new Map(diff.nodes.map((node) => [node.id, node.status]));

  // Removed edges keep their id unless `after` reuses it for another connection.
  const edges: DesignerEdge[] = [];
  const edgeStatus = new Map<string, DiffStatus>();
  const taken = new Set(afterDoc.edges.map((edge) => edge.id));
  for (const { edge, status } of edgePairs) {
    let id = edge.id;
    if (status === "removed" && taken.has(id)) {
      const { from, to, label } = edgeToDefinition(edge);
      id = edgeId(from, to, label, taken);
    }
    taken.add(id);
    edges.push({ ...edge, id, selected: false });
    edgeStatus.set(id, status);
  }
  return { document: { nodes, edges }, nodeStatus, edgeStatus, diff };
}

// About the size of a node on the canvas (components/designer/workflow-node.tsx), with a gap.
const NODE_BOX = { width: 260, height: 100 };

/**
 * Where a removed node can be drawn: where it was, unless a node of the other
 * version is there now (a replaced step often takes its place), then to the right.
 */
function clearSpot(position: Position, placed: readonly DesignerNode[]): Position {
  let spot = position;
  const overlaps = (node: DesignerNode) =>
    Math.abs(node.position.x - spot.x) < NODE_BOX.width &&
    Math.abs(node.position.y - spot.y) < NODE_BOX.height;
  while (placed.some(overlaps)) spot = { x: spot.x + NODE_BOX.width + 20, y: spot.y };
  return spot;
}

/** The differences of one node's settings (both sides present). */
export function nodeChanges(before: NodeData, after: NodeData): FieldChange[] {
  const changes: FieldChange[] = [];
  for (const field of NODE_FIELDS) {
    const was = before[field];
    const is = after[field];
    // `config` is always an object and is diffed by key; `retry` only when both sides set one.
    if (field === "config" || (field === "retry" && was !== undefined && is !== undefined))
      collect(field, "", was, is, changes);
    else if (!deepEqual(was, is)) changes.push({ field, path: "", before: was, after: is });
  }
  return changes;
}

/** How a change is named in the UI: config paths bare, other fields by name (`retry.maxAttempts`). */
export function changeLabel(change: FieldChange): string {
  if (change.field === "config") return change.path || "config";
  return change.path ? `${change.field}.${change.path}` : change.field;
}

function compare(beforeDoc: DesignerDocument, afterDoc: DesignerDocument) {
  const beforeById = new Map(beforeDoc.nodes.map((node) => [node.id, node]));
  const afterIds = new Set(afterDoc.nodes.map((node) => node.id));
  const nodes: NodeDiff[] = [];
  for (const node of afterDoc.nodes) {
    const old = beforeById.get(node.id);
    if (!old) {
      nodes.push(nodeDiff(node, "added", [], false));
      continue;
    }
    const changes = nodeChanges(old.data, node.data);
    const moved =
      Math.round(old.position.x) !== Math.round(node.position.x) ||
      Math.round(old.position.y) !== Math.round(node.position.y);
    nodes.push(nodeDiff(node, changes.length > 0 ? "changed" : "unchanged", changes, moved));
  }
  for (const node of beforeDoc.nodes)
    if (!afterIds.has(node.id)) nodes.push(nodeDiff(node, "removed", [], false));

  // Edge ids are incidental (a redrawn edge gets a new one), so edges match by
  // what they join and on which branch; a connection drawn twice matches twice.
  const unmatched = new Map<string, DesignerEdge[]>();
  for (const edge of beforeDoc.edges) {
    const key = edgeKey(edge);
    unmatched.set(key, [...(unmatched.get(key) ?? []), edge]);
  }
  const edgePairs: { edge: DesignerEdge; status: EdgeDiff["status"] }[] = [];
  for (const edge of afterDoc.edges) {
    const olds = unmatched.get(edgeKey(edge));
    edgePairs.push({ edge, status: olds?.shift() ? "unchanged" : "added" });
  }
  for (const edge of beforeDoc.edges)
    if (unmatched.get(edgeKey(edge))?.includes(edge)) edgePairs.push({ edge, status: "removed" });

  const edges = edgePairs.map(({ edge, status }) => ({ ...edgeToDefinition(edge), status }));
  const diff: DefinitionDiff = {
    nodes,
    edges: edges.map(({ id: _id, ...edge }) => edge),
    nodeCounts: countStatuses(nodes),
    edgeCounts: countStatuses(edges),
  };
  return { diff, beforeDoc, afterDoc, edgePairs };
}

function nodeDiff(
  node: DesignerNode,
  status: DiffStatus,
  changes: FieldChange[],
  moved: boolean,
): NodeDiff {
  return { id: node.id, status, name: node.data.name, kind: node.data.kind, changes, moved };
}

function edgeKey(edge: DesignerEdge): string {
  return JSON.stringify([edge.source, edge.target, edge.sourceHandle]);
}

function countStatuses(items: readonly { status: DiffStatus }[]): DiffCounts {
  const counts: DiffCounts = { added: 0, removed: 0, changed: 0, unchanged: 0 };
  for (const item of items) counts[item.status] += 1;
  return counts;
}

/** Walks both values in step: objects by key, arrays by index, anything else compared whole. */
function collect(
  field: NodeField,
  path: string,
  before: unknown,
  after: unknown,
  out: FieldChange[],
): void {
  if (deepEqual(before, after)) return;
  const join = (key: string | number) => (path ? `${path}.${key}` : String(key));
  if (isRecord(before) && isRecord(after)) {
    const keys = [...Object.keys(after), ...Object.keys(before).filter((key) => !(key in after))];
    for (const key of keys) collect(field, join(key), before[key], after[key], out);
    return;
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let index = 0; index < Math.max(before.length, after.length); index++)
      collect(field, join(index), before[index], after[index], out);
    return;
  }
  out.push({ field, path, before, after });
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isRecord(a) && isRecord(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => deepEqual(a[key], b[key]));
  }
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
