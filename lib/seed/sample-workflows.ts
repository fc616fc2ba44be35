import type { WorkflowDefinitionInput } from "@/lib/workflows/definition";

// The three sample workflows the demo organisation starts with, in the
// definition format. They are also the designer's joiner/mover/leaver
// templates. Credential ids and the IT system's URL are filled in when seeded.

export type SampleRefs = {
  slackCredentialId: string;
  openaiCredentialId: string;
  itSystemUrl: string;
};

type Edge = [from: string, to: string, label?: string];

function build(nodes: WorkflowDefinitionInput["nodes"], edges: Edge[]): WorkflowDefinitionInput {
  return {
    schemaVersion: 1,
    nodes: nodes.map((node, index) => ({
      ...node,
      position: node.position ?? { x: 0, y: (index + 1) * 120 },
    })),
    edges: edges.map(([from, to, label]) => ({
      id: `${from}-${to}${label ? `-${label}` : ""}`,
      from,
      to,
      ...(label ? { label } : {}),
    })),
  };
}

export function onboardingWorkflow(refs: SampleRefs): WorkflowDefinitionInput {
  return build(
    [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee onboarded",
        config: { type: "lifecycle_event", event: "employee.onboard" },
        position: { x: 300, y: 0 },
      },
      {
        id: "welcome_text",
        kind: "ai_text",
        name: "Personalise welcome",
        config: {
          credentialId: refs.openaiCredentialId,
          model: "gpt-4o-mini",
          system:
            "You write short, warm welcome notes for new colleagues. Plain text, no more than 80 words.",
          prompt:
            "Write a welcome note for {{ employee.firstName }}, who joins the {{ employee.department }} team as {{ employee.title }} on {{ employee.startDate }}.",
          maxTokens: 200,
        },
        position: { x: 300, y: 120 },
      },
      {
        id: "welcome_email",
        kind: "email",
        name: "Welcome email",
        config: {
          to: "{{ employee.email }}",
          subject: "Welcome to Acme, {{ employee.firstName }}!",
          body: "{{ nodes.welcome_text.output.text }}\n\nYour first day is {{ employee.startDate }}.",
        },
        position: { x: 100, y: 240 },
      },
      {
        id: "announce",
        kind: "slack_message",
        name: "Announce in #general",
        config: {
          credentialId: refs.slackCredentialId,
          target: { type: "channel", channel: "#general" },
          text: "Please welcome {{ employee.firstName }} {{ employee.lastName }}, joining {{ employee.department }} on {{ employee.startDate }}!",
        },
        position: { x: 500, y: 240 },
      },
      {
        id: "manager_approval",
        kind: "approval",
        name: "Manager approves equipment",
        config: {
          approvers: "{{ employee.manager.email }}",
          title:
            "Approve the standard equipment for {{ employee.firstName }} {{ employee.lastName }}",
          message:
            "A laptop and accounts will be ordered for {{ employee.firstName }}, starting {{ employee.startDate }}.",
          timeout: { amount: 3, unit: "days" },
        },
        position: { x: 300, y: 360 },
      },
      {
        id: "order_laptop",
        kind: "http_request",
        name: "Order laptop in the IT system",
        retry: { maxAttempts: 5, backoff: "exponential", delaySeconds: 10 },
        config: {
          method: "POST",
          url: `${refs.itSystemUrl}/laptops`,
          body: '{"employeeId": "{{ employee.id }}", "email": "{{ employee.email }}", "department": "{{ employee.department }}"}',
        },
        position: { x: 150, y: 480 },
      },
      {
        id: "tell_it",
        kind: "email",
        name: "Tell IT the order was declined",
        config: {
          to: "it@acme.example",
          subject:
            "Equipment for {{ employee.firstName }} {{ employee.lastName }} was not approved",
          body: "Decision: {{ nodes.manager_approval.output.decision }}.",
        },
        position: { x: 450, y: 480 },
      },
      {
        id: "until_start",
        kind: "delay",
        name: "Wait until the start date",
        config: {
          mode: "until",
          date: "{{ employee.startDate }}",
          time: "08:00",
          timeZone: "Europe/London",
        },
        position: { x: 150, y: 600 },
      },
      {
        id: "first_day",
        kind: "slack_message",
        name: "First-day message",
        config: {
          credentialId: refs.slackCredentialId,
          target: { type: "user", email: "{{ employee.manager.email }}" },
          text: "{{ employee.firstName }} starts today. Their laptop order: {{ nodes.order_laptop.output.status }}.",
        },
        position: { x: 150, y: 720 },
      },
    ],
    [
      ["trigger", "welcome_text"],
      ["welcome_text", "welcome_email"],
      ["welcome_text", "announce"],
      ["welcome_email", "manager_approval"],
      ["announce", "manager_approval"],
      ["manager_approval", "order_laptop", "approved"],
      ["manager_approval", "tell_it", "rejected"],
      ["manager_approval", "tell_it", "timeout"],
      ["order_laptop", "until_start"],
      ["until_start", "first_day"],
    ],
  );
}

export function offboardingWorkflow(refs: SampleRefs): WorkflowDefinitionInput {
  return build(
    [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee leaves",
        config: { type: "lifecycle_event", event: "employee.exit" },
      },
      {
        id: "revoke_access",
        kind: "http_request",
        name: "Revoke access in the IT system",
        protected: true,
        retry: { maxAttempts: 5, backoff: "exponential", delaySeconds: 10 },
        config: {
          method: "POST",
          url: `${refs.itSystemUrl}/accounts/{{ employee.id }}/suspend`,
          body: '{"reason": "exit", "endDate": "{{ employee.endDate }}"}',
        },
      },
      {
        id: "alert_security",
        kind: "email",
        name: "Alert security (compensation)",
        config: {
          to: "security@acme.example",
          subject:
            "URGENT: access for {{ employee.firstName }} {{ employee.lastName }} was not revoked",
          body: 'The offboarding step "{{ failure.nodeName }}" failed: {{ failure.message }}\n\nRevoke access by hand today.',
        },
      },
      {
        id: "post_channel",
        kind: "slack_message",
        name: "Tell the team",
        config: {
          credentialId: refs.slackCredentialId,
          target: { type: "channel", channel: "#general" },
          text: "{{ employee.firstName }} {{ employee.lastName }}'s last day is {{ employee.endDate }}.",
        },
      },
      {
        id: "manager_note",
        kind: "email",
        name: "Checklist to the manager",
        config: {
          to: "{{ employee.manager.email }}",
          subject: "Offboarding checklist for {{ employee.firstName }}",
          body: "Access was revoked. Please collect the laptop and badge by {{ employee.endDate }}.",
        },
      },
    ],
    [
      ["trigger", "revoke_access"],
      ["revoke_access", "alert_security", "compensation"],
      ["revoke_access", "post_channel"],
      ["revoke_access", "manager_note"],
    ],
  );
}

export function transferWorkflow(refs: SampleRefs): WorkflowDefinitionInput {
  return build(
    [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee transfers",
        config: { type: "lifecycle_event", event: "employee.transfer" },
      },
      {
        id: "changed_department",
        kind: "condition",
        name: "Department changed?",
        config: { expression: "previous.department != employee.department" },
      },
      {
        id: "update_groups",
        kind: "http_request",
        name: "Move groups in the IT system",
        config: {
          method: "PUT",
          url: `${refs.itSystemUrl}/accounts/{{ employee.id }}/department`,
          body: '{"from": "{{ previous.department }}", "to": "{{ employee.department }}"}',
        },
      },
      {
        id: "tell_manager",
        kind: "email",
        name: "Tell the new manager",
        config: {
          to: "{{ employee.manager.email }}",
          subject: "{{ employee.firstName }} {{ employee.lastName }} joins your team",
          body: "{{ employee.firstName }} moves from {{ previous.department }} to {{ employee.department }} as {{ employee.title }}.",
        },
      },
    ],
    [
      ["trigger", "changed_department"],
      ["changed_department", "update_groups", "true"],
      ["update_groups", "tell_manager"],
    ],
  );
}

export const SAMPLE_WORKFLOWS = [
  {
    name: "Onboarding",
    description: "Welcome, announce, approve equipment, order the laptop, and greet on day one.",
    build: onboardingWorkflow,
  },
  {
    name: "Offboarding",
    description:
      "Revoke access (with a compensation alert if it fails), tell the team and the manager.",
    build: offboardingWorkflow,
  },
  {
    name: "Transfer",
    description: "Move groups when the department changes and introduce the new manager.",
    build: transferWorkflow,
  },
] as const;
