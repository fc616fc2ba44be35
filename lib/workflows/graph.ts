import { COMPENSATION_LABEL, type WorkflowEdge, type WorkflowNode } from "./definition";

// Pure graph helpers over a workflow definition, shared by the validator, the
// variable scope (lib/workflows/variables.ts) and the designer. They tolerate
// broken definitions (the designer asks while the user is still drawing):
// a repeated node id keeps its first node, and edges to unknown nodes,
// self-loops and repeated edges are left out of the graph.

type GraphSource = {
  nodes: readonly Pick<WorkflowNode, "id">[];
  edges: readonly Pick<WorkflowEdge, "from" | "to" | "label">[];
};

export type GraphEdge = { from: string; to: string; label?: string };

export type Graph = {
  /** Node ids in definition order. */
  readonly nodeIds: readonly string[];
  readonly successors: ReadonlyMap<string, readonly string[]>;
  readonly predecessors: ReadonlyMap<string, readonly string[]>;
  /** Edges into each node, one per distinct (from, label). */
  readonly incoming: ReadonlyMap<string, readonly GraphEdge[]>;
};

export function isCompensationEdge(edge: { label?: string }): boolean {
  return edge.label === COMPENSATION_LABEL;
}

/**
 * The graph of a definition: all edges, or only the "normal" ones (the flow a
 * run follows when nothing fails; compensation edges left out).
 */
export function buildGraph(
  definition: GraphSource,
  options: { edges?: "all" | "normal" } = {},
): Graph {
  const nodeIds: string[] = [];
  const successors = new Map<string, string[]>();
  const predecessors = new Map<string, string[]>();
  const incoming = new Map<string, GraphEdge[]>();
  for (const node of definition.nodes) {
    if (successors.has(node.id)) continue;
    nodeIds.push(node.id);
    successors.set(node.id, []);
    predecessors.set(node.id, []);
    incoming.set(node.id, []);
  }
  for (const edge of definition.edges) {
    if (options.edges === "normal" && isCompensationEdge(edge)) continue;
    const out = successors.get(edge.from);
    const into = incoming.get(edge.to);
    if (!out || !into || edge.from === edge.to) continue;
    if (!into.some((entry) => entry.from === edge.from && entry.label === edge.label))
      into.push({
        from: edge.from,
        to: edge.to,
        ...(edge.label === undefined ? {} : { label: edge.label }),
      });
    if (out.includes(edge.to)) continue;
    out.push(edge.to);
    predecessors.get(edge.to)?.push(edge.from);
  }
  return { nodeIds, successors, predecessors, incoming };
}

/** A graph with one extra root node with unlabelled edges to `entries` (for a branch's own dominators). */
export function withVirtualRoot(graph: Graph, root: string, entries: readonly string[]): Graph {
  const successors = new Map(graph.successors);
  const predecessors = new Map(graph.predecessors);
  const incoming = new Map(graph.incoming);
  const targets = entries.filter((entry) => graph.successors.has(entry));
  successors.set(root, targets);
  predecessors.set(root, []);
  incoming.set(root, []);
  for (const target of targets) {
    predecessors.set(target, [...(predecessors.get(target) ?? []), root]);
    incoming.set(target, [...(incoming.get(target) ?? []), { from: root, to: target }]);
  }
  return { nodeIds: [root, ...graph.nodeIds], successors, predecessors, incoming };
}

export type TopologicalOrder = { ok: true; order: string[] } | { ok: false; cycle: string[] };

/**
 * Nodes so that every edge points forward, or one cycle (its nodes in edge
 * order, the first node not repeated). Deterministic: follows definition order.
 */
export function topologicalOrder(graph: Graph): TopologicalOrder {
  const state = new Map<string, "visiting" | "done">();
  const postorder: string[] = [];
  const stack: string[] = [];
  let cycle: string[] | undefined;

  const visit = (id: string): void => {
    state.set(id, "visiting");
    stack.push(id);
    for (const next of graph.successors.get(id) ?? []) {
      if (cycle) return;
      const seen = state.get(next);
      if (seen === "visiting") {
        cycle = stack.slice(stack.indexOf(next));
        return;
      }
      if (seen === undefined) visit(next);
    }
    stack.pop();
    state.set(id, "done");
    postorder.push(id);
  };

  for (const id of graph.nodeIds) {
    if (cycle) break;
    if (!state.has(id)) visit(id);
  }
  if (cycle) return { ok: false, cycle };
  return { ok: true, order: postorder.reverse() };
}

/** The nodes reachable from `starts` (the starts included). */
export function reachableFrom(graph: Graph, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const pending = [...starts].filter((id) => graph.successors.has(id));
  while (pending.length > 0) {
    const id = pending.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const next of graph.successors.get(id) ?? []) if (!seen.has(next)) pending.push(next);
  }
  return seen;
}

/** Reverse postorder of the nodes reachable from `root`: each node after its predecessors in a DAG. */
function reversePostorder(graph: Graph, root: string): string[] {
  const seen = new Set<string>();
  const postorder: string[] = [];
  const visit = (id: string): void => {
    seen.add(id);
    for (const next of graph.successors.get(id) ?? []) if (!seen.has(next)) visit(next);
    postorder.push(id);
  };
  if (graph.successors.has(root)) visit(root);
  return postorder.reverse();
}

/**
 * For every node reachable from `root`, the nodes that dominate it: those on
 * every path from `root` to it, itself included. A node's set is its own id
 * plus the intersection of its predecessors' sets; on a DAG visited in
 * topological order one pass settles it, and iterating to a fixed point keeps
 * the answer right when the graph (still being drawn) has a cycle.
 */
export function dominators(graph: Graph, root: string): Map<string, Set<string>> {
  const order = reversePostorder(graph, root);
  const result = new Map<string, Set<string>>();
  if (order.length === 0) return result;
  result.set(root, new Set([root]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const id of order) {
      if (id === root) continue;
      let meet: Set<string> | undefined;
      for (const predecessor of graph.predecessors.get(id) ?? []) {
        const theirs = result.get(predecessor);
        if (!theirs) continue;
        meet = meet ? new Set([...meet].filter((entry) => theirs.has(entry))) : new Set(theirs);
      }
      const next = new Set(meet ?? []);
      next.add(id);
      const previous = result.get(id);
      if (
        !previous ||
        previous.size !== next.size ||
        [...next].some((entry) => !previous.has(entry))
      ) {
        result.set(id, next);
        changed = true;
      }
    }
  }
  return result;
}

// When a node runs, as a formula over branch outcomes: a set of alternatives
// (terms), each a set of literals "<node>=<label>" that all hold; [""] is
// "always" (one term without literals).
type RunCondition = readonly string[];

const MAX_TERMS = 32;
const LITERAL_SEPARATOR = "&";

function literalsOf(term: string): string[] {
  return term === "" ? [] : term.split(LITERAL_SEPARATOR);
}

function termOf(literals: Iterable<string>): string {
  return [...new Set(literals)].sort().join(LITERAL_SEPARATOR);
}

function implies(stronger: string, weaker: string): boolean {
  const have = new Set(literalsOf(stronger));
  return literalsOf(weaker).every((literal) => have.has(literal));
}

/** Whenever `a` holds, `b` holds (checked term by term, so it may miss some true implications). */
function conditionImplies(a: RunCondition, b: RunCondition): boolean {
  return a.every((term) => b.some((other) => implies(term, other)));
}

/**
 * Drops terms another term already covers, and merges terms that differ only
 * in one node's outcome when they cover all its outcomes ("C=true" or
 * "C=false" is whenever C runs).
 */
function simplify(
  terms: Iterable<string>,
  outcomesOf: (nodeId: string) => readonly string[] | undefined,
): RunCondition {
  let current = [...new Set(terms)];
  for (let changed = true; changed; ) {
    changed = false;
    current = current.filter(
      (term, index) =>
        !current.some(
          (other, otherIndex) => otherIndex !== index && other !== term && implies(term, other),
        ),
    );
    const groups = new Map<string, Set<string>>();
    for (const term of current) {
      for (const literal of literalsOf(term)) {
        const split = literal.indexOf("=");
        if (split < 0) continue;
        const rest = termOf(literalsOf(term).filter((other) => other !== literal));
        const key = `${literal.slice(0, split)}\u0000${rest}`;
        const labels = groups.get(key) ?? new Set<string>();
        labels.add(literal.slice(split + 1));
        groups.set(key, labels);
      }
    }
    for (const [key, labels] of groups) {
      const [nodeId, rest] = key.split("\u0000") as [string, string];
      const outcomes = outcomesOf(nodeId);
      if (!outcomes || outcomes.length === 0 || !outcomes.every((label) => labels.has(label)))
        continue;
      current.push(rest);
      changed = true;
    }
    current = [...new Set(current)];
  }
  return current.sort();
}

/**
 * For every node reachable from `root`, the nodes that have certainly completed
 * when it runs, itself included: its dominators, and also the nodes of
 * parallel branches that always run together with a branch leading to it
 * (a join after a plain fork may read both branches; a merge after a
 * condition may read neither side). A node runs when any of its incoming edges
 * is taken; an edge is taken when its source ran and, for a labelled edge,
 * chose that label. Each node's run condition is tracked as a formula over
 * those choices; when a node runs, some edge into it was taken, and with it
 * every edge whose condition that one implies, so what the sources of those
 * edges guarantee is guaranteed here. `outcomesOf` lists a branching node's
 * labels (to see that "true or false" is "always"). Conservative where unsure;
 * on a graph with a cycle it falls back to plain dominators.
 */
export function guaranteedBefore(
  graph: Graph,
  root: string,
  outcomesOf: (nodeId: string) => readonly string[] | undefined = () => undefined,
): Map<string, Set<string>> {
  if (!topologicalOrder(graph).ok) return dominators(graph, root);
  const order = reversePostorder(graph, root);
  const conditions = new Map<string, RunCondition>();
  const guaranteed = new Map<string, Set<string>>();
  if (order.length === 0) return guaranteed;
  conditions.set(root, [""]);
  guaranteed.set(root, new Set([root]));
  for (const id of order) {
    if (id === root) continue;
    const edges = (graph.incoming.get(id) ?? []).flatMap((edge) => {
      const from = conditions.get(edge.from);
      if (!from) return [];
      const literal = edge.label === undefined ? undefined : `${edge.from}=${edge.label}`;
      const condition = literal
        ? simplify(
            from.map((term) => termOf([...literalsOf(term), literal])),
            outcomesOf,
          )
        : from;
      return [{ from: edge.from, condition }];
    });
    const alternatives = edges.flatMap((edge) => edge.condition);
    let own = alternatives.length > MAX_TERMS * 4 ? [] : simplify(alternatives, outcomesOf);
    // Too many alternatives to track: stand for "whenever this node runs".
    if (own.length === 0 || own.length > MAX_TERMS) own = [`~${id}`];
    conditions.set(id, own);

    let meet: Set<string> | undefined;
    for (const taken of edges) {
      const sure = new Set<string>();
      for (const edge of edges) {
        if (!conditionImplies(taken.condition, edge.condition)) continue;
        for (const entry of guaranteed.get(edge.from) ?? []) sure.add(entry);
      }
      meet = meet ? new Set([...meet].filter((entry) => sure.has(entry))) : sure;
    }
    const result = meet ?? new Set<string>();
    result.add(id);
    guaranteed.set(id, result);
  }
  return guaranteed;
}

export type CompensationBranch = {
  /** The protected node whose failure runs this branch. */
  protectedNodeId: string;
  /** Targets of its compensation edges. */
  entries: string[];
  /** Every node the branch can run (entries and what follows them on normal edges). */
  nodes: Set<string>;
};

/** The compensation branch of every node with compensation edges, in definition order. */
export function compensationBranches(definition: GraphSource): CompensationBranch[] {
  const normal = buildGraph(definition, { edges: "normal" });
  const entriesByNode = new Map<string, string[]>();
  for (const edge of definition.edges) {
    if (!isCompensationEdge(edge) || !normal.successors.has(edge.from)) continue;
    if (!normal.successors.has(edge.to) || edge.from === edge.to) continue;
    const entries = entriesByNode.get(edge.from) ?? [];
    if (!entries.includes(edge.to)) entries.push(edge.to);
    entriesByNode.set(edge.from, entries);
  }
  return normal.nodeIds.flatMap((id) => {
    const entries = entriesByNode.get(id);
    if (!entries) return [];
    return [{ protectedNodeId: id, entries, nodes: reachableFrom(normal, entries) }];
  });
}
