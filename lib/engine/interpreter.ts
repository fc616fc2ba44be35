import { NonRetriableError, RetryAfterError } from "inngest";
import type { TriggerEvent } from "@/lib/events/lifecycle-event";
import type { AnyNodeKind, DurableTools, NodeContext, RunInfo } from "@/lib/nodes/node-kind";
import type { CredentialReader, NodeServices } from "@/lib/nodes/services";
import {
  COMPENSATION_LABEL,
  DEFAULT_TIMEOUT_SECONDS,
  retryPolicyOf,
  type WorkflowDefinition,
  type WorkflowEdge,
  type WorkflowNode,
} from "@/lib/workflows/definition";
import { classifyFailure, retryDelayMs } from "./failure";
import { permanentFailure } from "./node-error";
import type { RunRecorder } from "./run-recorder";
import type { StepTools } from "./step-tools";
import { renderTemplatesDeep } from "./template";

// Walks a workflow graph on Inngest step tools. Every node is a step with a
// stable id derived from its node id (`node:<id>`), so a re-invocation replays
// finished nodes from Inngest's memo instead of running them again. Each node
// waits for the outcome of its predecessors; independent branches therefore
// reach their steps in the same tick and run as parallel steps, and a join runs
// once all of its incoming branches have settled. Everything outside steps is
// deterministic: it depends only on memoised step results.
//
// The interpreter knows no node kind by name: it runs `action` kinds as one
// retried step and `durable` kinds as begin step → durable wait → finish step,
// as their declarations say (lib/nodes/node-kind.ts).

export const MAX_NODE_OUTPUT_BYTES = 1024 * 1024;

type Completed = { status: "completed"; output: unknown; branch?: string; failure?: FailureInfo };
type Failed = { status: "failed"; message: string; protected: boolean };
/** `failedUpstream`: not run because a node before it failed, which blocks joins below it too. */
type Skipped = { status: "skipped"; reason: string; failedUpstream?: string };
type Outcome = Completed | Failed | Skipped;
type FailureInfo = { nodeId: string; nodeName: string; message: string };

export type RunResult = { status: "completed" | "failed" | "cancelled"; error?: string };

export type InterpreterDeps = {
  step: StepTools;
  recorder: RunRecorder;
  services: NodeServices;
  /** Reads the run's organisation's credentials; the interpreter wraps it to learn which values to redact. */
  credentials: CredentialReader;
  kinds: ReadonlyMap<string, AnyNodeKind>;
};

export class RunFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunFailed";
  }
}

export async function interpretRun(deps: InterpreterDeps): Promise<RunResult> {
  const { step, recorder } = deps;
  const start = await step.run("run:start", () => recorder.start());
  if (start.finished) return { status: start.finished };

  const { definition, event, run, workflow } = start;
  const nodes = new Map(definition.nodes.map((node) => [node.id, node]));
  const incoming = new Map<string, WorkflowEdge[]>();
  for (const edge of definition.edges) {
    incoming.set(edge.to, [...(incoming.get(edge.to) ?? []), edge]);
  }
  const baseScope = {
    employee: event.data.employee,
    previous: event.data.previous,
    event,
    run: { id: run.id, isTest: run.isTest, startedAt: start.startedAt },
    workflow,
  };
  const outcomes = new Map<string, Promise<Outcome>>();

  const kindOf = (node: WorkflowNode): AnyNodeKind => {
    const kind = deps.kinds.get(node.kind);
    // Versions are validated before they are published, so this means the code
    // lost a kind that a published version still uses.
    if (!kind) throw new RunFailed(`node kind "${node.kind}" is not available`);
    return kind;
  };

  // Only ancestors' outputs, all settled by the time a node runs: the scope
  // never depends on how far a parallel branch happens to have got.
  const ancestorsOf = (nodeId: string): Set<string> => {
    const seen = new Set<string>();
    const visit = (id: string) => {
      for (const edge of incoming.get(id) ?? []) {
        if (seen.has(edge.from)) continue;
        seen.add(edge.from);
        visit(edge.from);
      }
    };
    visit(nodeId);
    return seen;
  };

  const scopeFor = async (node: WorkflowNode, failure?: FailureInfo) => {
    const completed: Record<string, { output: unknown }> = {};
    for (const id of ancestorsOf(node.id)) {
      const outcome = await outcomeOf(id);
      if (outcome.status === "completed") completed[id] = { output: outcome.output };
    }
    return { ...baseScope, nodes: completed, ...(failure ? { failure } : {}) };
  };

  const outcomeOf = (nodeId: string): Promise<Outcome> => {
    let promise = outcomes.get(nodeId);
    if (!promise) {
      promise = decide(nodeId);
      outcomes.set(nodeId, promise);
    }
    return promise;
  };

  const decide = async (nodeId: string): Promise<Outcome> => {
    const node = nodes.get(nodeId) as WorkflowNode;
    const kind = kindOf(node);
    const edges = incoming.get(nodeId) ?? [];
    if (edges.length === 0) return { status: "completed", output: { eventType: event.type } };

    const sources = await Promise.all(edges.map((edge) => outcomeOf(edge.from)));
    let failure: FailureInfo | undefined;
    let taken = 0;
    let blockedBy: string | undefined;
    edges.forEach((edge, index) => {
      const source = sources[index] as Outcome;
      if (edge.label === COMPENSATION_LABEL) {
        if (source.status === "failed") {
          taken++;
          const from = nodes.get(edge.from) as WorkflowNode;
          failure = { nodeId: from.id, nodeName: from.name, message: source.message };
        }
        return;
      }
      if (source.status === "failed") blockedBy = edge.from;
      else if (source.status === "skipped" && source.failedUpstream)
        blockedBy = source.failedUpstream;
      else if (
        source.status === "completed" &&
        (edge.label === undefined || edge.label === source.branch)
      ) {
        taken++;
        failure ??= source.failure;
      }
    });
    if (blockedBy) {
      const from = nodes.get(blockedBy) as WorkflowNode;
      return {
        status: "skipped",
        reason: `not run because "${from.name}" failed`,
        failedUpstream: blockedBy,
      };
    }
    if (taken === 0) return { status: "skipped", reason: "its branch was not taken" };

    const reused = start.reused[nodeId];
    if (reused !== undefined) return reuse(node, kind, reused, failure);
    const outcome =
      kind.execution === "action"
        ? await runAction(node, kind, `node:${node.id}`, node.id, failure, {})
        : await runDurable(node, kind, failure);
    return outcome;
  };

  const reuse = async (
    node: WorkflowNode,
    kind: AnyNodeKind,
    output: unknown,
    failure?: FailureInfo,
  ): Promise<Outcome> => {
    await step.run(`node:${node.id}`, () =>
      recorder.stepCompleted({
        nodeId: node.id,
        kind: kind.kind,
        attempt: 1,
        output,
        reused: true,
      }),
    );
    return { status: "completed", output, branch: kind.branchOf?.(output, node.config), failure };
  };

  /** Runs inside a step: renders, executes with the node's timeout, records, classifies failures. */
  const attemptStep = async <T>(
    node: WorkflowNode,
    kind: AnyNodeKind,
    where: {
      recordAs: string;
      config: Record<string, unknown>;
      scope: Record<string, unknown>;
      /** The finish step of a durable node reports on the attempt row its begin step opened. */
      recordedAttempt?: number;
    },
    body: (context: NodeContext<unknown>, secrets: string[], started: StartRecord) => Promise<T>,
  ): Promise<T> => {
    const { recordAs, scope } = where;
    const attempt = step.attempt() + 1;
    let lateOpen: ReturnType<typeof setTimeout> | undefined;
    let started: StartRecord | undefined;
    const recordedAttempt = where.recordedAttempt ?? attempt;
    const policy = retryPolicyOf(node);
    const secrets: string[] = [];
    try {
      const config = await renderTemplatesDeep(where.config, scope, {
        skipKeys: [...(kind.expressionFields ?? []), ...(kind.unrenderedFields ?? [])],
      });
      const parsed = kind.config.safeParse(config);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw permanentFailure(
          `config ${issue?.path.join(".") || ""}: ${issue?.message ?? "invalid"} (after templates were filled in)`,
        );
      }
      const record = startRecord(config);
      started = record;
      if (where.recordedAttempt === undefined) {
        // A node that changes something outside must see a cancellation before
        // it acts, and shows as running at once. A pure node is written once,
        // when it completes — unless it is slow, so the timeline shows it running.
        const open = () => {
          record.opened ??= recorder.stepStarted({
            nodeId: recordAs,
            kind: kind.kind,
            attempt,
            input: config,
            secrets,
          });
          return record.opened;
        };
        if (kind.sideEffects || kind.execution === "durable") await open();
        else lateOpen = setTimeout(() => void open().catch(() => undefined), SLOW_NODE_MS);
      }
      const timeoutSeconds =
        node.timeoutSeconds ?? kind.defaultTimeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
      const signal = AbortSignal.timeout(timeoutSeconds * 1000);
      const context: NodeContext<unknown> = {
        config: parsed.data,
        scope,
        run: runInfo(run),
        node: {
          id: node.id,
          key: recordAs,
          name: node.name,
          kind: kind.kind,
          attempt,
          maxAttempts: policy.maxAttempts,
        },
        signal,
        credentials: collectSecrets(deps.credentials, secrets),
        services: deps.services,
      };
      return await withTimeout(
        body(context, secrets, {
          ...record,
          settle: async () => {
            clearTimeout(lateOpen);
            await record.opened;
          },
        }),
        signal,
        timeoutSeconds,
      );
    } catch (error) {
      clearTimeout(lateOpen);
      // A "running" write still in flight must not land after the failure.
      await started?.opened?.catch(() => undefined);
      const failure = classifyFailure(error, secrets);
      const willRetry = failure.retriable && attempt < policy.maxAttempts;
      await recorder.stepFailed({
        nodeId: recordAs,
        kind: kind.kind,
        attempt: recordedAttempt,
        error: failure.message,
        willRetry,
      });
      // Inngest's own primitives carry the node's policy: RetryAfterError for its
      // backoff (or the provider's Retry-After), NonRetriableError when done.
      if (willRetry)
        throw new RetryAfterError(failure.message, retryDelayMs(policy, attempt, failure));
      throw new NonRetriableError(failure.message);
    }
  };

  const runAction = async (
    node: WorkflowNode,
    kind: AnyNodeKind,
    stepId: string,
    recordAs: string,
    failure: FailureInfo | undefined,
    extraScope: Record<string, unknown>,
    config: Record<string, unknown> = node.config,
  ): Promise<Outcome> => {
    if (kind.execution !== "action") throw new RunFailed(`${kind.kind} cannot run as an action`);
    const scope = { ...(await scopeFor(node, failure)), ...extraScope };
    try {
      const result = await step.run(stepId, () =>
        attemptStep(node, kind, { recordAs, config, scope }, async (context, secrets, started) => {
          const preview = run.isTest && kind.sideEffects && kind.preview;
          const produced = preview
            ? await (kind.preview as NonNullable<typeof kind.preview>)(context)
            : { output: await kind.execute(context), wouldSend: undefined };
          checkOutputSize(produced.output);
          const branch = kind.branchOf?.(produced.output, context.config);
          await started.settle();
          await recorder.stepCompleted({
            nodeId: recordAs,
            kind: kind.kind,
            attempt: context.node.attempt,
            output: produced.output,
            wouldSend: produced.wouldSend,
            secrets,
            input: started.input,
            startedAt: started.at,
          });
          return { output: produced.output ?? null, branch };
        }),
      );
      return { status: "completed", output: result.output, branch: result.branch, failure };
    } catch (error) {
      return failedOutcome(node, error);
    }
  };

  const runDurable = async (
    node: WorkflowNode,
    kind: AnyNodeKind,
    failure: FailureInfo | undefined,
  ): Promise<Outcome> => {
    if (kind.execution !== "durable") throw new RunFailed(`${kind.kind} is not a durable kind`);
    const scope = await scopeFor(node, failure);
    try {
      const begun = await step.run(`node:${node.id}`, () =>
        attemptStep(
          node,
          kind,
          { recordAs: node.id, config: node.config, scope },
          async (context) => {
            const plan = await kind.begin(context);
            if (kind.waitStatus === "waiting")
              await recorder.stepWaiting({
                nodeId: node.id,
                kind: kind.kind,
                attempt: context.node.attempt,
                detail: plan,
              });
            return { plan, attempt: context.node.attempt };
          },
        ),
      );
      const waited = await kind.wait(begun.plan, durableTools(node), {
        run: runInfo(run),
        services: deps.services,
      });
      const result = await step.run(`node:${node.id}:done`, () =>
        attemptStep(
          node,
          kind,
          { recordAs: node.id, config: node.config, scope, recordedAttempt: begun.attempt },
          async (context, secrets) => {
            const output = await kind.finish(context, begun.plan, waited);
            checkOutputSize(output);
            await recorder.stepCompleted({
              nodeId: node.id,
              kind: kind.kind,
              attempt: begun.attempt,
              output,
              secrets,
            });
            return { output: output ?? null, branch: kind.branchOf?.(output, context.config) };
          },
        ),
      );
      return { status: "completed", output: result.output, branch: result.branch, failure };
    } catch (error) {
      return failedOutcome(node, error);
    }
  };

  const durableTools = (node: WorkflowNode): DurableTools => ({
    sleepUntil: (name, until) => step.sleepUntil(`node:${node.id}:${name}`, until),
    waitForEvent: (name, options) => step.waitForEvent(`node:${node.id}:${name}`, options),
    invokeRun: (name, runId, timeoutMs) =>
      step.invokeRun(
        `node:${node.id}:${name}`,
        { organizationId: run.organizationId, runId },
        timeoutMs,
      ),
    step: (name, fn) => step.run(`node:${node.id}:${name}`, fn),
    async runAction(name, action, extraScope) {
      const kind = deps.kinds.get(action.kind);
      if (kind?.execution !== "action")
        throw new RunFailed(`"${action.kind}" cannot run inside a loop`);
      const outcome = await runAction(
        node,
        kind,
        `node:${node.id}:${name}`,
        `${node.id}:${name}`,
        undefined,
        extraScope,
        action.config,
      );
      if (outcome.status !== "completed")
        throw new RunFailed(outcome.status === "failed" ? outcome.message : outcome.reason);
      return outcome.output;
    },
  });

  const failedOutcome = (node: WorkflowNode, error: unknown): Failed => ({
    status: "failed",
    message: error instanceof Error ? error.message : String(error),
    protected: node.protected === true,
  });

  const settled = await Promise.all(
    definition.nodes.map(async (node) => [node, await outcomeOf(node.id)] as const),
  );
  const failed = settled.filter(([, outcome]) => outcome.status === "failed") as [
    WorkflowNode,
    Failed,
  ][];
  const skipped = settled.filter(([, outcome]) => outcome.status === "skipped") as [
    WorkflowNode,
    Skipped,
  ][];
  // A protected node's error is the run's error: compensation ran because of it.
  const cause = failed.find(([, outcome]) => outcome.protected) ?? failed[0];
  const error = cause ? `"${cause[0].name}" failed: ${cause[1].message}` : undefined;
  // Not a step of its own: this line is reached only once every node's outcome is
  // memoised, so a replay reaches it again only when the function is retried, and
  // finish() is idempotent (it closes a run that is not closed yet, and writes each
  // skipped row and the audit entry once). A failed write fails the function, which
  // Inngest retries like a step. A step here would cost every run one more round
  // trip to the executor (npm run bench:engine).
  await recorder.finish({
    status: cause ? "failed" : "completed",
    error: cause ? { nodeId: cause[0].id, message: error as string } : undefined,
    skipped: skipped.map(([node, outcome]) => ({
      nodeId: node.id,
      kind: node.kind,
      reason: outcome.reason,
    })),
  });
  if (cause) throw new NonRetriableError(error as string);
  return { status: "completed" };
}

function runInfo(run: RunInfo): RunInfo {
  return {
    id: run.id,
    organizationId: run.organizationId,
    workflowId: run.workflowId,
    isTest: run.isTest,
  };
}

function collectSecrets(reader: CredentialReader, secrets: string[]): CredentialReader {
  return {
    async read(credentialId, kinds) {
      const credential = await reader.read(credentialId, kinds);
      secrets.push(
        ...Object.values(credential.secret).filter((value) => typeof value === "string"),
      );
      return credential;
    },
  };
}

function checkOutputSize(output: unknown) {
  const bytes = Buffer.byteLength(JSON.stringify(output ?? null));
  if (bytes > MAX_NODE_OUTPUT_BYTES)
    throw permanentFailure(
      `the node's output is ${(bytes / 1024 / 1024).toFixed(1)} MiB; the limit is 1 MiB`,
    );
}

async function withTimeout<T>(work: Promise<T>, signal: AbortSignal, seconds: number): Promise<T> {
  if (signal.aborted) throw new NodeTimeout(seconds);
  let onAbort: (() => void) | undefined;
  const timeout = new Promise<never>((_, reject) => {
    onAbort = () => reject(new NodeTimeout(seconds));
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}

/** Pure nodes faster than this are written once, when they complete. */
const SLOW_NODE_MS = 250;

type StartRecord = {
  at: Date;
  input: unknown;
  opened?: Promise<void>;
  /** Waits for a "running" write still in flight, so completion is always written last. */
  settle: () => Promise<void>;
};

function startRecord(input: unknown): StartRecord {
  return { at: new Date(), input, settle: async () => undefined };
}

export class NodeTimeout extends Error {
  constructor(seconds: number) {
    super(`the node did not finish within its ${seconds} s timeout`);
    this.name = "NodeTimeout";
  }
}

export type { RunRecorder, StepTools, TriggerEvent, WorkflowDefinition };
