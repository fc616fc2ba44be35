import { z } from "zod";

// The workflow definition format, version 1: the single source of truth for
// the designer, the API, the validator and the engine. The structure is
// checked here; whether each node's config fits its kind, whether the graph is
// sound and whether template variables exist is the validator's job
// (lib/workflows/validate.ts), because those rules need the node registry.

export const DEFINITION_SCHEMA_VERSION = 1;

/** Node ids become Inngest step ids and template paths (`nodes.<id>.output`), so they are plain identifiers. */
export const nodeIdSchema = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9_]{0,47}$/,
    "must start with a letter and contain only letters, digits and underscores (max 48)",
  );

export const retryPolicySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(10).default(3),
    backoff: z.enum(["exponential", "fixed"]).default("exponential"),
    /** The first retry waits this long; exponential doubles it each time, capped at one hour. */
    delaySeconds: z.number().int().min(1).max(3600).default(10),
  })
  .strict();
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = retryPolicySchema.parse({});
export const DEFAULT_TIMEOUT_SECONDS = 30;
// Large enough for big organisations' joiner flows (the designer is benchmarked at 500);
// the step budget rule still keeps every run under Inngest's per-run step limit.
export const MAX_NODES = 500;

export const positionSchema = z.object({ x: z.number().finite(), y: z.number().finite() }).strict();

export const workflowNodeSchema = z
  .object({
    id: nodeIdSchema,
    kind: z.string().min(1).max(64),
    name: z.string().trim().min(1, "must not be empty").max(120),
    config: z.record(z.string(), z.unknown()).default({}),
    retry: retryPolicySchema.optional(),
    /** Per-attempt time limit; the node's I/O is aborted when it passes. */
    timeoutSeconds: z.number().int().min(1).max(3600).optional(),
    /** A protected node that fails runs its compensation branch before the run fails. */
    protected: z.boolean().optional(),
    position: positionSchema.default({ x: 0, y: 0 }),
  })
  .strict();
export type WorkflowNode = z.infer<typeof workflowNodeSchema>;

/** Edges out of a protected node labelled this way form its compensation branch. */
export const COMPENSATION_LABEL = "compensation";

export const workflowEdgeSchema = z
  .object({
    id: z.string().min(1).max(128),
    from: nodeIdSchema,
    to: nodeIdSchema,
    /** Which outcome of a branching node this edge follows: true/false, approved/rejected/timeout, a switch case, or "compensation". */
    label: z.string().min(1).max(64).optional(),
  })
  .strict();
export type WorkflowEdge = z.infer<typeof workflowEdgeSchema>;

export const workflowDefinitionSchema = z
  .object({
    schemaVersion: z.literal(DEFINITION_SCHEMA_VERSION),
    nodes: z.array(workflowNodeSchema).max(MAX_NODES, `must have at most ${MAX_NODES} nodes`),
    edges: z.array(workflowEdgeSchema).max(MAX_NODES * 4),
  })
  .strict();
export type WorkflowDefinition = z.infer<typeof workflowDefinitionSchema>;
export type WorkflowDefinitionInput = z.input<typeof workflowDefinitionSchema>;

export function emptyDefinition(): WorkflowDefinition {
  return {
    schemaVersion: DEFINITION_SCHEMA_VERSION,
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee onboarded",
        config: { type: "lifecycle_event", event: "employee.onboard" },
        position: { x: 0, y: 0 },
      },
    ],
    edges: [],
  };
}

export function retryPolicyOf(node: WorkflowNode): RetryPolicy {
  return node.retry ?? DEFAULT_RETRY_POLICY;
}

/** JSON Schema of the format, served to the designer and in the OpenAPI document. */
export function definitionJsonSchema() {
  return z.toJSONSchema(workflowDefinitionSchema, { io: "input" });
}
