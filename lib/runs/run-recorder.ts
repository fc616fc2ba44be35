import "server-only";
import { NonRetriableError } from "inngest";
import { readRunToStart, recordRunFinish, recordRunStart } from "@/lib/db/run-records";
import { recordStepCompletion, recordStepStart } from "@/lib/db/step-records";
import { forOrg } from "@/lib/db/tenant";
import { isTruncatedValue, recordedJson, recordedValue } from "@/lib/engine/recorded-value";
import type { RunRecorder, RunStart } from "@/lib/engine/run-recorder";
import type { Prisma } from "@/lib/generated/prisma/client";
import { TRIGGER_KIND } from "@/lib/nodes/trigger";
import { checkPinnedDefinition } from "./pinned-definitions";
import { markRunFailed } from "./run-failure";

// Writes a run's WorkflowRun and StepRun rows from inside its steps. Every
// write is keyed by (run, node, attempt) and is an upsert or a guarded update,
// so a step that is retried, or replayed after a crash, never duplicates rows.

const TERMINAL = ["completed", "failed", "cancelled"] as const;
const SYSTEM = { type: "system", label: "Workflow engine" } as const;
const NO_META = { ip: null, userAgent: null };

const asJson = (value: unknown) => value as Prisma.InputJsonValue;

export function runRecorder(organizationId: string, runId: string): RunRecorder {
  const db = forOrg(organizationId);
  const audit = { organizationId, actor: SYSTEM, meta: NO_META };

  const upsertStep = (
    key: { nodeId: string; kind: string; attempt: number },
    data: Omit<
      Prisma.StepRunUncheckedCreateInput,
      "organizationId" | "runId" | "nodeId" | "nodeKind" | "attempt"
    >,
  ) =>
    db.stepRun.upsert({
      where: { runId_nodeId_attempt: { runId, nodeId: key.nodeId, attempt: key.attempt } },
      create: {
        organizationId,
        runId,
        nodeId: key.nodeId,
        nodeKind: key.kind,
        attempt: key.attempt,
        ...data,
      },
      update: data,
    });

  const setRunStatus = (
    from: readonly ("queued" | "running" | "waiting")[],
    status: "running" | "waiting",
  ) =>
    db.workflowRun.updateMany({
      where: { id: runId, status: { in: [...from] } },
      data: { status },
    });

  return {
    async start(): Promise<RunStart> {
      const run = await readRunToStart(organizationId, runId);
      // The event named an organisation this run does not belong to (or no such
      // run): never fall back to anything, fail closed (RELIABILITY T6).
      if (!run) throw new NonRetriableError(`run ${runId} does not exist in this organisation`);
      if ((TERMINAL as readonly string[]).includes(run.status))
        return { finished: run.status as (typeof TERMINAL)[number] };

      // Versions are validated when published; checking again here means a
      // version changed behind the API's back can never start running.
      const { definition, problems } = checkPinnedDefinition(run.definitionJson);
      if (!definition || problems.length > 0) {
        const message = `the workflow version is invalid: ${problems
          .slice(0, 3)
          .map((problem) => problem.message)
          .join("; ")}`;
        await markRunFailed(organizationId, runId, message);
        return { finished: "failed" };
      }
      const startedAt = run.startedAt ?? new Date();
      const trigger = definition.nodes.find((node) => node.kind === TRIGGER_KIND);
      await recordRunStart({
        organizationId,
        runId,
        startedAt,
        audit: {
          context: audit,
          entry: {
            action: "run.started",
            targetType: "workflow_run",
            targetId: runId,
            summary: { workflow: run.workflowName, version: run.version, test: run.isTest },
          },
        },
        trigger: trigger && { nodeId: trigger.id, outputJson: recordedJson(run.triggerEvent) },
      });

      return {
        run: {
          id: runId,
          organizationId,
          workflowId: run.workflowId,
          isTest: run.isTest,
        },
        startedAt: startedAt.toISOString(),
        workflow: { id: run.workflowId, name: run.workflowName, version: run.version },
        definition,
        event: run.triggerEvent as RunStart extends infer S
          ? S extends { event: infer E }
            ? E
            : never
          : never,
        reused: run.reusesOutputs && run.sourceRunId ? await reusableOutputs(run.sourceRunId) : {},
      };
    },

    async stepStarted({ nodeId, kind, attempt, input, secrets }) {
      const { runStatus } = await recordStepStart(
        { organizationId, runId, nodeId, nodeKind: kind, attempt },
        recordedJson(input, secrets),
      );
      // A run cancelled while the engine could not be told stops at its next step.
      if (runStatus === "cancelled") throw new NonRetriableError("the run was cancelled");
      if (runStatus === null) throw new NonRetriableError(`run ${runId} no longer exists`);
    },

    async stepWaiting({ nodeId, kind, attempt, detail }) {
      await upsertStep(
        { nodeId, kind, attempt },
        { status: "waiting", detail: asJson(recordedValue(detail)) },
      );
      await setRunStatus(["queued", "running"], "waiting");
    },

    async stepCompleted({
      nodeId,
      kind,
      attempt,
      output,
      reused,
      wouldSend,
      secrets = [],
      input,
      startedAt,
    }) {
      await recordStepCompletion(
        { organizationId, runId, nodeId, nodeKind: kind, attempt },
        {
          outputJson: recordedJson(output, secrets),
          wouldSendJson: wouldSend === undefined ? undefined : recordedJson(wouldSend, secrets),
          reused,
          inputJson: input === undefined ? undefined : recordedJson(input, secrets),
          startedAt,
        },
      );
    },

    async stepFailed({ nodeId, kind, attempt, error, willRetry }) {
      await upsertStep(
        { nodeId, kind, attempt },
        { status: "failed", error: asJson({ message: error, willRetry }), finishedAt: new Date() },
      );
    },

    async finish({ status, error, skipped }) {
      await recordRunFinish({
        organizationId,
        runId,
        status,
        error,
        skipped,
        audit: {
          context: audit,
          entry: {
            action: `run.${status}`,
            targetType: "workflow_run",
            targetId: runId,
            summary: error ? { node: error.nodeId, error: error.message.slice(0, 300) } : {},
          },
        },
      });
    },
  };

  /** Completed top-level node outputs of the run being retried, when stored in full. */
  async function reusableOutputs(sourceRunId: string): Promise<Record<string, unknown>> {
    const steps = await db.stepRun.findMany({
      where: { runId: sourceRunId, status: { in: ["completed", "reused"] } },
      select: { nodeId: true, nodeKind: true, output: true },
    });
    const reused: Record<string, unknown> = {};
    for (const step of steps) {
      if (step.nodeKind === TRIGGER_KIND || step.nodeId.includes(":")) continue;
      if (isTruncatedValue(step.output)) continue;
      reused[step.nodeId] = step.output;
    }
    return reused;
  }
}
