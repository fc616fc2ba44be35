import { describe, expect, it } from "vitest";
import type { StepRun } from "./queries";
import { stepRows } from "./step-rows";

const nodes = [
  { id: "trigger", name: "Employee onboarded", kind: "trigger" },
  { id: "order", name: "Order laptop", kind: "http_request" },
  { id: "welcome", name: "Welcome email", kind: "email" },
];

function step(nodeId: string, attempt: number, status: StepRun["status"]): StepRun {
  return {
    id: `${nodeId}-${attempt}`,
    nodeId,
    nodeKind: nodes.find((node) => node.id === nodeId)?.kind ?? "gone",
    attempt,
    status,
    input: null,
    output: null,
    error: null,
    wouldSend: null,
    detail: null,
    startedAt: `2026-01-01T00:00:0${attempt}.000Z`,
    finishedAt: status === "running" ? null : `2026-01-01T00:00:0${attempt}.500Z`,
  };
}

describe("stepRows", () => {
  it("folds attempts into one row per node, named from the version, in the order they ran", () => {
    const rows = stepRows(
      {
        nodes,
        stepRuns: [
          step("trigger", 1, "completed"),
          step("order", 1, "failed"),
          step("order", 2, "running"),
        ],
      },
      true,
    );
    expect(rows.map((row) => [row.nodeId, row.name, row.status, row.attempts.length])).toEqual([
      ["trigger", "Employee onboarded", "completed", 1],
      ["order", "Order laptop", "running", 2],
      ["welcome", "Welcome email", "pending", 0],
    ]);
    expect(rows[1]).toMatchObject({ startedAt: "2026-01-01T00:00:01.000Z", finishedAt: null });
  });

  it("shows no pending rows once the run has ended, and keeps steps of nodes the version lacks", () => {
    const rows = stepRows(
      { nodes, stepRuns: [step("trigger", 1, "completed"), step("ghost", 1, "completed")] },
      false,
    );
    expect(rows.map((row) => [row.nodeId, row.name, row.kind])).toEqual([
      ["trigger", "Employee onboarded", "trigger"],
      ["ghost", "ghost", "gone"],
    ]);
  });
});
