import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NODE_KINDS } from "@/lib/nodes";
import { type AnyNodeKind, defineActionKind } from "@/lib/nodes/node-kind";
import type { WorkflowDefinition } from "./definition";
import {
  type DefinitionProblem,
  MAX_RUN_STEPS,
  PROBLEM_CODES,
  type ValidationLookups,
  validateDefinition,
  validateDefinitionSync,
} from "./validate";

// A kind made for these tests: nested template fields, an expression field, a
// field the engine leaves unrendered and a credential field, without any of
// the real kinds' own rules getting in the way.
const notifyKind = defineActionKind({
  kind: "notify",
  label: "Notify",
  description: "test kind",
  category: "messaging",
  config: z
    .object({
      text: z.string().min(1, "is required"),
      headers: z.record(z.string(), z.string()).optional(),
      lines: z.array(z.string()).optional(),
      when: z.string().optional(),
      later: z.string().optional(),
      credentialId: z.string().optional(),
    })
    .strict(),
  output: z.object({ delivered: z.boolean() }),
  sideEffects: false,
  expressionFields: ["when"],
  unrenderedFields: ["later"],
  credentialFields: { credentialId: ["slack"] },
  defaultConfig: { text: "hi" },
  async execute() {
    return { delivered: true };
  },
});
const kinds: ReadonlyMap<string, AnyNodeKind> = new Map([
  ...NODE_KINDS,
  [notifyKind.kind, notifyKind],
]);

type NodeSpec = {
  id: string;
  kind?: string;
  name?: string;
  config?: Record<string, unknown>;
  protected?: boolean;
};
type EdgeSpec = [from: string, to: string, label?: string];

const ONBOARD = { type: "lifecycle_event", event: "employee.onboard" };
const capitalized = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);

/** A definition with a trigger ("trigger", "Employee joins") and the given nodes and edges (ids e1, e2, …). */
function workflow(
  nodes: NodeSpec[],
  edges: EdgeSpec[],
  trigger: Record<string, unknown> = ONBOARD,
): WorkflowDefinition {
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee joins",
        config: trigger,
        position: { x: 0, y: 0 },
      },
      ...nodes.map((spec) => ({
        kind: "transform",
        name: capitalized(spec.id),
        config: spec.kind === undefined ? { expression: "1" } : {},
        position: { x: 0, y: 0 },
        ...spec,
      })),
    ],
    edges: edges.map(([from, to, label], index) => ({
      id: `e${index + 1}`,
      from,
      to,
      ...(label ? { label } : {}),
    })),
  };
}

function problemsOf(input: unknown): DefinitionProblem[] {
  return validateDefinitionSync(input, { kinds }).problems;
}

function codes(problems: DefinitionProblem[]) {
  return problems.map((problem) => problem.code);
}

/** The one problem a definition has; fails if it has none or several. */
function onlyProblem(input: unknown): DefinitionProblem {
  const problems = problemsOf(input);
  expect(problems, JSON.stringify(problems, null, 2)).toHaveLength(1);
  return problems[0] as DefinitionProblem;
}

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

describe("a valid definition", () => {
  it("the smallest workflow has no problems and comes back parsed", () => {
    const input = workflow([{ id: "step" }], [["trigger", "step"]]);
    const result = validateDefinitionSync(input, { kinds });
    expect(result.problems).toEqual([]);
    expect(result.definition?.nodes).toHaveLength(2);
  });

  it("a realistic onboarding workflow has no problems", async () => {
    const definition = {
      schemaVersion: 1,
      nodes: [
        {
          id: "trigger",
          kind: "trigger",
          name: "Employee joins",
          config: { type: "lifecycle_event", event: "employee.onboard" },
        },
        {
          id: "welcome",
          kind: "ai_text",
          name: "Draft welcome note",
          config: {
            credentialId: uuid(1),
            prompt:
              "Write a warm welcome for {{ employee.firstName }} {{ employee.lastName }}, who joins {{ employee.department | default: 'the team' }} as {{ employee.title }}.",
          },
        },
        {
          id: "profile",
          kind: "transform",
          name: "Build profile",
          config: {
            expression:
              '{ "fullName": employee.firstName & " " & employee.lastName, "engineer": employee.department = "Engineering", "note": nodes.welcome.output.text }',
          },
        },
        {
          id: "is_engineer",
          kind: "condition",
          name: "Is an engineer?",
          config: { expression: "nodes.profile.output.engineer = true" },
        },
        {
          id: "accounts",
          kind: "transform",
          name: "Plan accounts",
          config: { expression: '{ "github": employee.email, "groups": ["eng"] }' },
        },
        {
          id: "laptop",
          kind: "transform",
          name: "Plan laptop",
          config: { expression: '{ "model": employee.location = "Berlin" ? "X1" : "MBP" }' },
        },
        {
          id: "other",
          kind: "transform",
          name: "Non-engineering setup",
          config: { expression: '{ "groups": ["staff"] }' },
        },
        {
          id: "join",
          kind: "transform",
          name: "Collect the plan",
          config: {
            expression:
              '{ "accounts": nodes.accounts.output, "laptop": nodes.laptop.output.model, "for": nodes.profile.output.fullName }',
          },
        },
        {
          id: "approve",
          kind: "approval",
          name: "Manager approves",
          config: {
            approvers: "{{ employee.manager.email }}",
            title: "Approve the setup for {{ nodes.profile.output.fullName }}",
            message:
              "Laptop: {{ nodes.join.output.laptop }}{% for group in nodes.accounts.output.groups %} {{ group }}{% endfor %}",
            timeout: { amount: 2, unit: "days" },
          },
        },
        {
          id: "wait_start",
          kind: "delay",
          name: "Wait for the start date",
          config: {
            mode: "until",
            date: "{{ employee.startDate }}",
            time: "09:00",
            timeZone: "{{ employee.timeZone }}",
          },
        },
        {
          id: "rejected",
          kind: "transform",
          name: "Record the rejection",
          config: { expression: '{ "by": nodes.approve.output.decidedBy }' },
        },
        {
          id: "escalate",
          kind: "transform",
          name: "Escalate",
          config: { expression: '{ "who": employee.manager.email }' },
        },
      ],
      edges: [
        { id: "e1", from: "trigger", to: "welcome" },
        { id: "e2", from: "welcome", to: "profile" },
        { id: "e3", from: "profile", to: "is_engineer" },
        { id: "e4", from: "is_engineer", to: "accounts", label: "true" },
        { id: "e5", from: "is_engineer", to: "laptop", label: "true" },
        { id: "e6", from: "is_engineer", to: "other", label: "false" },
        { id: "e7", from: "accounts", to: "join" },
        { id: "e8", from: "laptop", to: "join" },
        { id: "e9", from: "join", to: "approve" },
        { id: "e10", from: "approve", to: "wait_start", label: "approved" },
        { id: "e11", from: "approve", to: "rejected", label: "rejected" },
        { id: "e12", from: "approve", to: "escalate", label: "timeout" },
      ],
    };
    const result = validateDefinitionSync(definition);
    expect(result.problems).toEqual([]);
    expect(result.definition?.nodes).toHaveLength(12);

    const lookups: ValidationLookups = {
      workflowId: uuid(99),
      lookupCredential: async (id) => ({ id, name: "OpenAI", kind: "openai" }),
      lookupWorkflow: async () => null,
    };
    expect((await validateDefinition(definition, lookups)).problems).toEqual([]);
  });
});

describe("rule 1: structure", () => {
  it.each([
    ["null", null],
    ["a string", "workflow"],
    ["a number", 42],
    ["a list", []],
  ])("%s gives a problem, not an exception", (_, input) => {
    const problem = onlyProblem(input);
    expect(problem.code).toBe("invalid_structure");
    expect(problem.message).toMatch(/must be an object with schemaVersion, nodes and edges/);
  });

  it("nodes that are not a list give a problem with the field", () => {
    const problems = problemsOf({ schemaVersion: 1, nodes: "x", edges: [] });
    expect(problems).toEqual([
      expect.objectContaining({ code: "invalid_structure", field: "nodes" }),
    ]);
    expect(problems[0]?.message).toMatch(/^Workflow definition: nodes: .*expected array/);
  });

  it("a node's bad field is reported on that node", () => {
    const input = workflow([{ id: "step" }], [["trigger", "step"]]);
    (input.nodes[1] as { name: string }).name = "  ";
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "invalid_structure", nodeId: "step", field: "name" });
    expect(problem.message).toBe("Node step: name: must not be empty");
    expect(validateDefinitionSync(input, { kinds }).definition).toBeNull();
  });

  it("an edge's missing field is reported on that edge", () => {
    const input = workflow([{ id: "step" }], [["trigger", "step"]]) as unknown as {
      edges: Record<string, unknown>[];
    };
    input.edges.push({ id: "dangling", from: "step" });
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "invalid_structure", edgeId: "dangling", field: "to" });
    expect(problem.message).toBe("Edge dangling: to: is required");
  });

  it("an unknown top-level key names the key", () => {
    const input = { ...workflow([{ id: "step" }], [["trigger", "step"]]), extra: true };
    expect(onlyProblem(input)).toMatchObject({ code: "invalid_structure", field: "extra" });
  });

  it("the other rules still run on what could be read", () => {
    const input = workflow(
      [
        { id: "step", name: "" },
        { id: "fax", kind: "fax" },
      ],
      [
        ["trigger", "step"],
        ["step", "fax"],
      ],
    );
    expect(codes(problemsOf(input))).toEqual(["invalid_structure", "unknown_kind"]);
  });

  it("garbage inside the lists never throws", () => {
    let deep: Record<string, unknown> = {};
    for (let level = 0; level < 5000; level++) deep = { deep };
    const inputs = [
      { schemaVersion: 1, nodes: [null, 1, "x", [], { id: 5 }], edges: [null, { id: 1 }] },
      { schemaVersion: 1, nodes: [{ id: "a", kind: "notify", name: "A", config: [] }], edges: 5 },
      workflow(
        [{ id: "step", kind: "notify", config: { text: "hi", headers: deep } }],
        [["trigger", "step"]],
      ),
      { nodes: [{ id: "trigger", kind: "trigger", name: "T", config: null }] },
    ];
    for (const input of inputs) {
      expect(() => validateDefinitionSync(input, { kinds })).not.toThrow();
      expect(problemsOf(input).length).toBeGreaterThan(0);
    }
  });
});

describe("rule 2: ids and edges", () => {
  it("a repeated node id", () => {
    const input = workflow([{ id: "step" }, { id: "step", name: "Second" }], [["trigger", "step"]]);
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "duplicate_node_id", nodeId: "step", field: "id" });
    expect(problem.message).toBe(
      'Node "Second" (step): id: the id "step" is also used by "Step" (step); give each node its own id',
    );
  });

  it("a repeated edge id", () => {
    const input = workflow(
      [{ id: "a" }, { id: "b" }],
      [
        ["trigger", "a"],
        ["a", "b"],
      ],
    );
    (input.edges[1] as { id: string }).id = "e1";
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "duplicate_edge_id", edgeId: "e1", field: "id" });
    expect(problem.message).toContain('Edge e1 ("A" → "B")');
  });

  it("an edge to a node that does not exist", () => {
    const input = workflow(
      [{ id: "step" }],
      [
        ["trigger", "step"],
        ["step", "ghost"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "unknown_edge_endpoint", edgeId: "e2", field: "to" });
    expect(problem.message).toBe('Edge e2 ("Step" → ghost): to: there is no node with id "ghost"');
  });

  it("an edge from a node to itself", () => {
    const input = workflow(
      [{ id: "step" }],
      [
        ["trigger", "step"],
        ["step", "step"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "self_loop", edgeId: "e2" });
    expect(problem.message).toMatch(/connects "Step" \(step\) to itself/);
  });

  it("the same edge twice", () => {
    const input = workflow(
      [{ id: "step" }],
      [
        ["trigger", "step"],
        ["trigger", "step"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "duplicate_edge", edgeId: "e2" });
    expect(problem.message).toMatch(/repeats edge e1/);
  });
});

describe("rule 3: one trigger", () => {
  it("no trigger", () => {
    const input = workflow([{ id: "step" }], []);
    input.nodes.shift();
    const problem = onlyProblem(input);
    expect(problem.code).toBe("missing_trigger");
    expect(problem.nodeId).toBeUndefined();
    expect(problem.message).toMatch(/add a Trigger node/);
  });

  it("two triggers", () => {
    const input = workflow(
      [{ id: "again", kind: "trigger", name: "Again", config: { type: "manual" } }],
      [],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "multiple_triggers", nodeId: "again" });
    expect(problem.message).toMatch(/"Employee joins" \(trigger\) is already one/);
  });

  it("an edge into the trigger", () => {
    const input = workflow(
      [{ id: "step" }],
      [
        ["trigger", "step"],
        ["step", "trigger"],
      ],
    );
    const problems = problemsOf(input);
    // Any edge into the trigger from a node it reaches also closes a cycle.
    expect(codes(problems).sort()).toEqual(["cycle", "trigger_has_incoming_edge"]);
    expect(problems.find((problem) => problem.code === "trigger_has_incoming_edge")).toMatchObject({
      edgeId: "e2",
      field: "to",
      message:
        'Edge e2 ("Step" → "Employee joins"): to: the trigger starts the workflow, so no edge may lead into it',
    });
  });

  it("a protected trigger", () => {
    const input = workflow([{ id: "step" }], [["trigger", "step"]]);
    input.nodes[0] = {
      ...(input.nodes[0] as WorkflowDefinition["nodes"][number]),
      protected: true,
    };
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({
      code: "trigger_protected",
      nodeId: "trigger",
      field: "protected",
    });
    expect(problem.message).toMatch(
      /^Node "Employee joins" \(trigger\): protected: the trigger cannot be protected/,
    );
  });
});

describe("rules 4–6: kinds and graph", () => {
  it("an unknown kind lists the kinds", () => {
    const problem = onlyProblem(workflow([{ id: "fax", kind: "fax" }], [["trigger", "fax"]]));
    expect(problem).toMatchObject({ code: "unknown_kind", nodeId: "fax", field: "kind" });
    expect(problem.message).toMatch(
      /"fax" is not a node kind; the kinds are: trigger, condition, .*notify/,
    );
  });

  it("a cycle names its nodes", () => {
    const input = workflow(
      [{ id: "a" }, { id: "b" }, { id: "c" }],
      [
        ["trigger", "a"],
        ["a", "b"],
        ["b", "c"],
        ["c", "a"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "cycle", nodeId: "a" });
    expect(problem.message).toMatch(/these nodes form a cycle: "A" → "B" → "C" → "A"/);
  });

  it("a node the trigger does not lead to", () => {
    const problem = onlyProblem(workflow([{ id: "lonely" }], []));
    expect(problem).toMatchObject({ code: "unreachable_node", nodeId: "lonely" });
    expect(problem.message).toBe(
      'Node "Lonely" (lonely): no path leads here from the trigger "Employee joins" (trigger), so it would never run; connect it or delete it',
    );
  });
});

describe("rule 7: config", () => {
  it("a config that does not fit its kind, field by field", () => {
    const input = workflow(
      [{ id: "shape", kind: "transform", config: { expression: " ", colour: "red" } }],
      [["trigger", "shape"]],
    );
    const problems = problemsOf(input);
    expect(problems).toEqual([
      expect.objectContaining({ code: "invalid_config", nodeId: "shape", field: "expression" }),
      expect.objectContaining({ code: "invalid_config", nodeId: "shape", field: "colour" }),
    ]);
    expect(problems[0]?.message).toBe('Node "Shape" (shape): expression: is required');
    expect(problems[1]?.message).toBe('Node "Shape" (shape): colour: is not a known field');
  });

  it("the kind's own check", () => {
    const input = workflow(
      [
        {
          id: "route",
          kind: "switch",
          config: {
            value: "employee.location",
            cases: [
              { label: "Berlin", equals: "Berlin" },
              { label: "Berlin", equals: "BER" },
            ],
          },
        },
      ],
      [["trigger", "route"]],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({
      code: "config_check_failed",
      nodeId: "route",
      field: "cases.1.label",
    });
    expect(problem.message).toBe('Node "Route" (route): cases.1.label: "Berlin" is used twice');
  });
});

describe("rule 8: branch labels and compensation", () => {
  const check = { id: "check", kind: "condition", config: { expression: "true" } };

  it("an unlabelled edge out of a branching node lists the labels", () => {
    const input = workflow(
      [check, { id: "next" }],
      [
        ["trigger", "check"],
        ["check", "next"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "missing_branch_label", edgeId: "e2", field: "label" });
    expect(problem.message).toMatch(
      /"Check" \(check\) has several outcomes: .* one of: true, false$/,
    );
  });

  it("a label the node does not have", () => {
    const input = workflow(
      [check, { id: "next" }],
      [
        ["trigger", "check"],
        ["check", "next", "maybe"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "unknown_branch_label", edgeId: "e2", field: "label" });
    expect(problem.message).toMatch(
      /"maybe" is not an outcome of "Check" \(check\); use one of: true, false/,
    );
  });

  it("a label on an edge out of a node with one way on", () => {
    const input = workflow(
      [{ id: "a" }, { id: "b" }],
      [
        ["trigger", "a"],
        ["a", "b", "true"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({ code: "unexpected_edge_label", edgeId: "e2", field: "label" });
    expect(problem.message).toMatch(
      /"A" \(a\) has a single way on, so its edges take no label: remove "true"/,
    );
  });

  it("a compensation edge out of a node that is not protected", () => {
    const input = workflow(
      [{ id: "a" }, { id: "undo" }],
      [
        ["trigger", "a"],
        ["a", "undo", "compensation"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({
      code: "compensation_from_unprotected_node",
      edgeId: "e2",
      field: "label",
    });
    expect(problem.message).toMatch(/mark "A" \(a\) as protected/);
  });

  it("a protected node without a compensation branch", () => {
    const input = workflow([{ id: "a", protected: true }], [["trigger", "a"]]);
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({
      code: "missing_compensation_edge",
      nodeId: "a",
      field: "protected",
    });
  });

  it("a node on the normal flow and in a compensation branch", () => {
    const input = workflow(
      [{ id: "a", protected: true }, { id: "shared" }],
      [
        ["trigger", "a"],
        ["a", "shared"],
        ["a", "shared", "compensation"],
      ],
    );
    const problem = onlyProblem(input);
    expect(problem).toMatchObject({
      code: "node_in_normal_and_compensation_flow",
      nodeId: "shared",
    });
    expect(problem.message).toMatch(/compensation branch of "A" \(a\)/);
  });

  it("a protected node's compensation branch is fine next to its branches", () => {
    const input = workflow(
      [
        { ...check, protected: true },
        { id: "yes" },
        {
          id: "undo",
          kind: "notify",
          config: { text: "{{ failure.message }} {{ failure.nodeName }}" },
        },
      ],
      [
        ["trigger", "check"],
        ["check", "yes", "true"],
        ["check", "undo", "compensation"],
      ],
    );
    expect(problemsOf(input)).toEqual([]);
  });
});

describe("rule 9: templates", () => {
  const notify = (config: Record<string, unknown>) =>
    workflow(
      [{ id: "welcome", kind: "notify", name: "Welcome email", config }],
      [["trigger", "welcome"]],
    );

  it("a template that does not parse", () => {
    const problem = onlyProblem(notify({ text: "Hi {{ employee.firstName " }));
    expect(problem).toMatchObject({ code: "template_syntax", nodeId: "welcome", field: "text" });
    expect(problem.message).toMatch(
      /^Node "Welcome email" \(welcome\): text: template syntax error/,
    );
  });

  it("a variable that does not exist, with the path of a nested field", () => {
    const problem = onlyProblem(
      notify({ text: "hi", headers: { "X-Employee": "{{ employee.fristName }}" } }),
    );
    expect(problem).toMatchObject({
      code: "template_variable",
      nodeId: "welcome",
      field: "headers.X-Employee",
    });
    expect(problem.message).toMatch(
      /^Node "Welcome email" \(welcome\): headers.X-Employee: template variable "employee.fristName" does not exist; employee has: id, firstName, lastName, /,
    );
  });

  it("strings in lists are templates too", () => {
    const problem = onlyProblem(notify({ text: "hi", lines: ["ok", "{{ employe.email }}"] }));
    expect(problem).toMatchObject({ code: "template_variable", field: "lines.1" });
  });

  it("a variable the trigger does not give", () => {
    const input = workflow(
      [{ id: "weekly", kind: "notify", config: { text: "Hi {{ employee.firstName }}" } }],
      [["trigger", "weekly"]],
      { type: "schedule", cron: "0 9 * * 1", timezone: "Europe/Berlin" },
    );
    expect(onlyProblem(input).message).toBe(
      'Node "Weekly" (weekly): text: template variable "employee" is not available: this workflow is triggered by a schedule',
    );
  });

  it("expression and unrendered fields are not read as templates", () => {
    expect(problemsOf(notify({ text: "hi", later: "{{ nothing.here }}" }))).toEqual([]);
    expect(codes(problemsOf(notify({ text: "hi", when: "{{ x }}" })))).toEqual([
      "expression_syntax",
    ]);
  });

  it("loop-local and assigned variables are not looked up", () => {
    const text =
      "{% assign who = employee.firstName %}{{ who }}{% for line in employee.customFields %}{{ line }}{% endfor %}";
    expect(problemsOf(notify({ text }))).toEqual([]);
  });
});

describe("rule 10: expressions", () => {
  it("an expression that does not parse says where", () => {
    const problem = onlyProblem(
      workflow(
        [{ id: "shape", kind: "transform", config: { expression: "employee.firstName &" } }],
        [["trigger", "shape"]],
      ),
    );
    expect(problem).toMatchObject({
      code: "expression_syntax",
      nodeId: "shape",
      field: "expression",
    });
    expect(problem.message).toMatch(
      /^Node "Shape" \(shape\): expression: expression syntax error at position \d+/,
    );
  });

  it("a path that does not exist", () => {
    const problem = onlyProblem(
      workflow(
        [{ id: "shape", kind: "transform", config: { expression: '{ "n": employee.fristName }' } }],
        [["trigger", "shape"]],
      ),
    );
    expect(problem).toMatchObject({ code: "expression_variable", field: "expression" });
    expect(problem.message).toMatch(
      /expression path "employee.fristName" does not exist; employee has: /,
    );
  });

  it("a path with an unknown root", () => {
    const problem = onlyProblem(
      workflow(
        [{ id: "check", kind: "condition", config: { expression: 'person.department = "IT"' } }],
        [["trigger", "check"]],
      ),
    );
    expect(problem).toMatchObject({ code: "expression_variable", field: "expression" });
    expect(problem.message).toMatch(
      /"person.department" does not exist; the variables here are employee/,
    );
  });

  it("the trigger's filter is checked too", () => {
    const input = workflow([{ id: "a" }], [["trigger", "a"]], {
      type: "lifecycle_event",
      event: "employee.onboard",
      filter: 'employee.departmnet = "Sales"',
    });
    expect(onlyProblem(input)).toMatchObject({
      code: "expression_variable",
      nodeId: "trigger",
      field: "filter",
    });
  });
});

describe("which node outputs are in reach", () => {
  const branching = (useAt: "lookup" | "merge") =>
    workflow(
      [
        { id: "check", kind: "condition", config: { expression: "true" } },
        { id: "lookup", kind: "notify", name: "Look up user", config: { text: "x" } },
        { id: "other" },
        { id: "after", kind: "notify", config: { text: "{{ nodes.lookup.output.delivered }}" } },
        { id: "merge", kind: "notify", config: { text: "ok" } },
      ],
      useAt === "lookup"
        ? [
            ["trigger", "check"],
            ["check", "lookup", "true"],
            ["check", "other", "false"],
            ["lookup", "after"],
            ["after", "merge"],
            ["other", "merge"],
          ]
        : [
            ["trigger", "check"],
            ["check", "lookup", "true"],
            ["check", "other", "false"],
            ["lookup", "merge"],
            ["other", "merge"],
            ["merge", "after"],
          ],
    );

  it("a node's output on one side of a condition may be used on that side", () => {
    expect(problemsOf(branching("lookup"))).toEqual([]);
  });

  it("a node's output on one side of a condition may not be used after the merge", () => {
    const problem = onlyProblem(branching("merge"));
    expect(problem).toMatchObject({ code: "template_variable", nodeId: "after", field: "text" });
    expect(problem.message).toBe(
      'Node "After" (after): text: template variable "nodes.lookup" is not available here: "Look up user" is not on every path to this node',
    );
  });

  it("a join after parallel branches may use both branches' outputs", () => {
    const input = workflow(
      [
        { id: "left", kind: "notify", config: { text: "l" } },
        { id: "right", kind: "notify", config: { text: "r" } },
        {
          id: "join",
          kind: "notify",
          config: { text: "{{ nodes.left.output.delivered }} {{ nodes.right.output.delivered }}" },
        },
      ],
      [
        ["trigger", "left"],
        ["trigger", "right"],
        ["left", "join"],
        ["right", "join"],
      ],
    );
    expect(problemsOf(input)).toEqual([]);
  });

  it("a node's own output and a later node's are not in reach", () => {
    const input = workflow(
      [
        {
          id: "first",
          kind: "notify",
          config: { text: "{{ nodes.first.output }} {{ nodes.second.output }}" },
        },
        { id: "second", kind: "notify", config: { text: "x" } },
      ],
      [
        ["trigger", "first"],
        ["first", "second"],
      ],
    );
    const messages = problemsOf(input).map((problem) => problem.message);
    expect(messages).toEqual([
      'Node "First" (first): text: template variable "nodes.first" is not available here: a node cannot use its own output',
      'Node "First" (first): text: template variable "nodes.second" is not available here: "Second" runs after this node',
    ]);
  });
});

describe("rule 11: nested actions", () => {
  const loop = (action: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    workflow(
      [
        {
          id: "groups",
          kind: "loop",
          name: "Add to groups",
          config: {
            items: 'employee.customFields.groups ~> $split(",")',
            maxItems: 10,
            action,
            ...extra,
          },
        },
      ],
      [["trigger", "groups"]],
    );

  it("a valid nested action may use item and index", () => {
    expect(
      problemsOf(
        loop({
          kind: "notify",
          config: { text: "{{ index }}: {{ item }} for {{ employee.email }}" },
        }),
      ),
    ).toEqual([]);
  });

  it("a kind that does not exist", () => {
    const problem = onlyProblem(loop({ kind: "fax", config: {} }));
    expect(problem).toMatchObject({
      code: "nested_unknown_kind",
      nodeId: "groups",
      field: "action.kind",
    });
    expect(problem.message).toMatch(
      /"fax" is not a node kind; this node can run one of: .*transform/,
    );
  });

  it("a kind that waits cannot run inside a loop", () => {
    const problem = onlyProblem(
      loop({ kind: "delay", config: { mode: "duration", duration: { amount: 1, unit: "days" } } }),
    );
    expect(problem).toMatchObject({ code: "nested_kind_not_allowed", field: "action.kind" });
    expect(problem.message).toMatch(
      /"Delay" \(delay\) cannot run inside "Add to groups" \(groups\)/,
    );
  });

  it("the trigger cannot run inside a loop", () => {
    expect(onlyProblem(loop({ kind: "trigger", config: { type: "manual" } })).code).toBe(
      "nested_kind_not_allowed",
    );
  });

  it("a nested config that does not fit its kind", () => {
    const problem = onlyProblem(loop({ kind: "transform", config: {} }));
    expect(problem).toMatchObject({
      code: "nested_invalid_config",
      nodeId: "groups",
      field: "action.config.expression",
    });
    expect(problem.message).toBe(
      'Node "Add to groups" (groups): action.config.expression: is required',
    );
  });

  it("a nested template with an unknown variable", () => {
    const problem = onlyProblem(loop({ kind: "notify", config: { text: "{{ itme }}" } }));
    expect(problem).toMatchObject({ code: "template_variable", field: "action.config.text" });
    expect(problem.message).toMatch(
      /template variable "itme" does not exist; the variables here are .*item, index/,
    );
  });

  it("a nested expression with an unknown variable", () => {
    const problem = onlyProblem(
      loop({ kind: "transform", config: { expression: "item.name & idx" } }),
    );
    expect(problem).toMatchObject({
      code: "expression_variable",
      field: "action.config.expression",
    });
    expect(problem.message).toMatch(/"idx" does not exist/);
  });
});

describe("rule 12: credentials (with lookups only)", () => {
  const input = workflow(
    [{ id: "ping", kind: "notify", name: "Ping", config: { text: "hi", credentialId: uuid(7) } }],
    [["trigger", "ping"]],
  );

  it("are not checked without lookups", () => {
    expect(problemsOf(input)).toEqual([]);
  });

  it("a credential that does not exist", async () => {
    const { problems } = await validateDefinition(input, {
      kinds,
      lookupCredential: async () => null,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        code: "credential_not_found",
        nodeId: "ping",
        field: "credentialId",
      }),
    ]);
    expect(problems[0]?.message).toMatch(
      /the credential "0+-0000-4000-8000-0+7" does not exist .* choose a Slack credential/,
    );
  });

  it("a credential of the wrong kind", async () => {
    const { problems } = await validateDefinition(input, {
      kinds,
      lookupCredential: async (id) => ({ id, name: "Mail", kind: "resend" }),
    });
    expect(problems).toEqual([
      expect.objectContaining({
        code: "credential_wrong_kind",
        nodeId: "ping",
        field: "credentialId",
      }),
    ]);
    expect(problems[0]?.message).toBe(
      'Node "Ping" (ping): credentialId: "Mail" is a Resend credential, but this field needs a Slack credential',
    );
  });

  it("a nested action's credential is checked too", async () => {
    const nested = workflow(
      [
        {
          id: "each",
          kind: "loop",
          config: {
            items: "[1, 2]",
            action: { kind: "notify", config: { text: "{{ item }}", credentialId: uuid(8) } },
          },
        },
      ],
      [["trigger", "each"]],
    );
    const { problems } = await validateDefinition(nested, {
      kinds,
      lookupCredential: async () => null,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        code: "credential_not_found",
        field: "action.config.credentialId",
      }),
    ]);
  });
});

describe("rule 13: sub-workflows (with lookups only)", () => {
  const SELF = uuid(1);
  const IT = uuid(2);
  const ACCOUNTS = uuid(3);
  const calling = (workflowId: string) =>
    workflow(
      [{ id: "sub", kind: "sub_workflow", name: "Run IT setup", config: { workflowId } }],
      [["trigger", "sub"]],
    );
  const records: Record<
    string,
    { id: string; name: string; activeDefinition: WorkflowDefinition | null }
  > = {
    [SELF]: { id: SELF, name: "Onboarding", activeDefinition: null },
    [IT]: { id: IT, name: "IT setup", activeDefinition: calling(ACCOUNTS) },
    [ACCOUNTS]: { id: ACCOUNTS, name: "Accounts", activeDefinition: calling(SELF) },
  };
  const lookupWorkflow = async (id: string) => records[id] ?? null;

  it("are not checked without lookups", () => {
    expect(problemsOf(calling(uuid(50)))).toEqual([]);
  });

  it("a workflow that does not exist", async () => {
    const { problems } = await validateDefinition(calling(uuid(50)), { kinds, lookupWorkflow });
    expect(problems).toEqual([
      expect.objectContaining({
        code: "sub_workflow_not_found",
        nodeId: "sub",
        field: "workflowId",
      }),
    ]);
  });

  it("a workflow that is not published", async () => {
    const { problems } = await validateDefinition(calling(SELF), {
      kinds,
      lookupWorkflow,
      workflowId: uuid(60),
    });
    expect(problems).toEqual([
      expect.objectContaining({ code: "sub_workflow_not_published", field: "workflowId" }),
    ]);
    expect(problems[0]?.message).toMatch(
      /"Onboarding" has no published version yet; publish it first/,
    );
  });

  it("a workflow that runs itself", async () => {
    const { problems } = await validateDefinition(calling(SELF), {
      kinds,
      lookupWorkflow,
      workflowId: SELF,
    });
    expect(problems).toEqual([
      expect.objectContaining({
        code: "sub_workflow_calls_itself",
        nodeId: "sub",
        field: "workflowId",
      }),
    ]);
  });

  it("a sub-workflow that leads back names the chain", async () => {
    const { problems } = await validateDefinition(calling(IT), {
      kinds,
      lookupWorkflow,
      workflowId: SELF,
    });
    expect(problems).toEqual([
      expect.objectContaining({ code: "sub_workflow_cycle", nodeId: "sub", field: "workflowId" }),
    ]);
    expect(problems[0]?.message).toMatch(/Onboarding → IT setup → Accounts → Onboarding$/);
  });

  it("sub-workflows that call each other are found without the caller's id", async () => {
    const loopA = uuid(10);
    const loopB = uuid(11);
    const looping: typeof records = {
      [loopA]: { id: loopA, name: "A", activeDefinition: calling(loopB) },
      [loopB]: { id: loopB, name: "B", activeDefinition: calling(loopA) },
    };
    const { problems } = await validateDefinition(calling(loopA), {
      kinds,
      lookupWorkflow: async (id) => looping[id] ?? null,
    });
    expect(codes(problems)).toEqual(["sub_workflow_cycle"]);
    expect(problems[0]?.message).toMatch(/A → B → A$/);
  });
});

describe("rule 14: step budget", () => {
  it("a workflow whose loops could exceed the budget", () => {
    const loops = Array.from({ length: 9 }, (_, index) => ({
      id: `loop${index}`,
      kind: "loop",
      config: {
        items: "[1]",
        maxItems: 100,
        action: { kind: "transform", config: { expression: "item" } },
      },
    }));
    const input = workflow(
      loops,
      loops.map((node) => ["trigger", node.id] as EdgeSpec),
    );
    const problem = onlyProblem(input);
    expect(problem.code).toBe("step_budget_exceeded");
    expect(problem.nodeId).toBeUndefined();
    expect(problem.message).toMatch(
      new RegExp(`up to 928 steps in one run, more than the ${MAX_RUN_STEPS} allowed`),
    );
    expect(problem.message).toMatch(/Largest: "Loop0" \(loop0\) up to 103/);
  });

  it("the same loops with fewer items are fine", () => {
    const loops = Array.from({ length: 9 }, (_, index) => ({
      id: `loop${index}`,
      kind: "loop",
      config: {
        items: "[1]",
        maxItems: 50,
        action: { kind: "transform", config: { expression: "item" } },
      },
    }));
    expect(
      problemsOf(
        workflow(
          loops,
          loops.map((node) => ["trigger", node.id] as EdgeSpec),
        ),
      ),
    ).toEqual([]);
  });
});

describe("problems", () => {
  it("come in definition order: workflow-wide first, then nodes, then edges", () => {
    const input = workflow(
      [
        { id: "a", kind: "fax" },
        { id: "b", kind: "transform", config: { expression: "" } },
      ],
      [
        ["b", "ghost"],
        ["a", "b"],
      ],
    );
    input.nodes.shift();
    const problems = problemsOf(input);
    expect(
      problems.map((problem) => [problem.code, problem.nodeId ?? problem.edgeId ?? null]),
    ).toEqual([
      ["missing_trigger", null],
      ["unknown_kind", "a"],
      ["invalid_config", "b"],
      ["unknown_edge_endpoint", "e1"],
    ]);
  });

  it("use only documented codes", () => {
    const inputs: unknown[] = [
      null,
      workflow([{ id: "a", kind: "fax" }], [["a", "a"]]),
      workflow([{ id: "x", kind: "notify", config: { text: "{{ nope }}" } }], [["trigger", "x"]]),
    ];
    for (const input of inputs)
      for (const problem of problemsOf(input)) expect(PROBLEM_CODES).toContain(problem.code);
  });
});
