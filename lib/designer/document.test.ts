import { describe, expect, it } from "vitest";
import { workflowDefinitionSchema } from "@/lib/workflows/definition";
import { definitionFromDocument, documentFromDraft, PLAIN_HANDLE, uniqueNodeId } from "./document";
import { addNode, connect, copySelection, paste, removeElements, updateNodeData } from "./edits";
import { record, redo, startHistory, undo } from "./history";
import { autoLayout } from "./layout";

const draft = {
  schemaVersion: 1,
  nodes: [
    {
      id: "trigger",
      kind: "trigger",
      name: "Joined",
      config: { type: "lifecycle_event", event: "employee.onboard" },
      position: { x: 0, y: 0 },
    },
    {
      id: "check",
      kind: "condition",
      name: "Engineer?",
      config: { expression: "employee.department = 'Engineering'" },
      position: { x: 0, y: 120 },
    },
    {
      id: "email",
      kind: "email",
      name: "Welcome",
      config: { to: "{{ employee.email }}", subject: "Hi", body: "Welcome" },
      retry: { maxAttempts: 5, backoff: "fixed", delaySeconds: 30 },
      timeoutSeconds: 20,
      protected: true,
      position: { x: 0, y: 240 },
    },
  ],
  edges: [
    { id: "e1", from: "trigger", to: "check" },
    { id: "e2", from: "check", to: "email", label: "true" },
  ],
};

describe("documentFromDraft / definitionFromDocument", () => {
  it("round-trips a definition exactly", () => {
    const { document, notes } = documentFromDraft(draft);
    expect(notes).toEqual([]);
    expect(document.edges[0]?.sourceHandle).toBe(PLAIN_HANDLE);
    expect(document.edges[1]?.sourceHandle).toBe("true");
    const back = definitionFromDocument(document);
    expect(back).toEqual(workflowDefinitionSchema.parse(draft));
  });

  it("opens malformed drafts instead of failing, and says what it made up", () => {
    const { document, notes } = documentFromDraft({
      nodes: [
        { id: "a", kind: "email", position: { x: Number.NaN, y: 1 } },
        "not a node",
        { id: "a", kind: "email" },
        { kind: 7 },
      ],
      edges: [{ from: "a", to: "ghost" }, { from: "a", to: "a_2", label: "" }, 12],
    });
    expect(document.nodes.map((node) => node.id)).toEqual(["a", "a_2", "node_4"]);
    expect(document.nodes[2]?.data.kind).toBe("");
    expect(document.nodes[0]?.position).toEqual({ x: 0, y: 0 });
    expect(document.edges).toEqual([
      { id: "a-a_2", type: "workflow", source: "a", target: "a_2", sourceHandle: PLAIN_HANDLE },
    ]);
    expect(notes.join("\n")).toMatch(/Node 2 is not an object/);
    expect(notes.join("\n")).toMatch(/"a" is used twice; the second is shown as "a_2"/);
    expect(notes.join("\n")).toMatch(/a → ghost joins a node that does not exist/);
    expect(documentFromDraft("nonsense").document).toEqual({ nodes: [], edges: [] });
  });

  it("makes readable unique node ids", () => {
    expect(uniqueNodeId("email", new Set())).toBe("email");
    expect(uniqueNodeId("email", new Set(["email", "email_2"]))).toBe("email_3");
    expect(uniqueNodeId("9lives", new Set())).toBe("n_9lives");
    expect(uniqueNodeId("a-b c", new Set())).toBe("a_b_c");
  });
});

describe("edits", () => {
  const { document } = documentFromDraft(draft);
  const emailKind = { kind: "email", label: "Send email", defaultConfig: { to: "x@y.z" } };

  it("adds a node with a fresh id, its kind's defaults, selected alone", () => {
    const added = addNode(document, emailKind, { x: 5, y: 6 });
    expect(added.id).toBe("email_2");
    const node = added.document.nodes.at(-1);
    expect(node).toMatchObject({ id: "email_2", selected: true, data: { name: "Send email" } });
    expect(node?.data.config).toEqual({ to: "x@y.z" });
    expect(node?.data.config).not.toBe(emailKind.defaultConfig);
    expect(added.document.nodes.filter((entry) => entry.selected)).toHaveLength(1);
  });

  it("refuses loops, duplicates, self-loops and edges into the trigger", () => {
    expect(connect(document, { source: "email", sourceHandle: null, target: "trigger" })).toEqual({
      refused: expect.stringMatching(/into the trigger/),
    });
    expect(connect(document, { source: "email", sourceHandle: null, target: "check" })).toEqual({
      refused: expect.stringMatching(/would make a loop/),
    });
    expect(connect(document, { source: "check", sourceHandle: "true", target: "email" })).toEqual({
      refused: expect.stringMatching(/already connected/),
    });
    expect(connect(document, { source: "check", sourceHandle: null, target: "check" })).toEqual({
      refused: expect.stringMatching(/itself/),
    });
    const joined = connect(document, { source: "check", sourceHandle: "false", target: "email" });
    expect(joined).toMatchObject({ id: "check-email-false" });
  });

  it("removes nodes with their edges and keeps untouched objects", () => {
    const after = removeElements(document, new Set(["check"]));
    expect(after.nodes.map((node) => node.id)).toEqual(["trigger", "email"]);
    expect(after.edges).toEqual([]);
    expect(after.nodes[0]).toBe(document.nodes[0]);
  });

  it("updates data, and an undefined patch value removes the key", () => {
    const after = updateNodeData(document, "email", { timeoutSeconds: undefined, name: "Hello" });
    const node = after.nodes.find((entry) => entry.id === "email");
    expect(node?.data.name).toBe("Hello");
    expect("timeoutSeconds" in (node?.data ?? {})).toBe(false);
    expect(after.nodes[0]).toBe(document.nodes[0]);
  });

  it("copies and pastes under fresh ids, keeping inner edges and references, never the trigger", () => {
    const withRef = updateNodeData(document, "email", {
      config: { to: "a@b.c", subject: "{{ nodes.check.output.matched }}", body: "x" },
    });
    const clip = copySelection(withRef, new Set(["trigger", "check", "email"]));
    expect(clip?.nodes.map((node) => node.id)).toEqual(["check", "email"]);
    const pasted = paste(withRef, clip as NonNullable<typeof clip>, { x: 40, y: 40 });
    expect(pasted.ids).toEqual(["check_2", "email_2"]);
    const copy = pasted.document.nodes.find((node) => node.id === "email_2");
    expect(copy?.data.config.subject).toBe("{{ nodes.check_2.output.matched }}");
    expect(copy?.position).toEqual({ x: 40, y: 280 });
    expect(pasted.document.edges.at(-1)).toMatchObject({
      source: "check_2",
      target: "email_2",
      sourceHandle: "true",
    });
    expect(copySelection(withRef, new Set(["trigger"]))).toBeNull();
  });

  it("lays the graph out in layers from the trigger down", () => {
    const stacked = {
      ...document,
      nodes: document.nodes.map((node) => ({ ...node, position: { x: 0, y: 0 } })),
    };
    const laid = autoLayout(stacked);
    const y = Object.fromEntries(laid.nodes.map((node) => [node.id, node.position.y]));
    expect(y.trigger).toBeLessThan(y.check as number);
    expect(y.check).toBeLessThan(y.email as number);
  });
});

describe("history", () => {
  it("undoes and redoes, merging quick edits with the same key", () => {
    let history = startHistory("a");
    history = record(history, "ab", { key: "name", at: 0 });
    history = record(history, "abc", { key: "name", at: 500 });
    history = record(history, "abcd", { key: "other", at: 600 });
    expect(history.past).toEqual(["a", "abc"]);
    history = undo(history);
    expect(history.present).toBe("abc");
    history = undo(history);
    expect(history.present).toBe("a");
    expect(undo(history)).toBe(history);
    history = redo(history);
    expect(history.present).toBe("abc");
    history = record(history, "x");
    expect(history.future).toEqual([]);
  });
});
