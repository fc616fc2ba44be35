import { z } from "zod";
import { signUpSchema } from "@/lib/accounts/sign-up";
import { createApiKeySchema } from "@/lib/api-keys/service";
import { decisionInputSchema } from "@/lib/approvals/service";
import { auditLogFilterSchema } from "@/lib/audit-log/query";
import { createCredentialSchema, updateCredentialSchema } from "@/lib/credentials/service";
import {
  employeeSchema,
  LIFECYCLE_EVENT_TYPES,
  lifecycleEventDataSchema,
  previousEmployeeSchema,
} from "@/lib/events/lifecycle-event";
import { acceptInvitationSchema } from "@/lib/invitations/accept";
import { createInvitationSchema } from "@/lib/invitations/service";
import { changeRoleSchema } from "@/lib/members/service";
import { updateOrganizationSchema } from "@/lib/organizations/schemas";
import { listRunsSchema, startRunSchema } from "@/lib/runs/service";
import { listDeliveriesSchema, MAX_DISPLAYED_BODY_BYTES } from "@/lib/webhooks/deliveries";
import {
  createWebhookEndpointSchema,
  rotateWebhookSecretSchema,
  updateWebhookEndpointSchema,
} from "@/lib/webhooks/endpoints";
import { MAX_WEBHOOK_BODY_BYTES } from "@/lib/webhooks/ingest";
import { WEBHOOK_SOURCE_TYPES } from "@/lib/webhooks/sources";
import { nodeIdSchema, workflowDefinitionSchema } from "@/lib/workflows/definition";
import {
  createWorkflowSchema,
  publishWorkflowSchema,
  updateWorkflowSchema,
} from "@/lib/workflows/service";
import { WORKFLOW_TEMPLATE_IDS } from "@/lib/workflows/templates";
import { PROBLEM_CODES } from "@/lib/workflows/validate";

// The OpenAPI 3.1 document for /api/v1, generated from the same zod schemas
// the routes validate with (3.1 uses JSON Schema 2020-12, zod's native
// output). Each later feature adds its operations to OPERATIONS.

type Operation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  permission?: string;
  body?: z.ZodType;
  query?: z.ZodObject | z.ZodType;
  success: number;
  /** The success body, where it is worth describing field by field. */
  response?: z.ZodType;
  tag: string;
  /** Statuses beyond 400 (and 401/403/404 for tenant routes) this operation may answer. */
  errors?: number[];
  /** What a status means for this operation, where the general description says too little. */
  errorNotes?: Partial<Record<number, string>>;
  /** What the success status means, where "Success" says too little. */
  successNote?: string;
  /** Other non-error answers, e.g. the webhook route's 200 for a delivery it already has. */
  otherAnswers?: { status: number; description: string; response?: z.ZodType }[];
  /** Request headers the operation reads (the webhook route's signature headers). */
  headers?: { name: string; description: string }[];
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  401: "Not signed in, or the API key is invalid, expired or revoked",
  404: "Not found",
  409: "Conflicts with existing data (the issue names the field)",
  410: "No longer usable (expired or revoked)",
  413: "Body too large",
  415: "Body is not JSON",
  422: "The workflow definition has problems; `problems` lists each, naming its node or edge",
  429: "Too many attempts; see Retry-After",
  502: "The email provider refused the message; nothing was stored",
  503: "The workflow engine could not be reached; nothing was started, try again",
};

// Documentation-only shapes of answers the routes build from service results.
const definitionProblemSchema = z.object({
  code: z.enum(PROBLEM_CODES),
  message: z.string(),
  nodeId: nodeIdSchema.optional(),
  edgeId: z.string().optional(),
  field: z.string().optional().describe("The node's or edge's field, dotted"),
});
const runStatusSchema = z.enum([
  "queued",
  "running",
  "waiting",
  "completed",
  "failed",
  "cancelled",
]);
const startedRunSchema = z.object({
  run: z.object({
    id: z.uuid(),
    status: runStatusSchema,
    workflowId: z.uuid(),
    workflowVersionId: z.uuid(),
    isTest: z.boolean(),
  }),
});
const decisionSchema = z.enum(["approved", "rejected"]);
const workflowTemplatesSchema = z.object({
  templates: z.array(
    z.object({
      id: z.enum(WORKFLOW_TEMPLATE_IDS).describe("Pass as `templateId` to POST /v1/workflows"),
      name: z.string(),
      description: z.string(),
      event: z.enum(LIFECYCLE_EVENT_TYPES).describe("The lifecycle event its trigger listens for"),
      nodeCount: z.number().int(),
      definition: workflowDefinitionSchema,
    }),
  ),
});

/** The employee payload as the service checks it (the route itself accepts any JSON there). */
const startRunBodySchema = startRunSchema.safeExtend({
  employee: employeeSchema.optional().describe("Required unless the workflow runs on a schedule"),
  previous: previousEmployeeSchema.optional(),
});
const validateBodySchema = z
  .object({
    definition: workflowDefinitionSchema
      .optional()
      .describe(
        "The definition to check; without it, the saved draft. Any JSON is accepted and answered with problems.",
      ),
  })
  .strict();

const webhookEndpointWithSecretSchema = z.object({
  endpoint: z.object({
    id: z.uuid(),
    name: z.string(),
    sourceType: z.enum(WEBHOOK_SOURCE_TYPES),
    config: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
    url: z.url().describe("Where the sender POSTs deliveries"),
    secretHint: z.string().describe("Masked, e.g. whsec_…a1b2"),
    keyId: z.string(),
    previousSecretExpiresAt: z.iso
      .datetime()
      .nullable()
      .describe("Until when the replaced secret still verifies"),
    lastDeliveryAt: z.iso.datetime().nullable(),
    createdAt: z.iso.datetime(),
    updatedAt: z.iso.datetime(),
  }),
  secret: z
    .string()
    .optional()
    .describe(
      "The new signing secret, when OfficeFlow generated it: shown this once, never again. Absent when you sent the secret.",
    ),
});

const deliveryStatusSchema = listDeliveriesSchema.shape.status.unwrap();
const deliverySummarySchema = z.object({
  id: z.uuid(),
  deliveryKey: z
    .string()
    .describe(
      "The sender's delivery id (webhook-id), or a hash of the signed content when it sends none",
    ),
  status: deliveryStatusSchema.describe(
    "received (verified, no lifecycle event), rejected (refused; see rejectionReason), pending_dispatch (stored, not yet sent to the engine), dispatched",
  ),
  rejectionReason: z.string().nullable(),
  receivedAt: z.iso.datetime(),
  dispatchedAt: z.iso.datetime().nullable(),
  dispatchAttempts: z.number().int(),
  eventCount: z.number().int().describe("Lifecycle events stored for it, replays included"),
  runCount: z.number().int().describe("Runs those events started"),
});
const deliveryDetailSchema = z.object({
  delivery: deliverySummarySchema.extend({
    headers: z
      .record(z.string(), z.string())
      .describe("Request headers; signatures, secrets and cookies are never stored"),
    body: z
      .string()
      .describe(
        `The raw body, cut to ${MAX_DISPLAYED_BODY_BYTES / 1024} KiB; empty for rejected deliveries, whose body is not kept`,
      ),
    bodyBytes: z.number().int(),
    bodyTruncated: z.boolean(),
    replayable: z.boolean().describe("Verified deliveries can be replayed; rejected ones cannot"),
    events: z.array(
      z.object({
        id: z.uuid(),
        type: z.string(),
        sequence: z.number().int().describe("Order within the delivery; replays continue it"),
        occurredAt: z.iso.datetime(),
        createdAt: z.iso.datetime(),
        dispatchedAt: z.iso.datetime().nullable(),
        employee: z
          .object({
            id: z.string(),
            name: z.string(),
            email: z.string(),
            department: z.string().nullable(),
          })
          .nullable(),
        data: lifecycleEventDataSchema.describe("The normalised event, as workflows see it"),
        replay: z
          .object({ at: z.iso.datetime(), by: z.string() })
          .nullable()
          .describe("Set when a replay stored this event"),
        runs: z.array(
          z.object({
            id: z.uuid(),
            status: runStatusSchema,
            isTest: z.boolean(),
            createdAt: z.iso.datetime(),
            workflow: z.object({ id: z.uuid(), name: z.string() }),
          }),
        ),
      }),
    ),
  }),
});

/** The body a sender posts when it speaks OfficeFlow's shape (no mapping, not BambooHR). */
const canonicalLifecycleEventSchema = lifecycleEventDataSchema.extend({
  type: z
    .string()
    .describe(
      `${LIFECYCLE_EVENT_TYPES.join(", ")}, or a custom dotted name such as acme.badge_requested`,
    ),
  occurredAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe("When it happened; defaults to when it arrived"),
});
const webhookDeliveryBodySchema = z
  .union([
    canonicalLifecycleEventSchema,
    z.object({ events: z.array(canonicalLifecycleEventSchema).min(1).max(100) }).strict(),
  ])
  .describe(
    "One lifecycle event `{ type, employee, previous? }` or `{ events: [...] }`. BambooHR endpoints take BambooHR's own payload instead, and an endpoint with a `mapping` takes whatever JSON its JSONata expression turns into this shape.",
  );

/** Path parameters that are not uuids. */
const PATH_PARAMETERS: Record<string, Record<string, unknown>> = {
  nodeId: { type: "string", description: "The approval node's id in the run's workflow version" },
  token: { type: "string", description: "The token from the emailed approval link" },
};

const OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/sign-up",
    summary: "Create an account and its organisation",
    body: signUpSchema,
    success: 201,
    tag: "Accounts",
    errors: [409, 413, 415, 429],
  },
  {
    method: "post",
    path: "/invitations/accept",
    summary: "Accept an invitation by token",
    body: acceptInvitationSchema,
    success: 200,
    tag: "Accounts",
    errors: [401, 403, 404, 409, 410, 429],
  },
  {
    method: "get",
    path: "/v1/organization",
    summary: "The organisation and your role",
    permission: "organization:read",
    success: 200,
    tag: "Organisation",
  },
  {
    method: "patch",
    path: "/v1/organization",
    summary: "Rename the organisation or change its URL slug",
    permission: "organization:update",
    body: updateOrganizationSchema,
    success: 200,
    tag: "Organisation",
  },
  {
    method: "get",
    path: "/v1/members",
    summary: "List members",
    permission: "members:read",
    success: 200,
    tag: "Members",
  },
  {
    method: "patch",
    path: "/v1/members/{membershipId}",
    summary: "Change a member's role",
    permission: "members:update",
    body: changeRoleSchema,
    success: 200,
    tag: "Members",
  },
  {
    method: "delete",
    path: "/v1/members/{membershipId}",
    summary: "Remove a member (or leave)",
    permission: "members:remove",
    success: 200,
    tag: "Members",
  },
  {
    method: "get",
    path: "/v1/invitations",
    summary: "List invitations",
    permission: "members:read",
    success: 200,
    tag: "Members",
  },
  {
    method: "post",
    path: "/v1/invitations",
    summary: "Invite someone by email",
    permission: "members:invite",
    body: createInvitationSchema,
    success: 201,
    tag: "Members",
    errors: [409, 502],
  },
  {
    method: "delete",
    path: "/v1/invitations/{invitationId}",
    summary: "Revoke an invitation",
    permission: "members:invite",
    success: 200,
    tag: "Members",
  },
  {
    method: "post",
    path: "/v1/invitations/{invitationId}/resend",
    summary: "Send an invitation again with a fresh link",
    permission: "members:invite",
    success: 200,
    tag: "Members",
  },
  {
    method: "get",
    path: "/v1/api-keys",
    summary: "List API keys",
    permission: "api-keys:manage",
    success: 200,
    tag: "API keys",
  },
  {
    method: "post",
    path: "/v1/api-keys",
    summary: "Create an API key (the secret is returned once)",
    permission: "api-keys:manage",
    body: createApiKeySchema,
    success: 201,
    tag: "API keys",
  },
  {
    method: "delete",
    path: "/v1/api-keys/{apiKeyId}",
    summary: "Revoke an API key",
    permission: "api-keys:manage",
    success: 200,
    tag: "API keys",
  },
  {
    method: "get",
    path: "/v1/credential-kinds",
    summary: "Credential kinds, with JSON Schemas of their secret and settings fields",
    permission: "credentials:read",
    success: 200,
    tag: "Credentials",
  },
  {
    method: "get",
    path: "/v1/credentials",
    summary: "List credentials (metadata and a masked hint; never the secret)",
    permission: "credentials:read",
    success: 200,
    tag: "Credentials",
  },
  {
    method: "post",
    path: "/v1/credentials",
    summary: "Store a credential; the secret is encrypted and never returned",
    permission: "credentials:manage",
    body: createCredentialSchema,
    success: 201,
    tag: "Credentials",
    errors: [409],
  },
  {
    method: "get",
    path: "/v1/credentials/{credentialId}",
    summary: "A credential's metadata and masked hint (never the secret)",
    permission: "credentials:read",
    success: 200,
    tag: "Credentials",
  },
  {
    method: "patch",
    path: "/v1/credentials/{credentialId}",
    summary: "Rename a credential, replace its settings, or replace its whole secret",
    permission: "credentials:manage",
    body: updateCredentialSchema,
    success: 200,
    tag: "Credentials",
    errors: [409],
  },
  {
    method: "delete",
    path: "/v1/credentials/{credentialId}",
    summary: "Delete a credential",
    permission: "credentials:manage",
    success: 200,
    tag: "Credentials",
  },
  {
    method: "get",
    path: "/v1/webhook-endpoints",
    summary: "List webhook endpoints (URL, source, config, masked secret hint; never the secret)",
    permission: "webhooks:manage",
    success: 200,
    tag: "Webhooks",
  },
  {
    method: "post",
    path: "/v1/webhook-endpoints",
    summary:
      "Create a webhook endpoint; a generated signing secret is in this answer only (`secret`), a pasted one is not echoed",
    permission: "webhooks:manage",
    body: createWebhookEndpointSchema,
    response: webhookEndpointWithSecretSchema,
    success: 201,
    tag: "Webhooks",
    errors: [409],
  },
  {
    method: "get",
    path: "/v1/webhook-endpoints/{endpointId}",
    summary: "A webhook endpoint's settings and masked secret hint (never the secret)",
    permission: "webhooks:manage",
    success: 200,
    tag: "Webhooks",
  },
  {
    method: "patch",
    path: "/v1/webhook-endpoints/{endpointId}",
    summary: "Rename, enable or disable a webhook endpoint, or replace its config",
    permission: "webhooks:manage",
    body: updateWebhookEndpointSchema,
    success: 200,
    tag: "Webhooks",
    errors: [409],
  },
  {
    method: "delete",
    path: "/v1/webhook-endpoints/{endpointId}",
    summary: "Delete a webhook endpoint and its delivery log",
    permission: "webhooks:manage",
    success: 200,
    tag: "Webhooks",
  },
  {
    method: "post",
    path: "/v1/webhook-endpoints/{endpointId}/rotate-secret",
    summary:
      "Replace the signing secret; the old one keeps verifying for `overlapMinutes`. A generated secret is in this answer only",
    permission: "webhooks:manage",
    body: rotateWebhookSecretSchema,
    response: webhookEndpointWithSecretSchema,
    success: 200,
    tag: "Webhooks",
    errors: [409],
    errorNotes: {
      409: "The secret was rotated meanwhile by another request; reload and try again",
    },
  },
  {
    method: "get",
    path: "/v1/webhook-endpoints/{endpointId}/deliveries",
    summary:
      "An endpoint's delivery log, newest first: status, rejection reason, events and runs per delivery",
    permission: "webhooks:manage",
    query: listDeliveriesSchema,
    response: z.object({
      deliveries: z.array(deliverySummarySchema),
      nextCursor: z.uuid().nullable().describe("Pass as `cursor` for the next page"),
    }),
    success: 200,
    tag: "Webhooks",
  },
  {
    method: "get",
    path: "/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}",
    summary:
      "One delivery: headers, raw body (up to 64 KiB), the lifecycle events it was normalised into and the runs each started",
    permission: "webhooks:manage",
    response: deliveryDetailSchema,
    success: 200,
    tag: "Webhooks",
  },
  {
    method: "post",
    path: "/v1/webhook-endpoints/{endpointId}/deliveries/{deliveryId}/replay",
    summary:
      "Replay a verified delivery: its stored body is normalised again with the endpoint's current settings into new lifecycle events, so matching workflows run again. Audited",
    permission: "webhooks:manage",
    response: z.object({
      delivery: z.object({ id: z.uuid(), status: deliveryStatusSchema }),
      events: z.array(z.object({ id: z.uuid(), type: z.string(), sequence: z.number().int() })),
      dispatched: z
        .boolean()
        .describe(
          "False when the engine could not be reached: the events are stored and sent within a minute",
        ),
    }),
    success: 202,
    tag: "Webhooks",
    errors: [409],
    errorNotes: {
      400: "The stored body no longer normalises with the endpoint's current settings; `issues` names the field",
      409: "The delivery was rejected (never verified), the endpoint is disabled, or its accepted event types leave no event",
    },
  },
  {
    method: "post",
    path: "/hooks/{endpointId}",
    summary:
      "Receive a lifecycle event from an HR system (the endpoint's URL). Authenticated by the signature of the endpoint's source type; starts matching published workflows after answering",
    headers: [
      {
        name: "webhook-id",
        description:
          "standard_webhooks: the delivery id, the same on every retry (svix-id is accepted too)",
      },
      {
        name: "webhook-timestamp",
        description:
          "standard_webhooks: Unix seconds; refused outside ±5 minutes (svix-timestamp is accepted too)",
      },
      {
        name: "webhook-signature",
        description:
          "standard_webhooks: space-separated `v1,<base64 HMAC-SHA256 of {id}.{timestamp}.{body}>`, keyed with the base64-decoded secret after `whsec_` (svix-signature is accepted too)",
      },
      {
        name: "X-BambooHR-Timestamp",
        description: "bamboohr: when BambooHR sent it; refused outside ±5 minutes",
      },
      {
        name: "X-BambooHR-Signature",
        description:
          "bamboohr: hex HMAC-SHA256 of the body followed by the timestamp, keyed with the webhook's private key",
      },
      {
        name: "X-Signature",
        description:
          "hmac_header: the header the endpoint's config.signatureHeader names (X-Signature is an example; HiBob sends Bob-Signature), carrying an HMAC (sha256/sha512, hex/base64, optional prefix) of the body, or of `{timestamp}.{body}` when config.timestampHeader is set; config.deliveryIdHeader, when set, names the delivery id",
      },
    ],
    body: webhookDeliveryBodySchema,
    response: z.object({
      deliveryId: z.uuid(),
      events: z.number().int().describe("Lifecycle events stored (0 when none is accepted)"),
      duplicate: z.literal(false),
    }),
    success: 202,
    successNote: "Verified and stored; workflows start after the answer",
    otherAnswers: [
      {
        status: 200,
        description:
          "A delivery with this id was already received: acknowledged, nothing starts again",
        response: z.object({ deliveryId: z.uuid().nullable(), duplicate: z.literal(true) }),
      },
    ],
    tag: "Webhooks",
    errors: [401, 404, 413, 415, 503],
    errorNotes: {
      400: "A signature header is missing, or the body is not JSON or does not normalise into lifecycle events; `issues` names the field (logged as rejected)",
      401: "The signature does not verify, or the timestamp is outside ±5 minutes (logged as rejected)",
      404: "No enabled endpoint has this id",
      413: `Body larger than ${MAX_WEBHOOK_BODY_BYTES / 1024} KiB`,
      415: "Content-Type is not application/json",
      503: "The database is unavailable; nothing was stored, send it again",
    },
  },
  {
    method: "get",
    path: "/v1/audit-logs",
    summary: "Audit log entries, newest first",
    permission: "audit:read",
    query: auditLogFilterSchema,
    success: 200,
    tag: "Audit log",
  },
  {
    method: "get",
    path: "/v1/audit-logs/export",
    summary: "Audit log as CSV",
    permission: "audit:read",
    query: auditLogFilterSchema,
    success: 200,
    tag: "Audit log",
  },
  {
    method: "get",
    path: "/v1/workflows",
    summary: "List workflows (not archived), newest change first",
    permission: "workflows:read",
    success: 200,
    tag: "Workflows",
  },
  {
    method: "post",
    path: "/v1/workflows",
    summary:
      "Create a workflow; its draft starts as the given definition, a template (`templateId`, see /v1/workflow-templates) or a trigger alone",
    permission: "workflows:edit",
    body: createWorkflowSchema,
    success: 201,
    tag: "Workflows",
    errors: [413, 415],
    errorNotes: {
      400: "Invalid input; `issues` names each field at fault (`templateId` when it is unknown or sent together with `definition`)",
    },
  },
  {
    method: "get",
    path: "/v1/workflow-templates",
    summary:
      "The templates gallery: ready-made joiner, mover and leaver workflows with their definitions (credentials left for you to choose)",
    permission: "workflows:read",
    response: workflowTemplatesSchema,
    success: 200,
    tag: "Workflows",
  },
  {
    method: "get",
    path: "/v1/workflows/{workflowId}",
    summary: "A workflow with its draft, the draft's problems and the active version",
    permission: "workflows:read",
    success: 200,
    tag: "Workflows",
  },
  {
    method: "patch",
    path: "/v1/workflows/{workflowId}",
    summary: "Save the draft (name, description, definition); returns the draft's problems",
    permission: "workflows:edit",
    body: updateWorkflowSchema,
    success: 200,
    tag: "Workflows",
    errors: [409, 413, 415],
    errorNotes: {
      409: "The draft changed since `expectedRevision`; reload it and apply the edit again",
    },
  },
  {
    method: "delete",
    path: "/v1/workflows/{workflowId}",
    summary: "Archive a workflow (its versions and runs are kept)",
    permission: "workflows:edit",
    success: 200,
    tag: "Workflows",
  },
  {
    method: "post",
    path: "/v1/workflows/{workflowId}/validate",
    summary: "Check a definition (or the saved draft) as publishing would, saving nothing",
    permission: "workflows:read",
    body: validateBodySchema,
    response: z.object({ valid: z.boolean(), problems: z.array(definitionProblemSchema) }),
    success: 200,
    tag: "Workflows",
    errors: [413, 415],
  },
  {
    method: "post",
    path: "/v1/workflows/{workflowId}/publish",
    summary: "Publish the saved draft as the next version, which new runs use",
    permission: "workflows:publish",
    body: publishWorkflowSchema,
    success: 201,
    tag: "Workflows",
    errors: [409, 422],
    errorNotes: { 409: "The draft changed since `expectedRevision`; reload before publishing" },
  },
  {
    method: "get",
    path: "/v1/workflows/{workflowId}/versions",
    summary: "Published versions, newest first, marking the active one",
    permission: "workflows:read",
    success: 200,
    tag: "Workflows",
  },
  {
    method: "get",
    path: "/v1/workflows/{workflowId}/versions/{versionId}",
    summary: "A published version with its definition",
    permission: "workflows:read",
    success: 200,
    tag: "Workflows",
  },
  {
    method: "post",
    path: "/v1/workflows/{workflowId}/versions/{versionId}/rollback",
    summary: "Publish an earlier version's definition again, as a new version",
    permission: "workflows:publish",
    success: 201,
    tag: "Workflows",
    errors: [422],
  },
  {
    method: "get",
    path: "/v1/node-kinds",
    summary:
      "Node kinds, with their branches, default config and JSON Schemas of config and output",
    permission: "workflows:read",
    success: 200,
    tag: "Workflows",
  },
  {
    method: "get",
    path: "/v1/workflow-definition-schema",
    summary: "The workflow definition format as JSON Schema (2020-12)",
    permission: "workflows:read",
    success: 200,
    tag: "Workflows",
  },
  {
    method: "post",
    path: "/v1/workflows/{workflowId}/runs",
    summary:
      "Start a run for an employee (202: the engine runs it). A test run of the draft also needs workflows:edit",
    permission: "runs:start",
    body: startRunBodySchema,
    response: startedRunSchema,
    success: 202,
    tag: "Runs",
    errors: [409, 422, 503],
    errorNotes: {
      409: "The workflow has no published version (publish it, or start a test run of the draft)",
      422: "A test run of the draft: the draft has problems",
    },
  },
  {
    method: "get",
    path: "/v1/runs",
    summary: "Runs, newest first",
    permission: "runs:read",
    query: listRunsSchema,
    success: 200,
    tag: "Runs",
  },
  {
    method: "get",
    path: "/v1/runs/{runId}",
    summary: "A run with its steps (every attempt), inputs, outputs and errors",
    permission: "runs:read",
    success: 200,
    tag: "Runs",
  },
  {
    method: "post",
    path: "/v1/runs/{runId}/cancel",
    summary: "Cancel a run and its sub-workflow runs; nodes not yet started never run",
    permission: "runs:cancel",
    response: z.object({ run: z.object({ id: z.uuid(), status: z.literal("cancelled") }) }),
    success: 200,
    tag: "Runs",
    errors: [409],
    errorNotes: { 409: "The run has already finished" },
  },
  {
    method: "post",
    path: "/v1/runs/{runId}/rerun",
    summary: "Run the same version again with the same input, as a new run",
    permission: "runs:start",
    response: startedRunSchema,
    success: 202,
    tag: "Runs",
    errors: [409, 503],
    errorNotes: { 409: "The run has not finished yet" },
  },
  {
    method: "post",
    path: "/v1/runs/{runId}/retry",
    summary: "Retry a failed run from its failed node, reusing what completed",
    permission: "runs:start",
    response: startedRunSchema,
    success: 202,
    tag: "Runs",
    errors: [409, 503],
    errorNotes: { 409: "Only a failed run can be retried" },
  },
  {
    method: "post",
    path: "/v1/runs/{runId}/approvals/{nodeId}",
    summary:
      "Approve or reject a run's approval node (a decision made before the run reaches it is kept)",
    permission: "runs:approve",
    body: decisionInputSchema,
    response: z.object({
      approval: z.object({
        id: z.uuid(),
        runId: z.uuid(),
        nodeId: z.string(),
        decision: decisionSchema,
      }),
    }),
    success: 200,
    tag: "Runs",
    errors: [409, 410],
    errorNotes: {
      409: "The approval was already decided, or the run has finished",
      410: "The approval has expired",
    },
  },
  {
    method: "post",
    path: "/approvals/{token}",
    summary: "Decide through an emailed approval link; the token authorises, once",
    body: decisionInputSchema,
    response: z.object({ decision: decisionSchema }),
    success: 200,
    tag: "Runs",
    errors: [404, 409, 410, 413, 415, 429],
    errorNotes: {
      404: "No approval has this link",
      409: "The approval was already decided (by another approver, or through the API)",
      410: "The link was already used, or the approval has expired",
    },
  },
];

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        issues: {
          type: "array",
          items: {
            type: "object",
            properties: { field: { type: "string" }, message: { type: "string" } },
          },
        },
        problems: {
          type: "array",
          description: "With 422 definition_invalid: every problem of the workflow definition",
          items: {
            type: "object",
            properties: {
              code: { type: "string" },
              message: { type: "string" },
              nodeId: { type: "string" },
              edgeId: { type: "string" },
              field: { type: "string" },
            },
            required: ["code", "message"],
          },
        },
      },
      required: ["code", "message"],
    },
  },
};

function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input") {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

function queryParameters(operation: Operation) {
  const parameters: Record<string, unknown>[] = [];
  for (const match of operation.path.match(/\{(\w+)\}/g) ?? []) {
    const name = match.slice(1, -1);
    const { description, ...schema } = PATH_PARAMETERS[name] ?? {
      type: "string",
      format: "uuid",
    };
    parameters.push({
      name,
      in: "path",
      required: true,
      ...(description ? { description } : {}),
      schema,
    });
  }
  for (const header of operation.headers ?? []) {
    parameters.push({
      name: header.name,
      in: "header",
      required: false,
      description: header.description,
      schema: { type: "string" },
    });
  }
  if (operation.path.startsWith("/v1/")) {
    parameters.push({
      name: "org",
      in: "query",
      required: false,
      description:
        "The organisation's slug. Required with a browser session; optional with an API key (must match the key's organisation).",
      schema: { type: "string" },
    });
  }
  if (operation.query) {
    const schema = jsonSchema(operation.query) as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      parameters.push({
        name,
        in: "query",
        required: schema.required?.includes(name) ?? false,
        schema: property,
      });
    }
  }
  return parameters;
}

export function openApiDocument(serverUrl = "/api") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) {
    paths[operation.path] ??= {};
    const pathItem = paths[operation.path] as Record<string, unknown>;
    const responses: Record<string, unknown> = {
      [operation.success]: {
        description: operation.successNote ?? "Success",
        content: {
          "application/json": operation.response
            ? { schema: jsonSchema(operation.response, "output") }
            : {},
        },
      },
      400: {
        description:
          operation.errorNotes?.[400] ?? "Invalid input; `issues` names each field at fault",
        content: { "application/json": { schema: errorSchema } },
      },
    };
    for (const answer of operation.otherAnswers ?? []) {
      responses[answer.status] = {
        description: answer.description,
        content: {
          "application/json": answer.response
            ? { schema: jsonSchema(answer.response, "output") }
            : {},
        },
      };
    }
    for (const status of operation.errors ?? []) {
      responses[status] = {
        description: operation.errorNotes?.[status] ?? ERROR_DESCRIPTIONS[status] ?? "Error",
        content: { "application/json": { schema: errorSchema } },
      };
    }
    if (operation.permission) {
      responses[401] = {
        description: "Not signed in, or the API key is invalid, expired or revoked",
        content: { "application/json": { schema: errorSchema } },
      };
      responses[403] = {
        description: `Your role lacks ${operation.permission}`,
        content: { "application/json": { schema: errorSchema } },
      };
      responses[404] = {
        description: "Not found in this organisation",
        content: { "application/json": { schema: errorSchema } },
      };
    }
    pathItem[operation.method] = {
      tags: [operation.tag],
      summary: operation.summary,
      ...(operation.permission
        ? { "x-permission": operation.permission, security: [{ apiKey: [] }, { session: [] }] }
        : { security: [] }),
      parameters: queryParameters(operation),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: jsonSchema(operation.body) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "OfficeFlow API",
      version: "1.0.0",
      description:
        "Authenticate with `Authorization: Bearer <API key>` (create keys in Settings → API keys). Errors are `{ error: { code, message, issues? } }`.",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An OfficeFlow API key (of_…)" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
export const openApiOperations = OPERATIONS;
