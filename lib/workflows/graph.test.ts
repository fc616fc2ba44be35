import { describe, expect, it } from "vitest";
import {
  buildGraph,
  compensationBranches,
  dominators,
  guaranteedBefore,
  reachableFrom,
  topologicalOrder,
  withVirtualRoot,
} from "./graph";

type Edge = { from: string; to: string; label?: string };

function definition(ids: string[], edges: (Edge | [string, string, string?])[]) {
  return {
    nodes: ids.map((id) => ({ id })),
    edges: edges.map((edge, index) =>
      Array.isArray(edge)
        ? { id: `e${index}`, from: edge[0], to: edge[1], ...(edge[2] ? { label: edge[2] } : {}) }
        : { id: `e${index}`, ...edge },
    ),
  };
}

const sorted = (set: Set<string> | undefined) => [...(set ?? [])].sort();
const conditionOutcomes = (id: string) => (id.startsWith("c") ? ["true", "false"] : undefined);

describe("buildGraph", () => {
  it("lists successors and predecessors, leaving out unknown endpoints, self-loops and repeats", () => {
    const graph = buildGraph(
      definition(
        ["a", "b", "c"],
        [
          ["a", "b"],
          ["a", "b"],
          ["b", "b"],
          ["b", "ghost"],
          ["a", "c"],
        ],
      ),
    );
    expect(graph.nodeIds).toEqual(["a", "b", "c"]);
    expect(graph.successors.get("a")).toEqual(["b", "c"]);
    expect(graph.successors.get("b")).toEqual([]);
    expect(graph.predecessors.get("b")).toEqual(["a"]);
  });

  it("keeps the first of two nodes with the same id", () => {
    const graph = buildGraph({ nodes: [{ id: "a" }, { id: "a" }, { id: "b" }], edges: [] });
    expect(graph.nodeIds).toEqual(["a", "b"]);
  });

  it("leaves compensation edges out of the normal graph", () => {
    const source = definition(
      ["t", "p", "undo"],
      [
        ["t", "p"],
        ["p", "undo", "compensation"],
      ],
    );
    expect(buildGraph(source).successors.get("p")).toEqual(["undo"]);
    expect(buildGraph(source, { edges: "normal" }).successors.get("p")).toEqual([]);
  });
});

describe("topologicalOrder", () => {
  it("orders every node after its predecessors", () => {
    const result = topologicalOrder(
      buildGraph(
        definition(
          ["d", "c", "b", "a"],
          [
            ["a", "b"],
            ["b", "c"],
            ["a", "d"],
            ["d", "c"],
          ],
        ),
      ),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const at = (id: string) => result.order.indexOf(id);
    expect(at("a")).toBeLessThan(at("b"));
    expect(at("b")).toBeLessThan(at("c"));
    expect(at("d")).toBeLessThan(at("c"));
  });

  it("returns the nodes of a cycle", () => {
    const result = topologicalOrder(
      buildGraph(
        definition(
          ["t", "a", "b", "c"],
          [
            ["t", "a"],
            ["a", "b"],
            ["b", "c"],
            ["c", "a"],
          ],
        ),
      ),
    );
    expect(result).toEqual({ ok: false, cycle: ["a", "b", "c"] });
  });
});

describe("reachableFrom", () => {
  it("finds the nodes a start leads to, and not the others", () => {
    const graph = buildGraph(
      definition(
        ["t", "a", "b", "lonely"],
        [
          ["t", "a"],
          ["a", "b"],
        ],
      ),
    );
    expect(sorted(reachableFrom(graph, ["t"]))).toEqual(["a", "b", "t"]);
    expect(sorted(reachableFrom(graph, ["missing"]))).toEqual([]);
  });
});

describe("dominators", () => {
  it("a node on only one side of a fork does not dominate the merge", () => {
    const graph = buildGraph(
      definition(
        ["t", "c", "yes", "no", "merge"],
        [
          ["t", "c"],
          ["c", "yes", "true"],
          ["c", "no", "false"],
          ["yes", "merge"],
          ["no", "merge"],
        ],
      ),
    );
    const result = dominators(graph, "t");
    expect(sorted(result.get("merge"))).toEqual(["c", "merge", "t"]);
    expect(sorted(result.get("yes"))).toEqual(["c", "t", "yes"]);
  });

  it("has no entry for nodes the root does not reach", () => {
    const result = dominators(buildGraph(definition(["t", "x"], [])), "t");
    expect(result.has("x")).toBe(false);
  });

  it("settles on a graph with a cycle", () => {
    const graph = buildGraph(
      definition(
        ["t", "a", "b"],
        [
          ["t", "a"],
          ["a", "b"],
          ["b", "a"],
        ],
      ),
    );
    expect(sorted(dominators(graph, "t").get("b"))).toEqual(["a", "b", "t"]);
  });
});

describe("guaranteedBefore", () => {
  it("a join after a plain fork has both branches", () => {
    const graph = buildGraph(
      definition(
        ["t", "fork", "left", "right", "join"],
        [
          ["t", "fork"],
          ["fork", "left"],
          ["fork", "right"],
          ["left", "join"],
          ["right", "join"],
        ],
      ),
    );
    expect(sorted(guaranteedBefore(graph, "t").get("join"))).toEqual([
      "fork",
      "join",
      "left",
      "right",
      "t",
    ]);
  });

  it("a merge after a condition has neither side", () => {
    const graph = buildGraph(
      definition(
        ["t", "c", "yes", "no", "merge"],
        [
          ["t", "c"],
          ["c", "yes", "true"],
          ["c", "no", "false"],
          ["yes", "merge"],
          ["no", "merge"],
        ],
      ),
    );
    const result = guaranteedBefore(graph, "t", conditionOutcomes);
    expect(sorted(result.get("merge"))).toEqual(["c", "merge", "t"]);
  });

  it("a branch that always runs joins one that may not", () => {
    // t → always → join, t → c -true→ maybe → join: "always" ran whenever join runs, "maybe" not.
    const graph = buildGraph(
      definition(
        ["t", "always", "c", "maybe", "join"],
        [
          ["t", "always"],
          ["t", "c"],
          ["c", "maybe", "true"],
          ["always", "join"],
          ["maybe", "join"],
        ],
      ),
    );
    const result = guaranteedBefore(graph, "t", conditionOutcomes);
    expect(sorted(result.get("join"))).toEqual(["always", "join", "t"]);
  });

  it("after a condition's merge, a parallel branch joins as if there had been no condition", () => {
    const graph = buildGraph(
      definition(
        ["t", "side", "c", "yes", "no", "merge", "join"],
        [
          ["t", "side"],
          ["t", "c"],
          ["c", "yes", "true"],
          ["c", "no", "false"],
          ["yes", "merge"],
          ["no", "merge"],
          ["side", "join"],
          ["merge", "join"],
        ],
      ),
    );
    const result = guaranteedBefore(graph, "t", conditionOutcomes);
    expect(sorted(result.get("join"))).toEqual(["c", "join", "merge", "side", "t"]);
  });

  it("nodes inside one condition branch stay exclusive of the other branch", () => {
    const graph = buildGraph(
      definition(
        ["t", "c", "a1", "a2", "b1", "merge"],
        [
          ["t", "c"],
          ["c", "a1", "true"],
          ["a1", "a2"],
          ["c", "b1", "false"],
          ["a2", "merge"],
          ["b1", "merge"],
        ],
      ),
    );
    const result = guaranteedBefore(graph, "t", conditionOutcomes);
    expect(sorted(result.get("a2"))).toEqual(["a1", "a2", "c", "t"]);
    expect(sorted(result.get("merge"))).toEqual(["c", "merge", "t"]);
  });

  it("without the node's outcomes a merge is still not given either side", () => {
    const graph = buildGraph(
      definition(
        ["t", "c", "yes", "no", "merge"],
        [
          ["t", "c"],
          ["c", "yes", "true"],
          ["c", "no", "false"],
          ["yes", "merge"],
          ["no", "merge"],
        ],
      ),
    );
    expect(sorted(guaranteedBefore(graph, "t").get("merge"))).toEqual(["c", "merge", "t"]);
  });

  it("falls back to dominators on a graph with a cycle", () => {
    const graph = buildGraph(
      definition(
        ["t", "a", "b"],
        [
          ["t", "a"],
          ["a", "b"],
          ["b", "a"],
        ],
      ),
    );
    expect(sorted(guaranteedBefore(graph, "t").get("b"))).toEqual(["a", "b", "t"]);
  });
});

describe("compensationBranches", () => {
  it("collects what follows each protected node's compensation edges", () => {
    const source = definition(
      ["t", "create", "next", "undo", "notify"],
      [
        ["t", "create"],
        ["create", "next"],
        ["create", "undo", "compensation"],
        ["undo", "notify"],
      ],
    );
    const [branch, ...others] = compensationBranches(source);
    expect(others).toEqual([]);
    expect(branch?.protectedNodeId).toBe("create");
    expect(branch?.entries).toEqual(["undo"]);
    expect(sorted(branch?.nodes)).toEqual(["notify", "undo"]);
  });

  it("a virtual root gives a branch its own dominators", () => {
    const source = definition(
      ["t", "p", "undo", "a", "b", "end"],
      [
        ["t", "p"],
        ["p", "undo", "compensation"],
        ["undo", "a"],
        ["undo", "b"],
        ["a", "end"],
        ["b", "end"],
      ],
    );
    const graph = withVirtualRoot(buildGraph(source, { edges: "normal" }), "#root", ["undo"]);
    expect(sorted(dominators(graph, "#root").get("end"))).toEqual(["#root", "end", "undo"]);
    expect(sorted(guaranteedBefore(graph, "#root").get("end"))).toEqual([
      "#root",
      "a",
      "b",
      "end",
      "undo",
    ]);
  });
});
