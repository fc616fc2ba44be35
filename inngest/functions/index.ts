import type { InngestFunction } from "inngest";
import { startLifecycleRuns, startScheduledRuns, sweepLifecycleEvents } from "./lifecycle";
import { runWorkflow } from "./run-workflow";

// Every Inngest function the app serves at /api/inngest.
export const functions: InngestFunction.Any[] = [
  runWorkflow,
  startLifecycleRuns,
  sweepLifecycleEvents,
  startScheduledRuns,
];
