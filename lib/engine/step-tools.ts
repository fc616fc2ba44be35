// The slice of Inngest's step tools the interpreter uses, so it can be driven
// by the real SDK (inngest/functions/run-workflow.ts) and by tests alike.

export type StepTools = {
  /** A memoised, retried step. */
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
  sleepUntil(id: string, until: Date): Promise<void>;
  /** The matching event's data, or null when the timeout passes first. */
  waitForEvent(
    id: string,
    options: { event: string; match: Record<string, string>; timeoutMs: number },
  ): Promise<Record<string, unknown> | null>;
  /** Runs a child workflow run to its end (step.invoke). */
  invokeRun(
    id: string,
    data: { organizationId: string; runId: string },
    timeoutMs: number,
  ): Promise<unknown>;
  /** 0-based attempt of the step this request executes (Inngest's `attempt`). */
  attempt(): number;
};
