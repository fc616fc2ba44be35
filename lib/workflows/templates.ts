import type { LifecycleEventType } from "@/lib/events/lifecycle-event";
import {
  type WorkflowDefinition,
  type WorkflowDefinitionInput,
  workflowDefinitionSchema,
} from "./definition";

// The ready-made joiner, mover and leaver workflows: the designer's templates
// gallery creates drafts from them, and the demo organisation is seeded with
// them. The gallery has no credentials or IT system to point at, so without
// refs credential fields are left out (the designer asks for one on those
// nodes) and the IT system is a placeholder URL; the seed passes real ones.

export type TemplateRefs = {
  slackCredentialId?: string;
  openaiCredentialId?: string;
  /** The IT system's REST API, without a trailing slash. */
  itSystemUrl?: string;
  /** Where the IT and security teams' addresses live (it@…, security@…). */
  emailDomain?: string;
};

export const WORKFLOW_TEMPLATE_IDS = ["joiner", "mover", "leaver"] as const;
export type WorkflowTemplateId = (typeof WORKFLOW_TEMPLATE_IDS)[number];

export type WorkflowTemplate = {
  id: WorkflowTemplateId;
  name: string;
  description: string;
  /** The lifecycle event the template's trigger listens for. */
  event: LifecycleEventType;
  definition: (refs?: TemplateRefs) => WorkflowDefinitionInput;
};

/** Clearly not a real system: a template's HTTP nodes point here until someone edits them. */
export const PLACEHOLDER_IT_SYSTEM_URL = "https://it.example.com/api";
const PLACEHOLDER_EMAIL_DOMAIN = "example.com";

type Edge = [from: string, to: string, label?: string];

function build(nodes: WorkflowDefinitionInput["nodes"], edges: Edge[]): WorkflowDefinitionInput {
  return {
    schemaVersion: 1,
    nodes,
    edges: edges.map(([from, to, label]) => ({
      id: `${from}-${to}${label ? `-${label}` : ""}`,
      from,
      to,
      ...(label ? { label } : {}),
    })),
  };
}

/** `{ credentialId }` when the credential is known, nothing otherwise. */
const credential = (id: string | undefined) => (id ? { credentialId: id } : {});

function refsWithDefaults(refs: TemplateRefs = {}) {
  return {
    ...refs,
    itSystemUrl: refs.itSystemUrl ?? PLACEHOLDER_IT_SYSTEM_URL,
    emailDomain: refs.emailDomain ?? PLACEHOLDER_EMAIL_DOMAIN,
  };
}

function joinerDefinition(input?: TemplateRefs): WorkflowDefinitionInput {
  const refs = refsWithDefaults(input);
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
          ...credential(refs.openaiCredentialId),
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
          subject: "Welcome aboard, {{ employee.firstName }}!",
          body: "{{ nodes.welcome_text.output.text }}\n\nYour first day is {{ employee.startDate }}.",
        },
        position: { x: 100, y: 240 },
      },
      {
        id: "announce",
        kind: "slack_message",
        name: "Announce in #general",
        config: {
          ...credential(refs.slackCredentialId),
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
          to: `it@${refs.emailDomain}`,
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
          ...credential(refs.slackCredentialId),
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

function moverDefinition(input?: TemplateRefs): WorkflowDefinitionInput {
  const refs = refsWithDefaults(input);
  return build(
    [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee transfers",
        config: { type: "lifecycle_event", event: "employee.transfer" },
        position: { x: 300, y: 0 },
      },
      {
        id: "changed_department",
        kind: "condition",
        name: "Department changed?",
        config: { expression: "previous.department != employee.department" },
        position: { x: 300, y: 120 },
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
        position: { x: 300, y: 240 },
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
        position: { x: 300, y: 360 },
      },
    ],
    [
      ["trigger", "changed_department"],
      ["changed_department", "update_groups", "true"],
      ["update_groups", "tell_manager"],
    ],
  );
}

function leaverDefinition(input?: TemplateRefs): WorkflowDefinitionInput {
  const refs = refsWithDefaults(input);
  return build(
    [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee leaves",
        config: { type: "lifecycle_event", event: "employee.exit" },
        position: { x: 300, y: 0 },
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
        position: { x: 300, y: 120 },
      },
      {
        id: "alert_security",
        kind: "email",
        name: "Alert security (compensation)",
        config: {
          to: `security@${refs.emailDomain}`,
          subject:
            "URGENT: access for {{ employee.firstName }} {{ employee.lastName }} was not revoked",
          body: 'The offboarding step "{{ failure.nodeName }}" failed: {{ failure.message }}\n\nRevoke access by hand today.',
        },
        position: { x: 60, y: 240 },
      },
      {
        id: "post_channel",
        kind: "slack_message",
        name: "Tell the team",
        config: {
          ...credential(refs.slackCredentialId),
          target: { type: "channel", channel: "#general" },
          text: "{{ employee.firstName }} {{ employee.lastName }}'s last day is {{ employee.endDate }}.",
        },
        position: { x: 300, y: 240 },
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
        position: { x: 540, y: 240 },
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

/** In the order the gallery shows them: joiner, mover, leaver. */
export const WORKFLOW_TEMPLATES: readonly WorkflowTemplate[] = [
  {
    id: "joiner",
    name: "Onboarding",
    description: "Welcome, announce, approve equipment, order the laptop, and greet on day one.",
    event: "employee.onboard",
    definition: joinerDefinition,
  },
  {
    id: "mover",
    name: "Transfer",
    description: "Move groups when the department changes and introduce the new manager.",
    event: "employee.transfer",
    definition: moverDefinition,
  },
  {
    id: "leaver",
    name: "Offboarding",
    description:
      "Revoke access (with a compensation alert if it fails), tell the team and the manager.",
    event: "employee.exit",
    definition: leaverDefinition,
  },
];

export function workflowTemplate(id: WorkflowTemplateId): WorkflowTemplate {
  const template = WORKFLOW_TEMPLATES.find((candidate) => candidate.id === id);
  if (!template) throw new Error(`no workflow template "${id}"`);
  return template;
}

/** A template's definition as a draft stores it (defaults filled in). */
export function templateDefinition(
  id: WorkflowTemplateId,
  refs?: TemplateRefs,
): WorkflowDefinition {
  return workflowDefinitionSchema.parse(workflowTemplate(id).definition(refs));
}

/** The gallery: each template with its definition (no refs) and node count. */
export function listWorkflowTemplates() {
  return WORKFLOW_TEMPLATES.map((template) => {
    const definition = templateDefinition(template.id);
    return {
      id: template.id,
      name: template.name,
      description: template.description,
      event: template.event,
      nodeCount: definition.nodes.length,
      definition,
    };
  });
}
