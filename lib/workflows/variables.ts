import { z } from "zod";
import {
  employeeSchema,
  type LifecycleEventType,
  lifecycleEventDataSchema,
  previousEmployeeSchema,
} from "@/lib/events/lifecycle-event";
import { NODE_KINDS } from "@/lib/nodes";
import type { AnyNodeKind } from "@/lib/nodes/node-kind";
import { isLifecycleEvent, TRIGGER_KIND, triggerConfigSchema } from "@/lib/nodes/trigger";
import type { WorkflowDefinition, WorkflowNode } from "./definition";
import {
  buildGraph,
  type CompensationBranch,
  compensationBranches,
  guaranteedBefore,
  reachableFrom,
  withVirtualRoot,
} from "./graph";

// The variables in reach of a node, as the engine builds them
// (lib/engine/interpreter.ts): the trigger event's employee, previous and
// event, the run and the workflow, and `nodes.<id>.output` of earlier nodes.
// A node may read another node's output only when that node has certainly
// completed by the time it runs: a dominator (on every path from the trigger
// to it), or a node of a parallel branch that always runs alongside
// (lib/workflows/graph.ts, guaranteedBefore). Anything else may not have run.
// Paths are resolved against JSON Schemas of the zod schemas, so the designer's
// variable picker, the validator and the docs all see the same shapes.

export type VariableInfo = { path: string; type: string; description?: string };
export type VariableResolution = { ok: true; type: string } | { ok: false; message: string };
/** Liquid templates (`first`, `last`, `size` on lists) or JSONata expressions (a field of a list maps over it). */
export type VariableSyntax = "template" | "expression";
/** Extra variables a node kind gives a nested action (a loop's `item` and `index`). */
export type ExtraScope = Readonly<Record<string, z.ZodType>>;

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema | JsonSchema[];
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  const?: unknown;
  enum?: unknown[];
  not?: JsonSchema;
  description?: string;
};
/** A schema together with the document its `$ref`s point into. */
type Located = { schema: JsonSchema; document: JsonSchema };

type Root =
  | { available: true; value: Located; description?: string }
  | { available: false; reason: string };

type ScopeNode = { node: WorkflowNode; value: Located };

/** What one node (or a nested action in it) can read. Build with `variableScopes(definition).at(nodeId)`. */
export type VariableScope = {
  readonly nodeId: string;
  readonly roots: ReadonlyMap<string, Root>;
  /** Nodes whose output is in reach, in definition order. */
  readonly nodes: ReadonlyMap<string, ScopeNode>;
  /** Why `nodes.<id>` cannot be read here. */
  readonly whyNotAvailable: (id: string) => string;
};

const runSchema = z.object({
  id: z.string().describe("The run's id"),
  isTest: z.boolean().describe("True in a test run: side effects are previewed, not performed"),
  startedAt: z.string().describe("When the run started (ISO 8601)"),
});
const workflowSchema = z.object({
  id: z.string().describe("The workflow's id"),
  name: z.string().describe("The workflow's name"),
  version: z.number().describe("The published version this run uses"),
});
const failureSchema = z.object({
  nodeId: z.string().describe("Id of the protected node that failed"),
  nodeName: z.string().describe("Name of the protected node that failed"),
  message: z.string().describe("Why it failed"),
});
const scheduleDataSchema = z.object({
  slot: z.string().describe("The scheduled time this run is for (ISO 8601)"),
});
const eventSchemaWith = (data: z.ZodType) =>
  z.object({
    id: z.string().describe("The event's id"),
    type: z.string().describe("The event's name, e.g. employee.onboard"),
    occurredAt: z.string().describe("When the event happened (ISO 8601)"),
    data,
  });
const lifecycleEventSchema = eventSchemaWith(lifecycleEventDataSchema);
const customEventSchema = eventSchemaWith(
  z.record(z.string(), z.unknown()).describe("The event's payload, as sent"),
);
const scheduleEventSchema = eventSchemaWith(scheduleDataSchema);

const jsonSchemas = new WeakMap<z.ZodType, JsonSchema>();

function jsonSchemaOf(schema: z.ZodType): Located {
  let document = jsonSchemas.get(schema);
  if (!document) {
    try {
      document = z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }) as JsonSchema;
    } catch {
      // A schema JSON Schema cannot express (a custom type): anything may be read from it.
      document = {};
    }
    jsonSchemas.set(schema, document);
  }
  return { schema: document, document };
}

type TriggerSource =
  | { type: "unknown" }
  | { type: "lifecycle_event"; event: LifecycleEventType }
  | { type: "custom_event"; event: string }
  | { type: "manual" }
  | { type: "schedule" };

function triggerSourceOf(definition: WorkflowDefinition): TriggerSource {
  const triggers = definition.nodes.filter((node) => node.kind === TRIGGER_KIND);
  if (triggers.length !== 1) return { type: "unknown" };
  const parsed = triggerConfigSchema.safeParse(triggers[0]?.config);
  if (!parsed.success) return { type: "unknown" };
  const config = parsed.data;
  if (config.type === "manual") return { type: "manual" };
  if (config.type === "schedule") return { type: "schedule" };
  return isLifecycleEvent(config.event)
    ? { type: "lifecycle_event", event: config.event as LifecycleEventType }
    : { type: "custom_event", event: config.event };
}

function describeTrigger(source: TriggerSource): string {
  switch (source.type) {
    case "lifecycle_event":
      return `this workflow is triggered by ${source.event}`;
    case "custom_event":
      return `this workflow is triggered by the custom event "${source.event}", whose payload is event.data`;
    case "manual":
      return "this workflow is started manually";
    case "schedule":
      return "this workflow is triggered by a schedule";
    default:
      return "this workflow has no valid trigger";
  }
}

const CHANGES_EVENTS: readonly string[] = ["employee.transfer", "employee.update"];

/** The roots every node of the workflow shares, decided by its trigger. */
function eventRoots(source: TriggerSource): Map<string, Root> {
  const roots = new Map<string, Root>();
  const available = (schema: z.ZodType, description?: string): Root => ({
    available: true,
    value: jsonSchemaOf(schema),
    description,
  });
  const hasEmployee =
    source.type === "lifecycle_event" || source.type === "manual" || source.type === "unknown";
  roots.set(
    "employee",
    hasEmployee
      ? available(employeeSchema, "The employee the event is about")
      : { available: false, reason: describeTrigger(source) },
  );
  const hasPrevious =
    source.type === "unknown" ||
    (source.type === "lifecycle_event" && CHANGES_EVENTS.includes(source.event));
  roots.set(
    "previous",
    hasPrevious
      ? available(previousEmployeeSchema, "The fields the event changed, as they were before")
      : {
          available: false,
          reason: `only employee.transfer and employee.update events have it, and ${describeTrigger(source)}`,
        },
  );
  const event =
    source.type === "schedule"
      ? scheduleEventSchema
      : source.type === "custom_event" || source.type === "unknown"
        ? customEventSchema
        : lifecycleEventSchema;
  roots.set("event", available(event, "The event that started the run"));
  roots.set("run", available(runSchema, "This run"));
  roots.set("workflow", available(workflowSchema, "This workflow"));
  return roots;
}

const VIRTUAL_ROOT = "#compensation";

/**
 * The scope of every node of a definition, with the graph work done once.
 * `kinds` is the node kind registry (the output schemas of `nodes.*`).
 */
export function variableScopes(
  definition: WorkflowDefinition,
  kinds: ReadonlyMap<string, AnyNodeKind> = NODE_KINDS,
) {
  const source = triggerSourceOf(definition);
  const roots = eventRoots(source);
  const byId = new Map<string, WorkflowNode>();
  for (const node of definition.nodes) if (!byId.has(node.id)) byId.set(node.id, node);
  const all = buildGraph(definition);
  const normal = buildGraph(definition, { edges: "normal" });
  const trigger = definition.nodes.find((node) => node.kind === TRIGGER_KIND);
  const outcomesOf = (id: string): readonly string[] | undefined => {
    const node = byId.get(id);
    const kind = node && kinds.get(node.kind);
    if (!node || !kind?.branches) return undefined;
    const config = kind.config.safeParse(node.config);
    return config.success ? kind.branches(config.data) : undefined;
  };
  const normalGuaranteed = trigger
    ? guaranteedBefore(normal, trigger.id, outcomesOf)
    : new Map<string, Set<string>>();
  const branches = compensationBranches(definition);
  const branchGuaranteed = new Map<CompensationBranch, Map<string, Set<string>>>();
  const guaranteedIn = (branch: CompensationBranch) => {
    let result = branchGuaranteed.get(branch);
    if (!result) {
      const graph = withVirtualRoot(normal, VIRTUAL_ROOT, branch.entries);
      result = guaranteedBefore(graph, VIRTUAL_ROOT, outcomesOf);
      branchGuaranteed.set(branch, result);
    }
    return result;
  };

  const outputOf = (node: WorkflowNode): Located => {
    const kind = kinds.get(node.kind);
    return kind ? jsonSchemaOf(kind.output) : { schema: {}, document: {} };
  };

  // Ids of the nodes whose output `id` may read; undefined when the node cannot run at all.
  const inScope = new Map<string, Set<string> | undefined>();
  const nodesInScope = (id: string, visiting: Set<string> = new Set()): Set<string> | undefined => {
    if (inScope.has(id)) return inScope.get(id);
    const own = normalGuaranteed.get(id);
    let result: Set<string> | undefined;
    if (own) {
      result = new Set(own);
      result.delete(id);
    } else if (!visiting.has(id)) {
      visiting.add(id);
      // In a compensation branch: what the failed node could read, plus the
      // branch's own nodes on every path to this one. A node in two branches
      // gets what both give it.
      for (const branch of branches) {
        if (!branch.nodes.has(id)) continue;
        const base = nodesInScope(branch.protectedNodeId, visiting);
        if (!base) continue;
        const within = guaranteedIn(branch).get(id) ?? new Set<string>();
        const here = new Set([...base, ...within]);
        here.delete(VIRTUAL_ROOT);
        here.delete(id);
        result = result ? new Set([...result].filter((entry) => here.has(entry))) : here;
      }
      visiting.delete(id);
    }
    inScope.set(id, result);
    return result;
  };

  const failedNodesFor = (id: string): string[] =>
    normalGuaranteed.has(id)
      ? []
      : branches.filter((branch) => branch.nodes.has(id)).map((branch) => branch.protectedNodeId);

  const at = (nodeId: string, extraScope: ExtraScope = {}): VariableScope => {
    const reachable = nodesInScope(nodeId);
    const failed = failedNodesFor(nodeId);
    const scopeRoots = new Map(roots);
    scopeRoots.set(
      "failure",
      failed.length > 0 && reachable
        ? {
            available: true,
            value: jsonSchemaOf(failureSchema),
            description: "Why the protected node failed",
          }
        : { available: false, reason: "only nodes in a compensation branch have it" },
    );
    for (const name of ["item", "index"])
      scopeRoots.set(name, { available: false, reason: "only the action inside a loop has it" });
    for (const [name, schema] of Object.entries(extraScope))
      scopeRoots.set(name, { available: true, value: jsonSchemaOf(schema) });

    const nodes = new Map<string, ScopeNode>();
    for (const node of definition.nodes) {
      if (reachable?.has(node.id) && !nodes.has(node.id))
        nodes.set(node.id, { node, value: outputOf(node) });
    }

    const whyNotAvailable = (id: string): string => {
      const target = byId.get(id);
      if (!target) {
        const here = [...nodes.keys()];
        return `there is no node with id "${id}"${here.length > 0 ? `; nodes here: ${listNames(here)}` : ""}`;
      }
      if (id === nodeId) return "a node cannot use its own output";
      if (failed.includes(id))
        return `"${target.name}" is the node that failed; read its error from failure.message`;
      if (!reachable) return "this node is not connected to the trigger";
      if (reachableFrom(all, [nodeId]).has(id)) return `"${target.name}" runs after this node`;
      return `"${target.name}" is not on every path to this node`;
    };

    return { nodeId, roots: scopeRoots, nodes, whyNotAvailable };
  };

  return { at };
}

/** The variables in reach of a node, flattened for the designer's picker. */
export function availableVariables(
  definition: WorkflowDefinition,
  nodeId: string,
  options: { extraScope?: ExtraScope; kinds?: ReadonlyMap<string, AnyNodeKind> } = {},
): VariableInfo[] {
  const scope = variableScopes(definition, options.kinds).at(nodeId, options.extraScope);
  const result: VariableInfo[] = [];
  for (const [name, root] of scope.roots) {
    if (!root.available) continue;
    flatten(root.value, name, root.description, MAX_PICKER_DEPTH, result);
  }
  for (const [id, { node, value }] of scope.nodes) {
    flatten(value, `nodes.${id}.output`, `Output of "${node.name}"`, MAX_PICKER_DEPTH, result);
  }
  return result;
}

/** Levels below a root (`employee.manager.email` is two) the picker lists. */
const MAX_PICKER_DEPTH = 3;

function flatten(
  value: Located,
  path: string,
  description: string | undefined,
  depth: number,
  into: VariableInfo[],
): void {
  const text = description ?? value.schema.description;
  into.push({ path, type: typeName(value), ...(text ? { description: text } : {}) });
  if (depth === 0) return;
  const objects = alternatives(value).filter(
    (entry) => typesOf(entry.schema).includes("object") && entry.schema.properties,
  );
  const seen = new Set<string>();
  for (const entry of objects) {
    for (const [key, child] of Object.entries(entry.schema.properties ?? {})) {
      if (seen.has(key)) continue;
      seen.add(key);
      flatten(
        { schema: child, document: entry.document },
        `${path}.${key}`,
        undefined,
        depth - 1,
        into,
      );
    }
  }
}

/**
 * Whether `path` (dotted, as templateVariables/expressionPaths report it) can
 * be read in `scope`, and if not, a message saying what can.
 */
export function resolveVariable(
  scope: VariableScope,
  path: string,
  syntax: VariableSyntax = "template",
): VariableResolution {
  const segments = path.split(".");
  if (segments.some((segment) => segment === ""))
    return { ok: false, message: `"${path}" is not a variable path` };
  const [name, ...rest] = segments as [string, ...string[]];
  if (name === "nodes") return resolveNodePath(scope, path, rest, syntax);
  const root = scope.roots.get(name);
  if (!root) {
    const names = [...scope.roots].filter(([, entry]) => entry.available).map(([key]) => key);
    return {
      ok: false,
      message: `"${path}" does not exist; the variables here are ${listNames([...names, "nodes"])}`,
    };
  }
  if (!root.available) return { ok: false, message: `"${name}" is not available: ${root.reason}` };
  return walk(root.value, name, rest, path, syntax);
}

function resolveNodePath(
  scope: VariableScope,
  path: string,
  rest: string[],
  syntax: VariableSyntax,
): VariableResolution {
  const [id, field, ...below] = rest;
  if (id === undefined) return { ok: true, type: "object" };
  const entry = scope.nodes.get(id);
  if (!entry) {
    const reason = scope.whyNotAvailable(id);
    return {
      ok: false,
      message: reason.startsWith("there is no node")
        ? `"nodes.${id}" does not exist: ${reason}`
        : `"nodes.${id}" is not available here: ${reason}`,
    };
  }
  if (field === undefined) return { ok: true, type: "object" };
  if (field !== "output")
    return { ok: false, message: `"${path}" does not exist; nodes.${id} has: output` };
  return walk(entry.value, `nodes.${id}.output`, below, path, syntax);
}

function walk(
  start: Located,
  startPath: string,
  segments: readonly string[],
  fullPath: string,
  syntax: VariableSyntax,
): VariableResolution {
  let current = [start];
  let currentPath = startPath;
  for (const segment of segments) {
    const options = current.flatMap(alternatives);
    if (options.some((entry) => isAny(entry.schema))) return { ok: true, type: "any" };
    const next = options.flatMap((entry) => childOf(entry, segment, syntax));
    if (next.length === 0)
      return {
        ok: false,
        message: `"${fullPath}" does not exist; ${whatIsAt(options, currentPath, syntax)}`,
      };
    current = next;
    currentPath = `${currentPath}.${segment}`;
  }
  const types = [...new Set(current.map(typeName))];
  return { ok: true, type: types.includes("any") ? "any" : types.join(" | ") };
}

/** The schemas a value may match, with references followed and unions spread out. */
function alternatives(value: Located, depth = 0): Located[] {
  const { schema, document } = value;
  if (depth > 20) return [{ schema: {}, document }];
  if (schema.$ref) {
    const target = resolveRef(document, schema.$ref);
    return target
      ? alternatives({ schema: target, document }, depth + 1)
      : [{ schema: {}, document }];
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union)
    return union.flatMap((member) => alternatives({ schema: member, document }, depth + 1));
  if (schema.allOf) {
    // An intersection: a field of any part is a field of the whole.
    const parts = schema.allOf.flatMap((member) =>
      alternatives({ schema: member, document }, depth + 1),
    );
    if (parts.some((part) => isAny(part.schema))) return [{ schema: {}, document }];
    const properties = Object.assign({}, ...parts.map((part) => part.schema.properties ?? {}));
    return [{ schema: { type: "object", properties, additionalProperties: false }, document }];
  }
  if (schema.not && Object.keys(schema).length === 1) return [];
  return [value];
}

function resolveRef(document: JsonSchema, ref: string): JsonSchema | undefined {
  if (ref === "#") return document;
  const match = /^#\/\$defs\/(.+)$/.exec(ref);
  const name = match?.[1];
  return name && document.$defs && Object.hasOwn(document.$defs, name)
    ? document.$defs[name]
    : undefined;
}

const SHAPE_KEYS = [
  "type",
  "properties",
  "additionalProperties",
  "items",
  "prefixItems",
  "anyOf",
  "oneOf",
  "allOf",
  "$ref",
  "const",
  "enum",
  "not",
] as const;

function isAny(schema: JsonSchema): boolean {
  return SHAPE_KEYS.every((key) => schema[key] === undefined);
}

function typesOf(schema: JsonSchema): string[] {
  if (schema.type !== undefined)
    return (Array.isArray(schema.type) ? schema.type : [schema.type]).map((type) =>
      type === "integer" ? "number" : type,
    );
  if (schema.properties || schema.additionalProperties !== undefined) return ["object"];
  if (schema.items || schema.prefixItems) return ["array"];
  const values = schema.const !== undefined ? [schema.const] : (schema.enum ?? []);
  return [...new Set(values.map((entry) => (entry === null ? "null" : typeof entry)))];
}

function typeName(value: Located): string {
  const names = new Set<string>();
  for (const entry of alternatives(value)) {
    if (isAny(entry.schema)) return "any";
    for (const type of typesOf(entry.schema)) {
      if (type === "array") {
        const items = itemsOf(entry);
        names.add(items ? `array<${typeName(items)}>` : "array");
      } else names.add(type);
    }
  }
  return names.size > 0 ? [...names].join(" | ") : "never";
}

function itemsOf(value: Located): Located | undefined {
  const { items } = value.schema;
  if (items && !Array.isArray(items)) return { schema: items, document: value.document };
  return undefined;
}

function childOf(value: Located, segment: string, syntax: VariableSyntax): Located[] {
  const { schema, document } = value;
  const found: Located[] = [];
  for (const type of typesOf(schema)) {
    if (type === "object") {
      if (schema.properties && Object.hasOwn(schema.properties, segment)) {
        found.push({ schema: schema.properties[segment] as JsonSchema, document });
      } else if (typeof schema.additionalProperties === "object") {
        found.push({ schema: schema.additionalProperties, document });
      } else if (
        schema.additionalProperties === true ||
        schema.additionalProperties === undefined
      ) {
        found.push({ schema: {}, document });
      }
    } else if (type === "array") {
      const item = arrayItem(value, segment);
      const isIndex = /^\d+$/.test(segment);
      if (isIndex) {
        if (item) found.push(item);
      } else if (syntax === "template") {
        if (segment === "size") found.push({ schema: { type: "number" }, document });
        else if ((segment === "first" || segment === "last") && item) found.push(item);
      } else if (item) {
        // JSONata: a field of a list is that field of each item.
        found.push(...alternatives(item).flatMap((entry) => childOf(entry, segment, syntax)));
        if (alternatives(item).some((entry) => isAny(entry.schema)))
          found.push({ schema: {}, document });
      }
    } else if (type === "string" && syntax === "template" && segment === "size") {
      found.push({ schema: { type: "number" }, document });
    }
  }
  return found;
}

function arrayItem(value: Located, segment: string): Located | undefined {
  const { schema, document } = value;
  const index = /^\d+$/.test(segment) ? Number(segment) : undefined;
  if (index !== undefined && schema.prefixItems?.[index])
    return { schema: schema.prefixItems[index], document };
  if (schema.items && !Array.isArray(schema.items)) return { schema: schema.items, document };
  if (schema.items === undefined && schema.prefixItems === undefined)
    return { schema: {}, document };
  return undefined;
}

/** What the value at `path` offers, for a "does not exist" message. */
function whatIsAt(options: Located[], path: string, syntax: VariableSyntax): string {
  const keys = new Set<string>();
  let objectWithoutFields = false;
  const others = new Set<string>();
  for (const entry of options) {
    for (const type of typesOf(entry.schema)) {
      if (type === "object") {
        const names = Object.keys(entry.schema.properties ?? {});
        for (const name of names) keys.add(name);
        if (names.length === 0) objectWithoutFields = true;
      } else if (type !== "null") others.add(type);
    }
  }
  if (keys.size > 0) return `${path} has: ${listNames([...keys])}`;
  if (others.has("array"))
    return syntax === "template"
      ? `${path} is a list: use an index (${path}.0), first, last or size`
      : `${path} is a list: use an index, e.g. ${path}[0]`;
  if (others.has("string") && syntax === "template")
    return `${path} is a string (only ${path}.size can be read from it)`;
  if (others.size > 0) return `${path} is a ${[...others].join(" or ")}`;
  if (objectWithoutFields) return `${path} has no fields`;
  return `${path} is always empty`;
}

const MAX_LISTED = 20;

function listNames(names: readonly string[]): string {
  if (names.length <= MAX_LISTED) return names.join(", ");
  return `${names.slice(0, MAX_LISTED).join(", ")}, … (${names.length - MAX_LISTED} more)`;
}
