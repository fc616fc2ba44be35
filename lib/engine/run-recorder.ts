import type { TriggerEvent } from "@/lib/events/lifecycle-event";
import type { RunInfo } from "@/lib/nodes/node-kind";
import type { WorkflowDefinition } from "@/lib/workflows/definition";

// The persistence port the interpreter records a run through. Every method is
// called from inside a step — except finish, called once every step is done —
// and must be idempotent: a retried or replayed step, or a retried function,
// calls it again with the same arguments (lib/runs/run-recorder.ts writes
// WorkflowRun and StepRun rows keyed by run, node and attempt).

export type RunStart =
  | { finished: "cancelled" | "completed" | "failed" }
  | {
      finished?: undefined;
      run: RunInfo;
      startedAt: string;
      workflow: { id: string; name: string; version: number };
      definition: WorkflowDefinition;
      event: TriggerEvent & { data: { employee?: unknown; previous?: unknown } };
      /** Outputs the run may reuse instead of executing (retry from failed). */
      reused: Record<string, unknown>;
    };

type StepRecord = { nodeId: string; kind: string; attempt: number };

export type RunRecorder = {
  start(): Promise<RunStart>;
  stepStarted(record: StepRecord & { input: unknown; secrets: readonly string[] }): Promise<void>;
  stepWaiting(record: StepRecord & { detail: unknown }): Promise<void>;
  stepCompleted(
    record: StepRecord & {
      output: unknown;
      reused?: boolean;
      /** What a test run would have sent. */
      wouldSend?: unknown;
      secrets?: readonly string[];
      /** For a step whose start was not written (a fast pure node): its input and start time. */
      input?: unknown;
      startedAt?: Date;
    },
  ): Promise<void>;
  stepFailed(record: StepRecord & { error: string; willRetry: boolean }): Promise<void>;
  finish(outcome: {
    status: "completed" | "failed";
    error?: { nodeId: string; message: string };
    skipped: { nodeId: string; kind: string; reason: string }[];
  }): Promise<void>;
};
