import type { z } from "zod";
import type { CredentialReader, NodeServices } from "./services";

// The declaration every node kind exports (one file per kind in lib/nodes,
// listed once in lib/nodes/index.ts). The designer renders forms from
// `config`, the validator checks configs, branches and template variables
// against it, and the engine runs it — none of them knows any kind by name.

export type NodeCategory =
  | "trigger"
  | "logic"
  | "timing"
  | "people"
  | "messaging"
  | "integrations"
  | "ai"
  | "data";

export type RunInfo = {
  id: string;
  organizationId: string;
  workflowId: string;
  isTest: boolean;
};

export type NodeInfo = {
  id: string;
  /**
   * This step's identity within the run: the node id, or `<node id>:item-<n>`
   * for a loop's body. Idempotency keys for providers are built from it.
   */
  key: string;
  name: string;
  kind: string;
  /** 1-based attempt of the step now executing. */
  attempt: number;
  maxAttempts: number;
};

/** What an executing node may use; everything external arrives through here. */
export type NodeContext<Config> = {
  /** The node's config with its templates rendered (expression fields are left as written). */
  config: Config;
  /** The variables in reach of this node: employee, event, run, workflow, nodes.<id>.output, … */
  scope: Readonly<Record<string, unknown>>;
  run: RunInfo;
  node: NodeInfo;
  /** Aborted when the node's timeout passes; pass it to every I/O call. */
  signal: AbortSignal;
  credentials: CredentialReader;
  services: NodeServices;
};

/** What a side-effecting node hands back in a test run instead of calling out. */
export type Preview<Output> = { wouldSend: unknown; output: Output };

type KindBase<Config, Output> = {
  kind: string;
  label: string;
  description: string;
  category: NodeCategory;
  /** Validates the config as written in the definition (before templates are rendered). */
  config: z.ZodType<Config>;
  /** The shape of the output, so templates like `{{ nodes.x.output.text }}` can be checked at design time. */
  output: z.ZodType<Output>;
  /** Sends or changes something outside OfficeFlow; test runs call `preview` instead of executing. */
  sideEffects: boolean;
  /** Top-level config keys holding expressions (JSONata), which are parsed, not rendered as templates. */
  expressionFields?: readonly string[];
  /** Top-level config keys people write paragraphs into (the designer gives them a text area). */
  longTextFields?: readonly string[];
  /** Top-level config keys the engine leaves unrendered (the kind renders them itself, later). */
  unrenderedFields?: readonly string[];
  /** Config keys holding credential ids, and which credential kinds each accepts. */
  credentialFields?: Readonly<Record<string, readonly string[]>>;
  /** Outgoing edge labels this node understands; none means plain (unlabelled) edges. */
  branches?: (config: Config) => readonly string[];
  /** Which of `branches` the run follows, from the node's output. */
  branchOf?: (output: Output, config: Config) => string;
  /** What the designer puts in a new node of this kind. */
  defaultConfig: NoInfer<Config>;
  /** Extra design-time checks beyond the schema (messages name the config field). */
  check?: (config: Config) => { field: string; message: string }[];
  defaultTimeoutSeconds?: number;
  /** Action configs nested in this node's config (a loop's body), validated against their own kinds. */
  nestedActions?: (
    config: Config,
  ) => { field: string; kind: string; config: unknown; extraScope: Record<string, z.ZodType> }[];
};

/** A node that is exactly one retried step. */
export type ActionNodeKind<Config = unknown, Output = unknown> = KindBase<Config, Output> & {
  execution: "action";
  execute(context: NodeContext<Config>): Promise<Output>;
  preview?(context: NodeContext<Config>): Promise<Preview<Output>>;
};

/** Durable primitives a waiting node may use; each call is one step with a stable id under the node's. */
export type DurableTools = {
  sleepUntil(name: string, until: Date): Promise<void>;
  /** Resolves with the matching event's data, or null when the timeout passes first. */
  waitForEvent(
    name: string,
    options: { event: string; match: Record<string, string>; timeoutMs: number },
  ): Promise<Record<string, unknown> | null>;
  /** Runs a child workflow run (created in `begin`) to its end and returns its result. */
  invokeRun(name: string, runId: string, timeoutMs: number): Promise<unknown>;
  /** A memoised step for a read the wait depends on (e.g. re-checking a decision). */
  step<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Runs another action kind as one retried step (a loop's body), with extra template variables. */
  runAction(
    name: string,
    action: { kind: string; config: Record<string, unknown> },
    extraScope: Record<string, unknown>,
  ): Promise<unknown>;
};

export type WaitContext = { run: RunInfo; services: NodeServices };

/**
 * A node that waits (delay, approval), calls a sub-workflow, or iterates: `begin`
 * is one recorded step, `wait` uses only durable tools (it re-runs on every
 * invocation, so it must be deterministic), and `finish` is one recorded step.
 */
export type DurableNodeKind<Config = unknown, Output = unknown, Plan = unknown> = KindBase<
  Config,
  Output
> & {
  execution: "durable";
  /** How the timeline shows the node between begin and finish. */
  waitStatus: "waiting" | "running";
  begin(context: NodeContext<Config>): Promise<Plan>;
  wait(plan: Plan, tools: DurableTools, context: WaitContext): Promise<unknown>;
  finish(context: NodeContext<Config>, plan: Plan, waited: unknown): Promise<Output>;
  preview?: undefined;
};

export type NodeKind<Config = unknown, Output = unknown> =
  | ActionNodeKind<Config, Output>
  | DurableNodeKind<Config, Output>;

// biome-ignore lint/suspicious/noExplicitAny: the registry holds kinds of every config type
export type AnyNodeKind = NodeKind<any, any>;

/** Identity helpers that keep each kind's Config/Output types checked where it is declared. */
export function defineActionKind<Config, Output>(
  kind: Omit<ActionNodeKind<Config, Output>, "execution">,
): ActionNodeKind<Config, Output> {
  if (kind.sideEffects && !kind.preview)
    throw new Error(`node kind ${kind.kind} has side effects and needs a preview for test runs`);
  return { ...kind, execution: "action" };
}

export function defineDurableKind<Config, Output, Plan>(
  kind: Omit<DurableNodeKind<Config, Output, Plan>, "execution">,
): DurableNodeKind<Config, Output, Plan> {
  return { ...kind, execution: "durable" };
}
