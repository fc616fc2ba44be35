import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NODE_KINDS } from "@/lib/nodes";
import { type AnyNodeKind, defineActionKind } from "@/lib/nodes/node-kind";
import type { WorkflowDefinition, WorkflowEdge, WorkflowNode } from "./definition";
import { availableVariables, resolveVariable, variableScopes } from "./variables";

// A stand-in for a kind with a rich output (the real AI kind is added elsewhere).
const aiKind = defineActionKind({
  kind: "ai_text",
  label: "AI text",
  description: "test kind",
  category: "ai",
  config: z.object({ prompt: z.string() }),
  output: z.object({
    text: z.string(),
    model: z.string(),
    finishReason: z.string(),
    usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
    tags: z.array(z.object({ name: z.string() })),
  }),
  sideEffects: false,
  defaultConfig: { prompt: "" },
  async execute() {
    return {
      text: "",
      model: "",
      finishReason: "",
      usage: { inputTokens: 0, outputTokens: 0 },
      tags: [],
    };
  },
});
const kinds: ReadonlyMap<string, AnyNodeKind> = new Map([...NODE_KINDS, [aiKind.kind, aiKind]]);

type NodeSpec = Partial<WorkflowNode> & { id: string };

function node(spec: NodeSpec): WorkflowNode {
  return {
    kind: "transform",
    name: spec.id,
    config: { expression: "1" },
    position: { x: 0, y: 0 },
    ...spec,
  };
}

function workflow(
  nodes: NodeSpec[],
  edges: [string, string, string?][],
  trigger: Record<string, unknown> = { type: "lifecycle_event", event: "employee.onboard" },
): WorkflowDefinition {
  return {
    schemaVersion: 1,
    nodes: [
      node({ id: "trigger", kind: "trigger", name: "Start", config: trigger }),
      ...nodes.map(node),
    ],
    edges: edges.map(
      ([from, to, label], index): WorkflowEdge => ({
        id: `e${index}`,
        from,
        to,
        ...(label ? { label } : {}),
      }),
    ),
  };
}

function resolve(
  definition: WorkflowDefinition,
  at: string,
  path: string,
  syntax: "template" | "expression" = "template",
) {
  return resolveVariable(variableScopes(definition, kinds).at(at), path, syntax);
}

const chain = workflow(
  [{ id: "ai", kind: "ai_text", name: "Draft welcome", config: { prompt: "hi" } }, { id: "last" }],
  [
    ["trigger", "ai"],
    ["ai", "last"],
  ],
);

describe("resolveVariable: the event", () => {
  it("reads the employee's fields on a lifecycle trigger", () => {
    expect(resolve(chain, "last", "employee.firstName")).toEqual({ ok: true, type: "string" });
    expect(resolve(chain, "last", "employee.manager.email")).toEqual({ ok: true, type: "string" });
    expect(resolve(chain, "last", "event.data.employee.email").ok).toBe(true);
    expect(resolve(chain, "last", "event.occurredAt").ok).toBe(true);
  });

  it("a misspelt field lists the fields there are", () => {
    const result = resolve(chain, "last", "employee.fristName");
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toMatch(
      /^"employee.fristName" does not exist; employee has: id, firstName, /,
    );
    expect(result.message).toContain("startDate");
  });

  it("any key of a record can be read", () => {
    expect(resolve(chain, "last", "employee.customFields.costCenter").ok).toBe(true);
  });

  it("a field below a string does not exist, but its size does in a template", () => {
    const below = resolve(chain, "last", "employee.firstName.initial");
    expect(below).toEqual({
      ok: false,
      message:
        '"employee.firstName.initial" does not exist; employee.firstName is a string (only employee.firstName.size can be read from it)',
    });
    expect(resolve(chain, "last", "employee.firstName.size")).toEqual({ ok: true, type: "number" });
  });

  it("a schedule has no employee, and says why", () => {
    const scheduled = workflow([{ id: "x" }], [["trigger", "x"]], {
      type: "schedule",
      cron: "0 9 * * 1",
      timezone: "Europe/Berlin",
    });
    expect(resolve(scheduled, "x", "employee.email")).toEqual({
      ok: false,
      message: '"employee" is not available: this workflow is triggered by a schedule',
    });
    expect(resolve(scheduled, "x", "event.data.slot").ok).toBe(true);
    expect(resolve(scheduled, "x", "event.data.employee").ok).toBe(false);
  });

  it("previous exists only for transfers and updates", () => {
    const onboard = resolve(chain, "last", "previous.department");
    expect(onboard.ok).toBe(false);
    if (!onboard.ok)
      expect(onboard.message).toBe(
        '"previous" is not available: only employee.transfer and employee.update events have it, and this workflow is triggered by employee.onboard',
      );
    const transfer = workflow([{ id: "x" }], [["trigger", "x"]], {
      type: "lifecycle_event",
      event: "employee.transfer",
    });
    expect(resolve(transfer, "x", "previous.department").ok).toBe(true);
  });

  it("a custom event has any data and no employee", () => {
    const custom = workflow([{ id: "x" }], [["trigger", "x"]], {
      type: "lifecycle_event",
      event: "acme.badge_requested",
    });
    expect(resolve(custom, "x", "event.data.badge.color").ok).toBe(true);
    const employee = resolve(custom, "x", "employee.email");
    expect(employee.ok).toBe(false);
    if (!employee.ok) expect(employee.message).toContain('the custom event "acme.badge_requested"');
  });

  it("a manual start has the employee", () => {
    const manual = workflow([{ id: "x" }], [["trigger", "x"]], { type: "manual" });
    expect(resolve(manual, "x", "employee.email").ok).toBe(true);
  });

  it("run and workflow are always there; an unknown root lists the roots", () => {
    expect(resolve(chain, "last", "run.isTest")).toEqual({ ok: true, type: "boolean" });
    expect(resolve(chain, "last", "workflow.version")).toEqual({ ok: true, type: "number" });
    const unknown = resolve(chain, "last", "emplyee.email");
    expect(unknown.ok).toBe(false);
    if (!unknown.ok)
      expect(unknown.message).toBe(
        '"emplyee.email" does not exist; the variables here are employee, event, run, workflow, nodes',
      );
  });
});

describe("resolveVariable: node outputs", () => {
  it("reads an earlier node's output by its schema", () => {
    expect(resolve(chain, "last", "nodes.ai.output.text")).toEqual({ ok: true, type: "string" });
    expect(resolve(chain, "last", "nodes.ai.output.usage.inputTokens").ok).toBe(true);
  });

  it("a misspelt output field lists the fields there are", () => {
    expect(resolve(chain, "last", "nodes.ai.output.txt")).toEqual({
      ok: false,
      message:
        '"nodes.ai.output.txt" does not exist; nodes.ai.output has: text, model, finishReason, usage, tags',
    });
    expect(resolve(chain, "last", "nodes.ai.result")).toEqual({
      ok: false,
      message: '"nodes.ai.result" does not exist; nodes.ai has: output',
    });
  });

  it("lists: an index, first, last and size in a template; a field maps over the items in an expression", () => {
    expect(resolve(chain, "last", "nodes.ai.output.tags.first.name").ok).toBe(true);
    expect(resolve(chain, "last", "nodes.ai.output.tags.0.name").ok).toBe(true);
    expect(resolve(chain, "last", "nodes.ai.output.tags.size")).toEqual({
      ok: true,
      type: "number",
    });
    const field = resolve(chain, "last", "nodes.ai.output.tags.name");
    expect(field.ok).toBe(false);
    if (!field.ok) expect(field.message).toContain("nodes.ai.output.tags is a list: use an index");
    expect(resolve(chain, "last", "nodes.ai.output.tags.name", "expression").ok).toBe(true);
    expect(resolve(chain, "last", "nodes.ai.output.tags.colour", "expression").ok).toBe(false);
  });

  it("a node with an output of any shape can be read at any depth", () => {
    const definition = workflow(
      [{ id: "shape" }, { id: "use" }],
      [
        ["trigger", "shape"],
        ["shape", "use"],
      ],
    );
    expect(resolve(definition, "use", "nodes.shape.output.a.b.c")).toEqual({
      ok: true,
      type: "any",
    });
  });

  it("a node on only one side of a condition is not available after the merge, and says why", () => {
    const definition = workflow(
      [
        { id: "check", kind: "condition", config: { expression: "true" } },
        { id: "lookup", name: "Look up user" },
        { id: "other" },
        { id: "merge" },
      ],
      [
        ["trigger", "check"],
        ["check", "lookup", "true"],
        ["check", "other", "false"],
        ["lookup", "merge"],
        ["other", "merge"],
      ],
    );
    expect(resolve(definition, "merge", "nodes.lookup.output")).toEqual({
      ok: false,
      message:
        '"nodes.lookup" is not available here: "Look up user" is not on every path to this node',
    });
    expect(resolve(definition, "merge", "nodes.check.output.result").ok).toBe(true);
  });

  it("a node's own output, a later node's and a missing node's are not available", () => {
    expect(resolve(chain, "ai", "nodes.ai.output.text")).toEqual({
      ok: false,
      message: '"nodes.ai" is not available here: a node cannot use its own output',
    });
    expect(resolve(chain, "ai", "nodes.last.output")).toEqual({
      ok: false,
      message: '"nodes.last" is not available here: "last" runs after this node',
    });
    expect(resolve(chain, "last", "nodes.nope.output")).toEqual({
      ok: false,
      message:
        '"nodes.nope" does not exist: there is no node with id "nope"; nodes here: trigger, ai',
    });
  });
});

describe("resolveVariable: loops and compensation", () => {
  it("item and index exist only with the loop's extra scope", () => {
    const definition = workflow([{ id: "x" }], [["trigger", "x"]]);
    const scopes = variableScopes(definition, kinds);
    const inLoop = scopes.at("x", { item: z.unknown(), index: z.number() });
    expect(resolveVariable(inLoop, "item.name").ok).toBe(true);
    expect(resolveVariable(inLoop, "index")).toEqual({ ok: true, type: "number" });
    expect(resolveVariable(scopes.at("x"), "item")).toEqual({
      ok: false,
      message: '"item" is not available: only the action inside a loop has it',
    });
  });

  it("a compensation branch has failure and what the failed node could read, not the failed node", () => {
    const definition = workflow(
      [
        { id: "prepare" },
        { id: "create", name: "Create account", protected: true },
        { id: "after" },
        { id: "undo", name: "Undo" },
        { id: "notify" },
      ],
      [
        ["trigger", "prepare"],
        ["prepare", "create"],
        ["create", "after"],
        ["create", "undo", "compensation"],
        ["undo", "notify"],
      ],
    );
    expect(resolve(definition, "notify", "failure.message")).toEqual({ ok: true, type: "string" });
    expect(resolve(definition, "notify", "nodes.prepare.output").ok).toBe(true);
    expect(resolve(definition, "notify", "nodes.undo.output").ok).toBe(true);
    expect(resolve(definition, "notify", "nodes.create.output")).toEqual({
      ok: false,
      message:
        '"nodes.create" is not available here: "Create account" is the node that failed; read its error from failure.message',
    });
    expect(resolve(definition, "notify", "nodes.after.output").ok).toBe(false);
    expect(resolve(definition, "after", "failure")).toEqual({
      ok: false,
      message: '"failure" is not available: only nodes in a compensation branch have it',
    });
  });
});

describe("availableVariables", () => {
  it("lists the event's and earlier nodes' variables with types and descriptions", () => {
    const variables = availableVariables(chain, "last", { kinds });
    const byPath = new Map(variables.map((variable) => [variable.path, variable]));
    expect(byPath.get("employee.firstName")).toEqual({
      path: "employee.firstName",
      type: "string",
    });
    expect(byPath.get("employee.id")?.description).toBe("The employee's id in the HR system");
    expect(byPath.get("employee.manager.email")?.type).toBe("string");
    expect(byPath.get("employee.customFields")?.type).toBe("object");
    expect(byPath.get("run.isTest")?.type).toBe("boolean");
    expect(byPath.get("nodes.ai.output")?.description).toBe('Output of "Draft welcome"');
    expect(byPath.get("nodes.ai.output.usage.inputTokens")?.type).toBe("number");
    expect(byPath.get("nodes.ai.output.tags")?.type).toBe("array<object>");
    expect(byPath.get("nodes.trigger.output.eventType")?.type).toBe("string");
    expect(byPath.has("previous")).toBe(false);
    expect(byPath.has("failure")).toBe(false);
    expect(byPath.has("nodes.last.output")).toBe(false);
  });

  it("every listed variable resolves", () => {
    const scope = variableScopes(chain, kinds).at("last");
    for (const variable of availableVariables(chain, "last", { kinds }))
      expect(resolveVariable(scope, variable.path), variable.path).toMatchObject({ ok: true });
  });

  it("includes a loop's extra variables when asked", () => {
    const paths = availableVariables(chain, "last", {
      kinds,
      extraScope: { item: z.object({ group: z.string() }), index: z.number() },
    }).map((variable) => variable.path);
    expect(paths).toEqual(expect.arrayContaining(["item", "item.group", "index"]));
  });
});
