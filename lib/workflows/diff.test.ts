import { describe, expect, it } from "vitest";
import { onboardingDefinition } from "@/test/support/workflows";
import type { WorkflowDefinitionInput } from "./definition";
import { changeLabel, comparisonDocument, diffDefinitions } from "./diff";

type Node = WorkflowDefinitionInput["nodes"][number];

/** A published onboarding workflow: welcome email and announcement, a manager's approval, a laptop order. */
function onboardingWorkflow(): WorkflowDefinitionInput {
  const definition = onboardingDefinition(
    [
      {
        id: "welcome_email",
        kind: "email",
        name: "Welcome email",
        config: {
          to: "{{ employee.email }}",
          subject: "Welcome to Acme, {{ employee.firstName }}!",
          body: "Your first day is {{ employee.startDate }}.",
        },
        position: { x: 100, y: 120 },
      },
      {
        id: "announce",
        kind: "slack_message",
        name: "Announce in #general",
        config: {
          credentialId: "cred_slack",
          target: { type: "channel", channel: "#general" },
          text: "Please welcome {{ employee.firstName }}!",
        },
        position: { x: 500, y: 120 },
      },
      {
        id: "manager_approval",
        kind: "approval",
        name: "Manager approves equipment",
        config: {
          approvers: "{{ employee.manager.email }}",
          title: "Approve the equipment for {{ employee.firstName }}",
          timeout: { amount: 3, unit: "days" },
        },
        position: { x: 300, y: 240 },
      },
      {
        id: "order_laptop",
        kind: "http_request",
        name: "Order laptop",
        config: { method: "POST", url: "https://it.example.test/laptops" },
        position: { x: 150, y: 360 },
      },
      {
        id: "tell_it",
        kind: "email",
        name: "Tell IT the order was declined",
        config: { to: "it@acme.example", subject: "Not approved", body: "Declined." },
        position: { x: 450, y: 360 },
      },
      {
        id: "until_start",
        kind: "delay",
        name: "Wait until the start date",
        config: { mode: "until", date: "{{ employee.startDate }}", time: "08:00" },
        position: { x: 150, y: 480 },
      },
      {
        id: "first_day",
        kind: "slack_message",
        name: "First-day message",
        config: {
          credentialId: "cred_slack",
          target: { type: "user", email: "{{ employee.manager.email }}" },
          text: "{{ employee.firstName }} starts today.",
        },
        position: { x: 150, y: 600 },
      },
    ],
    [
      ["trigger", "welcome_email"],
      ["trigger", "announce"],
      ["welcome_email", "manager_approval"],
      ["announce", "manager_approval"],
      ["manager_approval", "order_laptop", "approved"],
      ["manager_approval", "tell_it", "rejected"],
      ["manager_approval", "tell_it", "timeout"],
      ["order_laptop", "until_start"],
      ["until_start", "first_day"],
    ],
  );
  return {
    ...definition,
    nodes: definition.nodes.map((entry) => ({ position: { x: 300, y: 0 }, ...entry })),
  };
}

/** A copy of the onboarding workflow, changed by `edit`. */
function edited(edit: (definition: WorkflowDefinitionInput) => void): WorkflowDefinitionInput {
  const definition = structuredClone(onboardingWorkflow());
  edit(definition);
  return definition;
}

function node(definition: WorkflowDefinitionInput, id: string): Node {
  const found = definition.nodes.find((entry) => entry.id === id);
  if (!found) throw new Error(`no node ${id}`);
  return found;
}

const routeByLocation: Node = {
  id: "route",
  kind: "switch",
  name: "Route by office",
  config: {
    value: "employee.location",
    cases: [
      { label: "London", equals: "London" },
      { label: "Berlin", equals: "Berlin" },
    ],
  },
  position: { x: 300, y: 960 },
};

describe("diffDefinitions", () => {
  it("finds nothing between a version and an identical copy", () => {
    const version = onboardingWorkflow();
    const diff = diffDefinitions(version, structuredClone(version));
    expect(diff.nodeCounts).toEqual({
      added: 0,
      removed: 0,
      changed: 0,
      unchanged: version.nodes.length,
    });
    expect(diff.edgeCounts.unchanged).toBe(version.edges.length);
    expect(diff.nodes.every((entry) => entry.changes.length === 0 && !entry.moved)).toBe(true);
  });

  it("lists a changed email subject with its value before and after", () => {
    const before = onboardingWorkflow();
    const after = edited((definition) => {
      node(definition, "welcome_email").config = {
        ...node(definition, "welcome_email").config,
        subject: "Hello {{ employee.firstName }}",
      };
    });
    const diff = diffDefinitions(before, after);
    const email = diff.nodes.find((entry) => entry.id === "welcome_email");
    expect(email?.status).toBe("changed");
    expect(email?.changes).toEqual([
      {
        field: "config",
        path: "subject",
        before: "Welcome to Acme, {{ employee.firstName }}!",
        after: "Hello {{ employee.firstName }}",
      },
    ]);
    expect(diff.nodeCounts.changed).toBe(1);
  });

  it("names nested config paths, array entries, and the node's own fields", () => {
    const before = edited((definition) => {
      definition.nodes.push(routeByLocation);
      definition.edges.push({ id: "first_day-route", from: "first_day", to: "route" });
    });
    const after = edited((definition) => {
      definition.nodes.push(
        structuredClone({
          ...routeByLocation,
          name: "Route by city",
          config: {
            value: "employee.location",
            cases: [
              { label: "London", equals: "London" },
              { label: "Munich", equals: "Munich" },
              { label: "Paris", equals: "Paris" },
            ],
          },
        }),
      );
      definition.edges.push({ id: "first_day-route", from: "first_day", to: "route" });
      const announce = node(definition, "announce");
      announce.config = { ...announce.config, target: { type: "channel", channel: "#welcome" } };
      announce.retry = { maxAttempts: 5, backoff: "fixed", delaySeconds: 30 };
      announce.timeoutSeconds = 20;
      announce.protected = true;
    });
    const diff = diffDefinitions(before, after);

    const route = diff.nodes.find((entry) => entry.id === "route");
    expect(route?.changes.map(changeLabel)).toEqual([
      "name",
      "cases.1.label",
      "cases.1.equals",
      "cases.2",
    ]);
    expect(route?.changes[3]).toEqual({
      field: "config",
      path: "cases.2",
      before: undefined,
      after: { label: "Paris", equals: "Paris" },
    });

    const announce = diff.nodes.find((entry) => entry.id === "announce");
    expect(announce?.changes.map(changeLabel)).toEqual([
      "target.channel",
      "retry",
      "timeoutSeconds",
      "protected",
    ]);
    expect(announce?.changes.find((change) => change.field === "timeoutSeconds")).toMatchObject({
      before: undefined,
      after: 20,
    });
  });

  it("compares retry policies setting by setting when both sides have one", () => {
    const withRetry = (maxAttempts: number) =>
      edited((definition) => {
        node(definition, "order_laptop").retry = {
          maxAttempts,
          backoff: "exponential",
          delaySeconds: 10,
        };
      });
    const diff = diffDefinitions(withRetry(3), withRetry(6));
    const order = diff.nodes.find((entry) => entry.id === "order_laptop");
    expect(order?.changes).toEqual([{ field: "retry", path: "maxAttempts", before: 3, after: 6 }]);
    expect(order?.changes.map(changeLabel)).toEqual(["retry.maxAttempts"]);
  });

  it("reports added and removed nodes and the edges that joined them", () => {
    const before = onboardingWorkflow();
    const after = edited((definition) => {
      definition.nodes = definition.nodes.filter((entry) => entry.id !== "first_day");
      definition.edges = definition.edges.filter(
        (edge) => edge.from !== "first_day" && edge.to !== "first_day",
      );
      definition.nodes.push({
        id: "buddy",
        kind: "email",
        name: "Find a buddy",
        config: { to: "{{ employee.manager.email }}", subject: "Buddy", body: "Please pick one." },
        position: { x: 300, y: 600 },
      });
      definition.edges.push({ id: "until_start-buddy", from: "until_start", to: "buddy" });
    });
    const diff = diffDefinitions(before, after);
    expect(diff.nodes.filter((entry) => entry.status === "added").map((entry) => entry.id)).toEqual(
      ["buddy"],
    );
    const removed = diff.nodes.filter((entry) => entry.status === "removed");
    expect(removed).toEqual([
      {
        id: "first_day",
        status: "removed",
        name: node(before, "first_day").name,
        kind: "slack_message",
        changes: [],
        moved: false,
      },
    ]);
    expect(diff.edges.filter((edge) => edge.status === "added")).toEqual([
      { from: "until_start", to: "buddy", status: "added" },
    ]);
    expect(diff.edges.filter((edge) => edge.status === "removed").map((edge) => edge.to)).toContain(
      "first_day",
    );
    expect(diff.nodeCounts).toMatchObject({ added: 1, removed: 1, changed: 0 });
  });

  it("treats a node that only moved as unchanged, flagged as moved", () => {
    const before = onboardingWorkflow();
    const after = edited((definition) => {
      node(definition, "announce").position = { x: 520.4, y: 300 };
    });
    const announce = diffDefinitions(before, after).nodes.find((entry) => entry.id === "announce");
    expect(announce).toMatchObject({ status: "unchanged", moved: true, changes: [] });
  });

  it("matches edges by what they join and on which branch, not by id", () => {
    const before = onboardingWorkflow();
    const after = edited((definition) => {
      definition.edges = definition.edges.map((edge, index) => ({
        ...edge,
        id: `redrawn_${index}`,
      }));
      const approval = definition.edges.find(
        (edge) => edge.from === "manager_approval" && edge.label === "approved",
      );
      if (!approval) throw new Error("sample has no approved edge");
      approval.label = "timeout";
    });
    const diff = diffDefinitions(before, after);
    expect(diff.edges.filter((edge) => edge.status !== "unchanged")).toEqual([
      { from: "manager_approval", to: expect.any(String), label: "timeout", status: "added" },
      { from: "manager_approval", to: expect.any(String), label: "approved", status: "removed" },
    ]);
  });

  it("reads a malformed draft as far as it can instead of throwing", () => {
    const version = onboardingWorkflow();
    const draft = {
      nodes: [
        {
          id: "trigger",
          kind: "trigger",
          name: "Employee onboarded",
          config: version.nodes[0]?.config,
        },
        "not a node",
        { id: "welcome_email", kind: "email", config: "broken" },
      ],
      edges: [{ from: "trigger" }, { from: "trigger", to: "welcome_email" }],
    };
    const diff = diffDefinitions(version, draft);
    expect(diff.nodes.find((entry) => entry.id === "trigger")?.status).toBe("unchanged");
    const email = diff.nodes.find((entry) => entry.id === "welcome_email");
    expect(email?.status).toBe("changed");
    expect(email?.changes.map(changeLabel)).toEqual(
      expect.arrayContaining(["name", "to", "subject", "body"]),
    );
    expect(diff.edges).toContainEqual({
      from: "trigger",
      to: "welcome_email",
      status: "unchanged",
    });
    expect(diff.edgeCounts).toMatchObject({ added: 0, removed: 8 });
    expect(diffDefinitions(null, undefined).nodes).toEqual([]);
  });
});

describe("comparisonDocument", () => {
  it("draws both versions: after's nodes where after has them, removed ones where they were", () => {
    const before = onboardingWorkflow();
    const after = edited((definition) => {
      definition.nodes = definition.nodes.filter((entry) => entry.id !== "first_day");
      definition.edges = definition.edges.filter((edge) => edge.to !== "first_day");
      node(definition, "announce").position = { x: 700, y: 240 };
      node(definition, "announce").name = "Announce in #welcome";
    });
    const comparison = comparisonDocument(before, after);
    const ids = comparison.document.nodes.map((entry) => entry.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...after.nodes.map((entry) => entry.id), "first_day"]);

    const announce = comparison.document.nodes.find((entry) => entry.id === "announce");
    expect(announce?.position).toEqual({ x: 700, y: 240 });
    expect(announce?.data.name).toBe("Announce in #welcome");
    expect(comparison.nodeStatus.get("announce")).toBe("changed");

    const removed = comparison.document.nodes.find((entry) => entry.id === "first_day");
    expect(removed?.position).toEqual(node(before, "first_day").position);
    expect(comparison.nodeStatus.get("first_day")).toBe("removed");
    expect(comparison.nodeStatus.get("trigger")).toBe("unchanged");

    const removedEdges = comparison.document.edges.filter(
      (edge) => comparison.edgeStatus.get(edge.id) === "removed",
    );
    expect(removedEdges.map((edge) => edge.target)).toEqual(["first_day"]);
    expect(comparison.edgeStatus.size).toBe(comparison.document.edges.length);
  });

  it("moves a removed node aside when a node of the newer version stands where it was", () => {
    const before = onboardingWorkflow();
    const after = edited((definition) => {
      const firstDay = node(definition, "first_day");
      firstDay.id = "first_week";
      firstDay.name = "First-week message";
      for (const edge of definition.edges) if (edge.to === "first_day") edge.to = "first_week";
    });
    const comparison = comparisonDocument(before, after);
    const position = (id: string) =>
      comparison.document.nodes.find((entry) => entry.id === id)?.position;
    expect(position("first_week")).toEqual({ x: 150, y: 600 });
    expect(position("first_day")).toEqual({ x: 430, y: 600 });
  });

  it("gives a removed edge a fresh id when after reuses its id for another connection", () => {
    const before = onboardingWorkflow();
    const after = edited((definition) => {
      const [first] = definition.edges;
      if (!first) throw new Error("sample has no edges");
      // Same id, different target: the old connection is gone, a new one took its id.
      definition.edges[0] = { ...first, to: "tell_it" };
    });
    const comparison = comparisonDocument(before, after);
    const edgeIds = comparison.document.edges.map((edge) => edge.id);
    expect(new Set(edgeIds).size).toBe(edgeIds.length);
    const firstId = after.edges[0]?.id ?? "";
    expect(comparison.edgeStatus.get(firstId)).toBe("added");
    const removed = comparison.document.edges.find(
      (edge) => comparison.edgeStatus.get(edge.id) === "removed",
    );
    expect(removed).toMatchObject({ source: before.edges[0]?.from, target: before.edges[0]?.to });
    expect(removed?.id).not.toBe(firstId);
  });

  it("starts with nothing selected, whatever the draft had selected", () => {
    const comparison = comparisonDocument(onboardingWorkflow(), onboardingWorkflow());
    expect(comparison.document.nodes.some((entry) => entry.selected)).toBe(false);
    expect(comparison.document.edges.some((edge) => edge.selected)).toBe(false);
  });
});
