import type { WorkflowDefinition } from "@/lib/workflows/definition";

// A valid onboarding workflow of exactly `nodeCount` nodes for the designer
// benchmark, shaped like a big organisation's joiner flow: the lifecycle
// trigger, a full-name transform, and a switch on the department that fans
// out into one lane per department. Each lane is a chain that repeats
// transform → condition → email → transform → email; a condition's true edge
// continues the lane, its false edge goes to a side email ("tell IT") that
// joins the lane again at the next node, and each lane waits one day once.
// Laid out on a grid: a lane is two columns (its chain and its side emails),
// a row per chain step, so 500 nodes span roughly 7,000 × 7,000 px.

type Node = WorkflowDefinition["nodes"][number];
type Edge = WorkflowDefinition["edges"][number];

const COLUMN_PX = 300;
const ROW_PX = 150;
const DEPARTMENTS = [
  "Engineering",
  "Sales",
  "Marketing",
  "Finance",
  "People",
  "Legal",
  "Support",
  "Design",
  "Product",
  "Operations",
  "Security",
  "Data",
  "Facilities",
  "Procurement",
  "Research",
  "Partnerships",
  "Education",
  "Quality",
  "Logistics",
];

export function largeOnboardingWorkflow(nodeCount: number, lanes: number): WorkflowDefinition {
  if (lanes < 2 || lanes > DEPARTMENTS.length + 1)
    throw new Error(`lanes must be 2–${DEPARTMENTS.length + 1}`);
  if (nodeCount < 3 + 2 * lanes)
    throw new Error(`${lanes} lanes need at least ${3 + 2 * lanes} nodes`);
  const nodes: Node[] = [];
  const edges: Edge[] = [];
  const width = lanes * 2 * COLUMN_PX;
  const edge = (from: string, to: string, label?: string) =>
    edges.push({ id: `e${edges.length + 1}`, from, to, ...(label ? { label } : {}) });
  const node = (id: string, kind: string, name: string, config: object, x: number, y: number) =>
    nodes.push({
      id,
      kind,
      name,
      config: config as Record<string, unknown>,
      position: { x: Math.round(x), y: Math.round(y) },
    });

  const centre = width / 2 - COLUMN_PX;
  node(
    "trigger",
    "trigger",
    "Employee onboarded",
    { type: "lifecycle_event", event: "employee.onboard" },
    centre,
    0,
  );
  node(
    "full_name",
    "transform",
    "Full name",
    { expression: 'employee.firstName & " " & employee.lastName' },
    centre,
    ROW_PX,
  );
  edge("trigger", "full_name");
  const cases = DEPARTMENTS.slice(0, lanes - 1);
  node(
    "department",
    "switch",
    "Department",
    { value: "employee.department", cases: cases.map((name) => ({ label: name, equals: name })) },
    centre,
    2 * ROW_PX,
  );
  edge("full_name", "department");
  const laneLabels = [...cases, "default"];

  // Lanes take the remaining nodes in turn, so their lengths differ by at most one.
  const remaining = nodeCount - nodes.length;
  for (let lane = 0; lane < lanes; lane++) {
    const budget = Math.floor(remaining / lanes) + (lane < remaining % lanes ? 1 : 0);
    const department = laneLabels[lane] === "default" ? "Other" : (laneLabels[lane] as string);
    const x = lane * 2 * COLUMN_PX;
    let row = 3;
    let used = 0;
    let previous = { id: "department", label: laneLabels[lane] as string | undefined };
    let sideJoin: string | undefined; // a side email waiting to join the lane at its next node
    let waited = false;
    const add = (id: string, kind: string, name: string, config: object) => {
      node(id, kind, name, config, x, row * ROW_PX);
      edge(previous.id, id, previous.label);
      if (sideJoin) edge(sideJoin, id);
      sideJoin = undefined;
      previous = { id, label: undefined };
      row += 1;
      used += 1;
    };
    for (let step = 0; used < budget; step++) {
      const id = `l${lane}_s${step}`;
      const left = budget - used;
      switch (step % 5) {
        case 0:
          if (!waited && step > 0) {
            waited = true;
            add(id, "delay", `${department}: wait a day`, {
              mode: "duration",
              duration: { amount: 1, unit: "days" },
            });
          } else
            add(id, "transform", `${department}: account name ${step}`, {
              expression: `$lowercase(employee.firstName) & ".${department.toLowerCase()}${step}"`,
            });
          break;
        case 1:
          if (left < 2) {
            add(id, "transform", `${department}: note ${step}`, { expression: "employee.email" });
            break;
          }
          add(id, "condition", `${department}: needs equipment ${step}?`, {
            expression: `employee.department = "${department}"`,
          });
          previous = { id, label: "true" };
          node(
            `${id}_it`,
            "email",
            `${department}: tell IT ${step}`,
            {
              to: "it@example.com",
              subject: `No equipment for {{ nodes.full_name.output }} (${department})`,
              body: "Hi IT,\n\n{{ employee.firstName }} needs no equipment for this step.",
            },
            x + COLUMN_PX,
            (row - 1) * ROW_PX,
          );
          edge(id, `${id}_it`, "false");
          sideJoin = `${id}_it`;
          used += 1;
          break;
        case 2:
        case 4:
          add(id, "email", `${department}: welcome mail ${step}`, {
            to: "{{ employee.email }}",
            subject: `Welcome to ${department}, {{ employee.firstName }}!`,
            body: "Hi {{ employee.firstName }},\n\nYour first day is {{ employee.startDate }}.",
          });
          break;
        default:
          add(id, "transform", `${department}: summary ${step}`, {
            expression: `{ "name": employee.firstName, "team": "${department}" }`,
          });
      }
    }
  }
  return { schemaVersion: 1, nodes, edges };
}
