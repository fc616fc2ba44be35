import type { Edge, Node } from "@xyflow/react";
import {
  DEFINITION_SCHEMA_VERSION,
  type RetryPolicy,
  type WorkflowDefinition,
  type WorkflowEdge,
} from "@/lib/workflows/definition";

// The designer's document: a workflow definition in the shape React Flow
// draws (nodes with `data`, edges with source/target handles). The canvas
// keeps these objects and changes only the ones touched, so dragging one
// node of five hundred re-renders one node. Everything here is pure; the
// store (components/designer/store.ts) adds history and persistence.

export type NodeData = {
  kind: string;
  name: string;
  config: Record<string, unknown>;
  retry?: RetryPolicy;
  timeoutSeconds?: number;
  protected?: boolean;
};

export type Position = { x: number; y: number };

/** A node as React Flow draws it; `type` picks the designer's node component. */
export type DesignerNode = Node<NodeData, "workflow">;

/** What the side panel needs of a node: not its position, which a drag changes every frame. */
export type SelectedNode = Pick<DesignerNode, "id" | "data">;

export type DesignerEdge = Edge<Record<string, never>, "workflow"> & {
  /** The branch label (`true`, `approved`, a switch case, `compensation`), or PLAIN_HANDLE. */
  sourceHandle: string;
};

export type DesignerDocument = { nodes: DesignerNode[]; edges: DesignerEdge[] };

/** The output handle of a node whose edges carry no label. */
export const PLAIN_HANDLE = "out";

/** Node ids become step ids and template paths (see lib/workflows/definition.ts). */
const NODE_ID = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;
const SPACING = 140;

type Salvage = { document: DesignerDocument; notes: string[] };

/**
 * Reads whatever a draft holds into a drawable document. A draft saved through
 * the API may be malformed; the designer must still open it (and show its
 * problems), so anything usable is kept, and what had to be made up is noted.
 */
export function documentFromDraft(raw: unknown): Salvage {
  const notes: string[] = [];
  const source = isRecord(raw) ? raw : {};
  if (!isRecord(raw)) notes.push("The draft is not a definition object; starting from nothing.");
  const rawNodes = Array.isArray(source.nodes) ? source.nodes : [];
  const rawEdges = Array.isArray(source.edges) ? source.edges : [];
  if (isRecord(raw) && !Array.isArray(source.nodes)) notes.push("The draft has no list of nodes.");

  const nodes: DesignerNode[] = [];
  const ids = new Set<string>();
  rawNodes.forEach((entry, index) => {
    if (!isRecord(entry)) {
      notes.push(`Node ${index + 1} is not an object and was left out.`);
      return;
    }
    let id = typeof entry.id === "string" && entry.id !== "" ? entry.id : `node_${index + 1}`;
    // Two nodes may not share an id on the canvas; the validator reports the
    // duplicate, and the copy is shown under a fresh id so nothing disappears.
    if (ids.has(id)) {
      const fresh = uniqueNodeId(id.replace(/[^A-Za-z0-9_]/g, "_") || "node", ids);
      notes.push(`Node id "${id}" is used twice; the second is shown as "${fresh}".`);
      id = fresh;
    }
    ids.add(id);
    const position = isPosition(entry.position)
      ? { x: entry.position.x, y: entry.position.y }
      : { x: 0, y: index * SPACING };
    nodes.push({
      id,
      type: "workflow",
      position,
      data: {
        kind: typeof entry.kind === "string" ? entry.kind : "",
        name: typeof entry.name === "string" ? entry.name : id,
        config: isRecord(entry.config) ? entry.config : {},
        ...(isRecord(entry.retry) ? { retry: entry.retry as RetryPolicy } : {}),
        ...(typeof entry.timeoutSeconds === "number"
          ? { timeoutSeconds: entry.timeoutSeconds }
          : {}),
        ...(entry.protected === true ? { protected: true } : {}),
      },
    });
  });

  const edges: DesignerEdge[] = [];
  const edgeIds = new Set<string>();
  rawEdges.forEach((entry, index) => {
    if (!isRecord(entry) || typeof entry.from !== "string" || typeof entry.to !== "string") {
      notes.push(`Edge ${index + 1} does not name the nodes it joins and was left out.`);
      return;
    }
    if (!ids.has(entry.from) || !ids.has(entry.to)) {
      notes.push(`Edge ${entry.from} → ${entry.to} joins a node that does not exist.`);
      return;
    }
    const label = typeof entry.label === "string" && entry.label !== "" ? entry.label : undefined;
    let id = typeof entry.id === "string" && entry.id !== "" ? entry.id : "";
    if (!id || edgeIds.has(id)) id = edgeId(entry.from, entry.to, label, edgeIds);
    edgeIds.add(id);
    edges.push({
      id,
      type: "workflow",
      source: entry.from,
      target: entry.to,
      sourceHandle: label ?? PLAIN_HANDLE,
    });
  });
  return { document: { nodes, edges }, notes };
}

/** The document as a definition, for saving and validation (positions rounded to whole pixels). */
export function definitionFromDocument(document: DesignerDocument): WorkflowDefinition {
  return {
    schemaVersion: DEFINITION_SCHEMA_VERSION,
    nodes: document.nodes.map((node) => ({
      id: node.id,
      kind: node.data.kind,
      name: node.data.name,
      config: node.data.config,
      ...(node.data.retry ? { retry: node.data.retry } : {}),
      ...(node.data.timeoutSeconds !== undefined
        ? { timeoutSeconds: node.data.timeoutSeconds }
        : {}),
      ...(node.data.protected ? { protected: true } : {}),
      position: { x: Math.round(node.position.x), y: Math.round(node.position.y) },
    })),
    edges: document.edges.map(edgeToDefinition),
  };
}

export function edgeToDefinition(edge: DesignerEdge): WorkflowEdge {
  return {
    id: edge.id,
    from: edge.source,
    to: edge.target,
    ...(edge.sourceHandle !== PLAIN_HANDLE ? { label: edge.sourceHandle } : {}),
  };
}

/** `email`, then `email_2`, `email_3`…: readable in templates (`nodes.email_2.output`). */
export function uniqueNodeId(base: string, taken: ReadonlySet<string>): string {
  let stem = base.replace(/[^A-Za-z0-9_]/g, "_").slice(0, 40);
  if (!/^[A-Za-z]/.test(stem)) stem = `n_${stem}`.slice(0, 40);
  if (!NODE_ID.test(stem)) stem = "node";
  if (!taken.has(stem)) return stem;
  for (let n = 2; ; n++) {
    const candidate = `${stem}_${n}`;
    if (!taken.has(candidate)) return candidate;
  }
}

export function edgeId(
  from: string,
  to: string,
  label: string | undefined,
  taken: ReadonlySet<string>,
): string {
  const base = `${from}-${to}${label ? `-${label}` : ""}`.slice(0, 120);
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isPosition(value: unknown): value is Position {
  return (
    isRecord(value) &&
    typeof value.x === "number" &&
    Number.isFinite(value.x) &&
    typeof value.y === "number" &&
    Number.isFinite(value.y)
  );
}
