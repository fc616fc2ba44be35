import type { WorkflowDefinitionInput } from "@/lib/workflows/definition";

/**
 * A definition for tests: an employee.onboard trigger with id "trigger", the
 * given nodes, and edges written as [from, to, label?].
 */
export function onboardingDefinition(
  nodes: WorkflowDefinitionInput["nodes"],
  edges: [from: string, to: string, label?: string][],
): WorkflowDefinitionInput {
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee onboarded",
        config: { type: "lifecycle_event", event: "employee.onboard" },
      },
      ...nodes,
    ],
    edges: edges.map(([from, to, label], index) => ({
      id: `e${index}`,
      from,
      to,
      ...(label ? { label } : {}),
    })),
  };
}
