import type { z } from "zod";
import { CREDENTIAL_KINDS, isCredentialKind } from "@/lib/credentials/kinds";
import { expressionPaths, parseExpression } from "@/lib/engine/expression";
import { isTemplate, parseTemplate, templateVariables } from "@/lib/engine/template";
import { NODE_KINDS } from "@/lib/nodes";
import type { AnyNodeKind } from "@/lib/nodes/node-kind";
import { subWorkflowKind } from "@/lib/nodes/sub-workflow";
import { TRIGGER_KIND } from "@/lib/nodes/trigger";
import {
  COMPENSATION_LABEL,
  nodeIdSchema,
  type WorkflowDefinition,
  type WorkflowEdge,
  type WorkflowNode,
  workflowDefinitionSchema,
  workflowEdgeSchema,
  workflowNodeSchema,
} from "./definition";
import {
  buildGraph,
  compensationBranches,
  isCompensationEdge,
  reachableFrom,
  topologicalOrder,
} from "./graph";
import { type ExtraScope, resolveVariable, type VariableScope, variableScopes } from "./variables";

// The static validator for workflow definitions: the API runs it when a draft
// is saved (problems are returned, the draft is kept) and before a version is
// published (any problem refuses it), the designer runs it live in the browser,
// and nothing it accepts should fail at run time for a reason it could have
// seen. It reads every rule about a node from the node kind's declaration
// (lib/nodes); the only kind it knows by name is the sub-workflow, whose
// target it looks up. It never throws on bad input: whatever it is given, it
// answers with problems. So it stays browser-safe, the database is reached
// only through the optional lookups of `validateDefinition`.

export type DefinitionProblem = {
  /** Stable, for the designer and API clients to act on (see PROBLEM_CODES). */
  code: ProblemCode;
  /** Names the node (by name and id) or edge, and what to do about it. */
  message: string;
  nodeId?: string;
  edgeId?: string;
  /** The node's or edge's field, dotted (`headers.X-Employee`, `cases.0.label`, `action.config.subject`). */
  field?: string;
};

export type ValidationLookups = {
  /** The workflow being validated (self-reference check). */
  workflowId?: string;
  lookupWorkflow?: (
    id: string,
  ) => Promise<{ id: string; name: string; activeDefinition: WorkflowDefinition | null } | null>;
  lookupCredential?: (id: string) => Promise<{ id: string; name: string; kind: string } | null>;
  /** The node kind registry; the application's own (NODE_KINDS) unless a test passes another. */
  kinds?: ReadonlyMap<string, AnyNodeKind>;
};

export type ValidationResult = {
  /** The parsed definition (defaults filled in) when its structure is sound, even if it has other problems. */
  definition: WorkflowDefinition | null;
  problems: DefinitionProblem[];
};

export const PROBLEM_CODES = [
  // 1. structure
  "invalid_structure",
  // 2. ids and edges
  "duplicate_node_id",
  "duplicate_edge_id",
  "unknown_edge_endpoint",
  "self_loop",
  "duplicate_edge",
  // 3. trigger
  "missing_trigger",
  "multiple_triggers",
  "trigger_has_incoming_edge",
  "trigger_protected",
  // 4.–6. kinds and graph
  "unknown_kind",
  "cycle",
  "unreachable_node",
  // 7. config
  "invalid_config",
  "config_check_failed",
  // 8. branches and compensation
  "missing_branch_label",
  "unknown_branch_label",
  "unexpected_edge_label",
  "compensation_from_unprotected_node",
  "missing_compensation_edge",
  "node_in_normal_and_compensation_flow",
  // 9.–10. templates and expressions
  "template_syntax",
  "template_variable",
  "expression_syntax",
  "expression_variable",
  // 11. nested actions
  "nested_unknown_kind",
  "nested_kind_not_allowed",
  "nested_invalid_config",
  // 12. credentials (async)
  "credential_not_found",
  "credential_wrong_kind",
  // 13. sub-workflows (async)
  "sub_workflow_not_found",
  "sub_workflow_not_published",
  "sub_workflow_calls_itself",
  "sub_workflow_cycle",
  // 14. step budget
  "step_budget_exceeded",
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

/** Steps one run may use, leaving room under Inngest's limit of 1000 per function run. */
export const MAX_RUN_STEPS = 900;
const INNGEST_MAX_STEPS = 1000;
/** Steps a durable node takes (begin, wait, finish); an action takes one. */
const DURABLE_NODE_STEPS = 3;
/** How deep the validator looks into a config object (deeper is not a config a person wrote). */
const MAX_CONFIG_DEPTH = 32;
/** How many sub-workflows deep the call-cycle search follows. */
const MAX_CALL_DEPTH = 25;

type Kinds = ReadonlyMap<string, AnyNodeKind>;
type CredentialUse = {
  node: WorkflowNode;
  field: string;
  credentialId: string;
  accepts: readonly string[];
};
type SubWorkflowUse = { node: WorkflowNode; field: string; workflowId: string };

/** What the synchronous rules found, and what the lookups still have to check. */
type Analysis = ValidationResult & {
  credentials: CredentialUse[];
  subWorkflows: SubWorkflowUse[];
  order: (problem: DefinitionProblem) => number;
};

export function validateDefinitionSync(
  input: unknown,
  options: { kinds?: ReadonlyMap<string, AnyNodeKind> } = {},
): ValidationResult {
  const { definition, problems, order } = analyze(input, options.kinds ?? NODE_KINDS);
  return { definition, problems: sorted(problems, order) };
}

export async function validateDefinition(
  input: unknown,
  lookups: ValidationLookups = {},
): Promise<ValidationResult> {
  const analysis = analyze(input, lookups.kinds ?? NODE_KINDS);
  const problems = [...analysis.problems];
  if (lookups.lookupCredential)
    problems.push(...(await checkCredentials(analysis.credentials, lookups.lookupCredential)));
  if (lookups.lookupWorkflow)
    problems.push(
      ...(await checkSubWorkflows(analysis.subWorkflows, lookups, lookups.lookupWorkflow)),
    );
  return { definition: analysis.definition, problems: sorted(problems, analysis.order) };
}

function sorted(
  problems: DefinitionProblem[],
  order: (problem: DefinitionProblem) => number,
): DefinitionProblem[] {
  // Array.prototype.sort is stable: within one node, rules keep their order.
  return problems
    .map((problem, index) => ({ problem, index, key: order(problem) }))
    .sort((a, b) => a.key - b.key || a.index - b.index)
    .map(({ problem }) => problem);
}

// ---------------------------------------------------------------------------
// Messages

function nodeLabel(node: { id: string; name?: string }): string {
  return node.name ? `Node "${node.name}" (${node.id})` : `Node ${node.id}`;
}

function nodeProblem(
  code: ProblemCode,
  node: { id: string; name?: string },
  message: string,
  field?: string,
): DefinitionProblem {
  return {
    code,
    message: `${nodeLabel(node)}: ${field ? `${field}: ` : ""}${message}`,
    nodeId: node.id,
    ...(field ? { field } : {}),
  };
}

function listOf(values: readonly string[]): string {
  return values.join(", ");
}

function quoted(node: WorkflowNode): string {
  return `"${node.name}" (${node.id})`;
}

/** Zod's wording, made to read as a sentence about one field; unknown keys become their own field. */
function issuesOf(issues: z.ZodError["issues"]): { field: string | undefined; message: string }[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    if (issue.code === "unrecognized_keys")
      return issue.keys.map((key) => ({
        field: [...path, key].join("."),
        message: "is not a known field",
      }));
    const message =
      issue.code === "invalid_type" && /received undefined$/.test(issue.message)
        ? "is required"
        : issue.message;
    return [{ field: path.length > 0 ? path.join(".") : undefined, message }];
  });
}

function errorText(error: unknown, fallback: string): string {
  return error instanceof Error && error.message ? error.message : fallback;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---------------------------------------------------------------------------
// 1. Structure

type Structure = {
  definition: WorkflowDefinition | null;
  /** What the other rules check: the definition, or what could be read of it. */
  working: WorkflowDefinition;
  /** Nodes whose config could not be read at all; their config rules are skipped. */
  unreadableConfig: Set<string>;
  problems: DefinitionProblem[];
  order: (problem: DefinitionProblem) => number;
};

function readStructure(input: unknown): Structure | { problems: DefinitionProblem[] } {
  if (!isRecord(input))
    return {
      problems: [
        {
          code: "invalid_structure",
          message: `The workflow definition must be an object with schemaVersion, nodes and edges, not ${describeValue(input)}`,
        },
      ],
    };
  const rawNodes = Array.isArray(input.nodes) ? input.nodes : undefined;
  const rawEdges = Array.isArray(input.edges) ? input.edges : [];
  const idAt = (list: unknown[] | undefined, index: number): string | undefined => {
    const item = list?.[index];
    return isRecord(item) && typeof item.id === "string" ? item.id : undefined;
  };

  // Problems sort in definition order: nodes, then edges, by their position in the input.
  const nodeOrder = new Map<string, number>();
  rawNodes?.forEach((_, index) => {
    const id = idAt(rawNodes, index);
    if (id !== undefined && !nodeOrder.has(id)) nodeOrder.set(id, index);
  });
  const edgeOrder = new Map<string, number>();
  const edgeBase = rawNodes?.length ?? 0;
  rawEdges.forEach((_, index) => {
    const id = idAt(rawEdges, index);
    if (id !== undefined && !edgeOrder.has(id)) edgeOrder.set(id, edgeBase + index);
  });
  const explicitOrder = new WeakMap<DefinitionProblem, number>();
  const order = (problem: DefinitionProblem): number =>
    explicitOrder.get(problem) ??
    (problem.nodeId !== undefined ? nodeOrder.get(problem.nodeId) : undefined) ??
    (problem.edgeId !== undefined ? edgeOrder.get(problem.edgeId) : undefined) ??
    -1;

  const parsed = workflowDefinitionSchema.safeParse(input);
  if (parsed.success)
    return {
      definition: parsed.data,
      working: parsed.data,
      unreadableConfig: new Set(),
      problems: [],
      order,
    };

  const problems: DefinitionProblem[] = [];
  for (const issue of parsed.error.issues) {
    const [top, index, ...rest] = issue.path;
    const inList = (top === "nodes" || top === "edges") && typeof index === "number";
    if (!inList) {
      for (const { field, message } of issuesOf([issue]))
        problems.push({
          code: "invalid_structure",
          message: `Workflow definition: ${field ? `${field}: ` : ""}${message}`,
          ...(field ? { field } : {}),
        });
      continue;
    }
    const list = top === "nodes" ? rawNodes : rawEdges;
    const item = list?.[index];
    const id = idAt(list, index);
    const name = isRecord(item) && typeof item.name === "string" ? item.name.trim() : "";
    const label =
      top === "nodes"
        ? id
          ? nodeLabel({ id, name })
          : `Node #${index + 1}`
        : id
          ? `Edge ${id}`
          : `Edge #${index + 1}`;
    for (const { field, message } of issuesOf([{ ...issue, path: rest }])) {
      const problem: DefinitionProblem = {
        code: "invalid_structure",
        message: `${label}: ${field ? `${field}: ` : ""}${message}`,
        ...(id !== undefined ? (top === "nodes" ? { nodeId: id } : { edgeId: id }) : {}),
        ...(field ? { field } : {}),
      };
      explicitOrder.set(problem, top === "nodes" ? index : edgeBase + index);
      problems.push(problem);
    }
  }
  if (!rawNodes) return { problems };

  // Keep checking what can be read, so one bad field does not hide every other problem.
  const unreadableConfig = new Set<string>();
  const nodes: WorkflowNode[] = [];
  for (const raw of rawNodes) {
    const node = workflowNodeSchema.safeParse(raw);
    if (node.success) {
      nodes.push(node.data);
      continue;
    }
    if (!isRecord(raw) || typeof raw.kind !== "string") continue;
    const id = nodeIdSchema.safeParse(raw.id);
    if (!id.success) continue;
    const name = typeof raw.name === "string" && raw.name.trim() ? raw.name.trim() : id.data;
    const config = raw.config === undefined ? {} : isRecord(raw.config) ? raw.config : undefined;
    if (!config) unreadableConfig.add(id.data);
    nodes.push({
      id: id.data,
      kind: raw.kind,
      name,
      config: config ?? {},
      ...(raw.protected === true ? { protected: true } : {}),
      position: { x: 0, y: 0 },
    });
  }
  const edges: WorkflowEdge[] = [];
  for (const raw of rawEdges) {
    const edge = workflowEdgeSchema.safeParse(raw);
    if (edge.success) {
      edges.push(edge.data);
      continue;
    }
    if (!isRecord(raw)) continue;
    const { id, from, to, label } = raw;
    if (typeof id !== "string" || typeof from !== "string" || typeof to !== "string") continue;
    edges.push({
      id,
      from,
      to,
      ...(typeof label === "string" && label ? { label } : {}),
    });
  }
  return {
    definition: null,
    working: { schemaVersion: 1, nodes, edges },
    unreadableConfig,
    problems,
    order,
  };
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "string" ? "a string" : `a ${typeof value}`;
}

// ---------------------------------------------------------------------------
// The synchronous rules

function analyze(input: unknown, kinds: Kinds): Analysis {
  const structure = readStructure(input);
  if (!("working" in structure))
    return {
      definition: null,
      problems: structure.problems,
      credentials: [],
      subWorkflows: [],
      order: () => -1,
    };
  const { working, unreadableConfig, order } = structure;
  const problems = [...structure.problems];
  const credentials: CredentialUse[] = [];
  const subWorkflows: SubWorkflowUse[] = [];

  // 2. ids and edges
  const byId = new Map<string, WorkflowNode>();
  for (const node of working.nodes) {
    const first = byId.get(node.id);
    if (first) {
      problems.push(
        nodeProblem(
          "duplicate_node_id",
          node,
          `the id "${node.id}" is also used by ${quoted(first)}; give each node its own id`,
          "id",
        ),
      );
    } else byId.set(node.id, node);
  }
  const edgeLabel = (edge: WorkflowEdge) => {
    const end = (id: string) => {
      const node = byId.get(id);
      return node ? `"${node.name}"` : id;
    };
    return `Edge ${edge.id} (${end(edge.from)} → ${end(edge.to)})`;
  };
  const edgeProblem = (
    code: ProblemCode,
    edge: WorkflowEdge,
    message: string,
    field?: string,
  ): DefinitionProblem => ({
    code,
    message: `${edgeLabel(edge)}: ${field ? `${field}: ` : ""}${message}`,
    edgeId: edge.id,
    ...(field ? { field } : {}),
  });

  const edgeIds = new Set<string>();
  const edgeKeys = new Map<string, WorkflowEdge>();
  /** Edges between existing nodes, each once: what the graph rules look at. */
  const sound: WorkflowEdge[] = [];
  for (const edge of working.edges) {
    if (edgeIds.has(edge.id))
      problems.push(
        edgeProblem(
          "duplicate_edge_id",
          edge,
          `the id "${edge.id}" is used by another edge too`,
          "id",
        ),
      );
    edgeIds.add(edge.id);
    let endpointsExist = true;
    for (const end of ["from", "to"] as const) {
      if (byId.has(edge[end])) continue;
      endpointsExist = false;
      problems.push(
        edgeProblem("unknown_edge_endpoint", edge, `there is no node with id "${edge[end]}"`, end),
      );
    }
    if (!endpointsExist) continue;
    if (edge.from === edge.to) {
      problems.push(
        edgeProblem(
          "self_loop",
          edge,
          `connects ${quoted(byId.get(edge.from) as WorkflowNode)} to itself; to repeat an action, use a Loop node`,
        ),
      );
      continue;
    }
    const key = JSON.stringify([edge.from, edge.to, edge.label ?? null]);
    const same = edgeKeys.get(key);
    if (same) {
      problems.push(
        edgeProblem("duplicate_edge", edge, `repeats edge ${same.id}; delete one of them`),
      );
      continue;
    }
    edgeKeys.set(key, edge);
    sound.push(edge);
  }
  const graphSource = { nodes: [...byId.values()], edges: sound };
  const allEdges = buildGraph(graphSource);
  const normalEdges = buildGraph(graphSource, { edges: "normal" });

  // 3. exactly one trigger
  const triggers = [...byId.values()].filter((node) => node.kind === TRIGGER_KIND);
  const trigger = triggers[0];
  if (!trigger)
    problems.push({
      code: "missing_trigger",
      message:
        "The workflow has no trigger: add a Trigger node that says what starts it (a lifecycle event, a schedule or a manual start)",
    });
  for (const extra of triggers.slice(1))
    problems.push(
      nodeProblem(
        "multiple_triggers",
        extra,
        `a workflow has exactly one trigger and ${quoted(trigger as WorkflowNode)} is already one; delete this node or change its kind`,
      ),
    );
  for (const node of triggers) {
    if (node.protected)
      problems.push(
        nodeProblem(
          "trigger_protected",
          node,
          "the trigger cannot be protected: it does nothing that could be compensated",
          "protected",
        ),
      );
  }
  for (const edge of sound) {
    if (byId.get(edge.to)?.kind === TRIGGER_KIND)
      problems.push(
        edgeProblem(
          "trigger_has_incoming_edge",
          edge,
          "the trigger starts the workflow, so no edge may lead into it",
          "to",
        ),
      );
  }

  // 4. kinds
  const kindOf = new Map<string, AnyNodeKind>();
  for (const node of byId.values()) {
    const kind = kinds.get(node.kind);
    if (kind) kindOf.set(node.id, kind);
    else
      problems.push(
        nodeProblem(
          "unknown_kind",
          node,
          `"${node.kind}" is not a node kind; the kinds are: ${listOf([...kinds.keys()])}`,
          "kind",
        ),
      );
  }

  // 5. cycles
  const topology = topologicalOrder(allEdges);
  if (!topology.ok) {
    const position = (id: string) => working.nodes.findIndex((node) => node.id === id);
    const start = topology.cycle.reduce(
      (best, id, index) => (position(id) < position(topology.cycle[best] as string) ? index : best),
      0,
    );
    const cycle = [...topology.cycle.slice(start), ...topology.cycle.slice(0, start)];
    const first = byId.get(cycle[0] as string) as WorkflowNode;
    const names = [...cycle, cycle[0] as string].map((id) => `"${byId.get(id)?.name}"`);
    problems.push(
      nodeProblem(
        "cycle",
        first,
        `these nodes form a cycle: ${names.join(" → ")}; a workflow must not lead back to an earlier node (to repeat an action, use a Loop node)`,
      ),
    );
  }

  // 6. reachability
  const reachable = trigger ? reachableFrom(allEdges, [trigger.id]) : new Set<string>();
  if (trigger) {
    for (const node of byId.values()) {
      if (reachable.has(node.id) || node.kind === TRIGGER_KIND) continue;
      problems.push(
        nodeProblem(
          "unreachable_node",
          node,
          `no path leads here from the trigger ${quoted(trigger)}, so it would never run; connect it or delete it`,
        ),
      );
    }
  }

  // 7. config of each node
  const configs = new Map<string, unknown>();
  for (const node of byId.values()) {
    const kind = kindOf.get(node.id);
    if (!kind || unreadableConfig.has(node.id)) continue;
    const parsed = kind.config.safeParse(node.config);
    if (!parsed.success) {
      for (const { field, message } of issuesOf(parsed.error.issues))
        problems.push(nodeProblem("invalid_config", node, message, field));
      continue;
    }
    configs.set(node.id, parsed.data);
    for (const { field, message } of checksOf(kind, parsed.data))
      problems.push(nodeProblem("config_check_failed", node, message, field));
  }

  // 8. branch labels and compensation
  const branchesOf = (node: WorkflowNode): readonly string[] | undefined => {
    const kind = kindOf.get(node.id);
    if (!kind?.branches || !configs.has(node.id)) return undefined;
    try {
      return kind.branches(configs.get(node.id));
    } catch {
      return undefined;
    }
  };
  for (const edge of sound) {
    const from = byId.get(edge.from) as WorkflowNode;
    const kind = kindOf.get(from.id);
    if (isCompensationEdge(edge)) {
      if (!from.protected)
        problems.push(
          edgeProblem(
            "compensation_from_unprotected_node",
            edge,
            `a "${COMPENSATION_LABEL}" edge must start at a protected node; mark ${quoted(from)} as protected or remove the label`,
            "label",
          ),
        );
      continue;
    }
    if (!kind) continue;
    if (kind.branches) {
      const labels = branchesOf(from);
      if (!labels) continue;
      if (edge.label === undefined)
        problems.push(
          edgeProblem(
            "missing_branch_label",
            edge,
            `${quoted(from)} has several outcomes: label the edge with the one it follows, one of: ${listOf(labels)}`,
            "label",
          ),
        );
      else if (!labels.includes(edge.label))
        problems.push(
          edgeProblem(
            "unknown_branch_label",
            edge,
            `"${edge.label}" is not an outcome of ${quoted(from)}; use one of: ${listOf(labels)}`,
            "label",
          ),
        );
    } else if (edge.label !== undefined) {
      problems.push(
        edgeProblem(
          "unexpected_edge_label",
          edge,
          `${quoted(from)} has a single way on, so its edges take no label: remove "${edge.label}"`,
          "label",
        ),
      );
    }
  }
  for (const node of byId.values()) {
    if (!node.protected || node.kind === TRIGGER_KIND) continue;
    if (!sound.some((edge) => edge.from === node.id && isCompensationEdge(edge)))
      problems.push(
        nodeProblem(
          "missing_compensation_edge",
          node,
          `a protected node needs a compensation branch: connect an edge labelled "${COMPENSATION_LABEL}" to the steps that undo its work, or unprotect it`,
          "protected",
        ),
      );
  }
  const normalFlow = trigger ? reachableFrom(normalEdges, [trigger.id]) : new Set<string>();
  const branches = compensationBranches(graphSource);
  for (const node of byId.values()) {
    if (!normalFlow.has(node.id)) continue;
    const branch = branches.find((entry) => entry.nodes.has(node.id));
    if (!branch) continue;
    problems.push(
      nodeProblem(
        "node_in_normal_and_compensation_flow",
        node,
        `it is part of the normal flow and also of the compensation branch of ${quoted(byId.get(branch.protectedNodeId) as WorkflowNode)}; a compensation step must be reached only through "${COMPENSATION_LABEL}" edges`,
      ),
    );
  }

  // 9.–11. templates, expressions and nested actions
  const scopes = variableScopes({ ...working, nodes: [...byId.values()], edges: sound }, kinds);
  for (const node of byId.values()) {
    const kind = kindOf.get(node.id);
    if (!kind || unreadableConfig.has(node.id)) continue;
    // Variables of a node that cannot run would only add noise to "connect it".
    const canResolve = triggers.length === 1 && reachable.has(node.id);
    const scopeAt = (extra?: ExtraScope) => (canResolve ? scopes.at(node.id, extra) : undefined);
    problems.push(...checkConfigText(node, kind, node.config, scopeAt(), ""));
    collectLookups(node, kind, node.config, "", credentials, subWorkflows);

    const config = configs.get(node.id);
    if (!kind.nestedActions || config === undefined) continue;
    let nested: ReturnType<NonNullable<AnyNodeKind["nestedActions"]>> = [];
    try {
      nested = kind.nestedActions(config);
    } catch {
      nested = [];
    }
    for (const action of nested) {
      problems.push(
        ...checkNestedAction(node, action, kinds, scopeAt(action.extraScope), credentials),
      );
    }
  }

  // 14. step budget
  const budget = stepBudget([...byId.values()], kindOf, configs);
  if (budget) problems.push(budget);

  return { definition: structure.definition, problems, credentials, subWorkflows, order };
}

function checksOf(kind: AnyNodeKind, config: unknown): { field: string; message: string }[] {
  if (!kind.check) return [];
  try {
    return kind.check(config);
  } catch (error) {
    return [{ field: "", message: errorText(error, "could not be checked") }];
  }
}

/** Every string in a config, with its dotted path, skipping the given top-level keys. */
function stringsIn(
  config: Record<string, unknown>,
  skip: ReadonlySet<string>,
): { field: string; value: string }[] {
  const found: { field: string; value: string }[] = [];
  const visit = (value: unknown, path: string[]) => {
    if (path.length > MAX_CONFIG_DEPTH) return;
    if (typeof value === "string") found.push({ field: path.join("."), value });
    else if (Array.isArray(value))
      for (const [index, item] of value.entries()) visit(item, [...path, String(index)]);
    else if (isRecord(value))
      for (const [key, child] of Object.entries(value)) visit(child, [...path, key]);
  };
  for (const [key, value] of Object.entries(config)) if (!skip.has(key)) visit(value, [key]);
  return found;
}

/** Rules 9 and 10: the templates and expressions of one config (a node's, or a nested action's). */
function checkConfigText(
  node: WorkflowNode,
  kind: AnyNodeKind,
  config: Record<string, unknown>,
  scope: VariableScope | undefined,
  prefix: string,
): DefinitionProblem[] {
  const problems: DefinitionProblem[] = [];
  const expressionFields = kind.expressionFields ?? [];
  const skip = new Set([...expressionFields, ...(kind.unrenderedFields ?? [])]);
  for (const { field, value } of stringsIn(config, skip)) {
    if (!isTemplate(value)) continue;
    let variables: string[];
    try {
      parseTemplate(value);
      variables = templateVariables(value);
    } catch (error) {
      problems.push(
        nodeProblem(
          "template_syntax",
          node,
          errorText(error, "template syntax error"),
          prefix + field,
        ),
      );
      continue;
    }
    if (!scope) continue;
    for (const path of variables) {
      const resolved = resolveVariable(scope, path, "template");
      if (!resolved.ok)
        problems.push(
          nodeProblem(
            "template_variable",
            node,
            `template variable ${resolved.message}`,
            prefix + field,
          ),
        );
    }
  }
  for (const field of expressionFields) {
    const value = config[field];
    if (typeof value !== "string" || value.trim() === "") continue;
    let paths: string[];
    try {
      parseExpression(value);
      paths = expressionPaths(value);
    } catch (error) {
      const hint = isTemplate(value)
        ? " (this field is an expression, not a template: write employee.firstName without {{ }})"
        : "";
      problems.push(
        nodeProblem(
          "expression_syntax",
          node,
          `${errorText(error, "expression syntax error")}${hint}`,
          prefix + field,
        ),
      );
      continue;
    }
    if (!scope) continue;
    for (const path of paths) {
      const resolved = resolveVariable(scope, path, "expression");
      if (!resolved.ok)
        problems.push(
          nodeProblem(
            "expression_variable",
            node,
            `expression path ${resolved.message}`,
            prefix + field,
          ),
        );
    }
  }
  return problems;
}

/** Rule 11: an action nested in a node's config (a loop's body). */
function checkNestedAction(
  node: WorkflowNode,
  action: { field: string; kind: string; config: unknown; extraScope: ExtraScope },
  kinds: Kinds,
  scope: VariableScope | undefined,
  credentials: CredentialUse[],
): DefinitionProblem[] {
  const kindField = action.field.endsWith(".config")
    ? `${action.field.slice(0, -".config".length)}.kind`
    : action.field;
  const allowed = [...kinds.values()]
    .filter((entry) => entry.kind !== TRIGGER_KIND && entry.execution === "action")
    .map((entry) => entry.kind);
  const kind = kinds.get(action.kind);
  if (!kind)
    return [
      nodeProblem(
        "nested_unknown_kind",
        node,
        `"${action.kind}" is not a node kind; this node can run one of: ${listOf(allowed)}`,
        kindField,
      ),
    ];
  if (kind.kind === TRIGGER_KIND || kind.execution !== "action")
    return [
      nodeProblem(
        "nested_kind_not_allowed",
        node,
        `"${kind.label}" (${kind.kind}) cannot run inside ${quoted(node)}: only actions that finish in one step can; use one of: ${listOf(allowed)}`,
        kindField,
      ),
    ];
  const problems: DefinitionProblem[] = [];
  const parsed = kind.config.safeParse(action.config);
  if (!parsed.success) {
    for (const { field, message } of issuesOf(parsed.error.issues))
      problems.push(
        nodeProblem(
          "nested_invalid_config",
          node,
          message,
          field ? `${action.field}.${field}` : action.field,
        ),
      );
  } else {
    for (const { field, message } of checksOf(kind, parsed.data))
      problems.push(
        nodeProblem(
          "nested_invalid_config",
          node,
          message,
          field ? `${action.field}.${field}` : action.field,
        ),
      );
  }
  if (isRecord(action.config)) {
    problems.push(...checkConfigText(node, kind, action.config, scope, `${action.field}.`));
    collectLookups(node, kind, action.config, `${action.field}.`, credentials, []);
  }
  return problems;
}

/** What rules 12 and 13 look up later: credential ids and sub-workflow ids in a config. */
function collectLookups(
  node: WorkflowNode,
  kind: AnyNodeKind,
  config: Record<string, unknown>,
  prefix: string,
  credentials: CredentialUse[],
  subWorkflows: SubWorkflowUse[],
): void {
  for (const [field, accepts] of Object.entries(kind.credentialFields ?? {})) {
    const value = config[field];
    if (typeof value === "string" && value.trim() !== "")
      credentials.push({ node, field: prefix + field, credentialId: value, accepts });
  }
  if (
    kind.kind === subWorkflowKind.kind &&
    typeof config.workflowId === "string" &&
    config.workflowId
  )
    subWorkflows.push({ node, field: `${prefix}workflowId`, workflowId: config.workflowId });
}

/** Rule 14: a rough upper bound of the steps one run can take. */
function stepBudget(
  nodes: WorkflowNode[],
  kindOf: ReadonlyMap<string, AnyNodeKind>,
  configs: ReadonlyMap<string, unknown>,
): DefinitionProblem | undefined {
  const costs = nodes.flatMap((node) => {
    const kind = kindOf.get(node.id);
    if (!kind) return [];
    let steps = kind.execution === "durable" ? DURABLE_NODE_STEPS : 1;
    const config = configs.get(node.id);
    if (kind.nestedActions && isRecord(config)) {
      // Each nested action runs once per item, as one step each.
      const repeats = typeof config.maxItems === "number" ? config.maxItems : 1;
      try {
        steps += kind.nestedActions(config).length * repeats;
      } catch {
        // Its config problem is reported by rule 7.
      }
    }
    return [{ node, steps }];
  });
  const total = costs.reduce((sum, cost) => sum + cost.steps, 0);
  if (total <= MAX_RUN_STEPS) return undefined;
  const largest = costs
    .filter((cost) => cost.steps > DURABLE_NODE_STEPS)
    .sort((a, b) => b.steps - a.steps)
    .slice(0, 3)
    .map((cost) => `${quoted(cost.node)} up to ${cost.steps}`);
  return {
    code: "step_budget_exceeded",
    message: `The workflow can take up to ${total} steps in one run, more than the ${MAX_RUN_STEPS} allowed (Inngest runs at most ${INNGEST_MAX_STEPS} steps per run): lower the loops' maximum items or move part of the work into a sub-workflow${largest.length > 0 ? `. Largest: ${listOf(largest)}` : ""}`,
  };
}

// ---------------------------------------------------------------------------
// The rules that need the database

function cached<T>(lookup: (id: string) => Promise<T>): (id: string) => Promise<T> {
  const results = new Map<string, Promise<T>>();
  return (id) => {
    let result = results.get(id);
    if (!result) {
      result = lookup(id);
      results.set(id, result);
    }
    return result;
  };
}

function credentialKindLabel(kind: string): string {
  return isCredentialKind(kind) ? CREDENTIAL_KINDS[kind].label : kind;
}

/** Rule 12: every credential a config names exists and is of a kind its field accepts. */
async function checkCredentials(
  uses: CredentialUse[],
  lookupCredential: NonNullable<ValidationLookups["lookupCredential"]>,
): Promise<DefinitionProblem[]> {
  const lookup = cached(lookupCredential);
  const problems: DefinitionProblem[] = [];
  for (const use of uses) {
    const credential = await lookup(use.credentialId);
    const wanted = listOf(use.accepts.map(credentialKindLabel)).replace(/, ([^,]*)$/, " or $1");
    if (!credential)
      problems.push(
        nodeProblem(
          "credential_not_found",
          use.node,
          `the credential "${use.credentialId}" does not exist (it may have been deleted); choose a ${wanted} credential`,
          use.field,
        ),
      );
    else if (!use.accepts.includes(credential.kind))
      problems.push(
        nodeProblem(
          "credential_wrong_kind",
          use.node,
          `"${credential.name}" is a ${credentialKindLabel(credential.kind)} credential, but this field needs a ${wanted} credential`,
          use.field,
        ),
      );
  }
  return problems;
}

type WorkflowRecord = { id: string; name: string; activeDefinition: WorkflowDefinition | null };

function subWorkflowIds(definition: unknown): string[] {
  if (!isRecord(definition) || !Array.isArray(definition.nodes)) return [];
  return definition.nodes.flatMap((node) =>
    isRecord(node) &&
    node.kind === subWorkflowKind.kind &&
    isRecord(node.config) &&
    typeof node.config.workflowId === "string"
      ? [node.config.workflowId]
      : [],
  );
}

/** Rule 13: each sub-workflow exists, is published, and does not lead back into a workflow already running. */
async function checkSubWorkflows(
  uses: SubWorkflowUse[],
  lookups: ValidationLookups,
  lookupWorkflow: NonNullable<ValidationLookups["lookupWorkflow"]>,
): Promise<DefinitionProblem[]> {
  const lookup = cached(lookupWorkflow);
  const selfId = lookups.workflowId;
  const problems: DefinitionProblem[] = [];
  let selfName: string | undefined;
  const nameOfSelf = async () => {
    selfName ??= selfId ? ((await lookup(selfId))?.name ?? "this workflow") : "this workflow";
    return selfName;
  };
  for (const use of uses) {
    if (selfId !== undefined && use.workflowId === selfId) {
      problems.push(
        nodeProblem(
          "sub_workflow_calls_itself",
          use.node,
          "a workflow cannot run itself as a sub-workflow",
          use.field,
        ),
      );
      continue;
    }
    const target = await lookup(use.workflowId);
    if (!target) {
      problems.push(
        nodeProblem(
          "sub_workflow_not_found",
          use.node,
          `there is no workflow with id "${use.workflowId}" in this organisation (it may have been deleted); choose another`,
          use.field,
        ),
      );
      continue;
    }
    if (!target.activeDefinition) {
      problems.push(
        nodeProblem(
          "sub_workflow_not_published",
          use.node,
          `"${target.name}" has no published version yet; publish it first`,
          use.field,
        ),
      );
      continue;
    }
    const chain = await callCycleFrom(target, selfId, lookup);
    if (chain) {
      const names: string[] = [];
      for (const entry of chain) names.push(entry === SELF ? await nameOfSelf() : entry.name);
      problems.push(
        nodeProblem(
          "sub_workflow_cycle",
          use.node,
          chain[0] === SELF
            ? `"${target.name}" leads back into this workflow, so the runs would call each other forever: ${names.join(" → ")}`
            : `"${target.name}" runs sub-workflows that call each other forever: ${names.join(" → ")}`,
          use.field,
        ),
      );
    }
  }
  return problems;
}

const SELF = Symbol("this workflow");

/**
 * Follows published sub-workflows depth-first from `start`. Returns the chain
 * that leads back into the workflow being validated (starting with it, as
 * SELF), or one that loops among other workflows; undefined when neither.
 */
async function callCycleFrom(
  start: WorkflowRecord,
  selfId: string | undefined,
  lookup: (id: string) => Promise<WorkflowRecord | null>,
): Promise<(WorkflowRecord | typeof SELF)[] | undefined> {
  const path: WorkflowRecord[] = [];
  const settled = new Set<string>();
  const visit = async (
    workflow: WorkflowRecord,
  ): Promise<(WorkflowRecord | typeof SELF)[] | undefined> => {
    if (path.length >= MAX_CALL_DEPTH) return undefined;
    path.push(workflow);
    for (const id of subWorkflowIds(workflow.activeDefinition)) {
      if (selfId !== undefined && id === selfId) return [SELF, ...path, SELF];
      const loop = path.findIndex((entry) => entry.id === id);
      if (loop >= 0) return [...path.slice(loop), path[loop] as WorkflowRecord];
      if (settled.has(id)) continue;
      const next = await lookup(id);
      if (!next?.activeDefinition) continue;
      const found = await visit(next);
      if (found) return found;
    }
    path.pop();
    settled.add(workflow.id);
    return undefined;
  };
  return visit(start);
}
