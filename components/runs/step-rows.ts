import type { StepRun, StepStatus, WorkflowRun } from "./queries";

// A run's step runs (one per attempt) as one row per node, in the order the
// nodes first ran; while the run is going, nodes that have not started yet
// follow in definition order, as pending.

export type StepRow = {
  nodeId: string;
  name: string;
  kind: string;
  status: StepStatus;
  /** Every attempt, first to last; empty for a node that has not started. */
  attempts: StepRun[];
  startedAt: string | null;
  finishedAt: string | null;
};

export function stepRows(run: Pick<WorkflowRun, "nodes" | "stepRuns">, running: boolean) {
  const nodes = new Map(run.nodes.map((node) => [node.id, node]));
  const byNode = new Map<string, StepRun[]>();
  for (const step of run.stepRuns) {
    const attempts = byNode.get(step.nodeId) ?? [];
    attempts.push(step);
    byNode.set(step.nodeId, attempts);
  }
  const rows: StepRow[] = [...byNode].map(([nodeId, unsorted]) => {
    const attempts = [...unsorted].sort((a, b) => a.attempt - b.attempt);
    const first = attempts[0];
    const last = attempts.at(-1);
    return {
      nodeId,
      name: nodes.get(nodeId)?.name ?? nodeId,
      kind: nodes.get(nodeId)?.kind ?? first?.nodeKind ?? "",
      status: last?.status ?? "pending",
      attempts,
      startedAt: attempts.find((attempt) => attempt.startedAt)?.startedAt ?? null,
      finishedAt: last?.finishedAt ?? null,
    };
  });
  if (running)
    for (const node of run.nodes)
      if (!byNode.has(node.id))
        rows.push({
          nodeId: node.id,
          name: node.name,
          kind: node.kind,
          status: "pending",
          attempts: [],
          startedAt: null,
          finishedAt: null,
        });
  return rows;
}
