import { z } from "zod";
import { inngest } from "@/inngest/client";
import { LIFECYCLE_RECEIVED_EVENT, RUN_REQUESTED_EVENT } from "@/inngest/events";
import { startRunsForLifecycleEvent } from "@/lib/runs/lifecycle-runs";
import { startDueScheduledRuns } from "@/lib/runs/scheduled-runs";
import { sweepUndispatched } from "@/lib/webhooks/dispatch";

// A stored lifecycle event → one run per matching published workflow. The
// runs are rows first (ids derived from event and workflow), then start
// events whose id is the run id: a redelivered event starts nothing twice.

const eventData = z.object({ organizationId: z.uuid(), lifecycleEventId: z.uuid() });

export const startLifecycleRuns = inngest.createFunction(
  {
    id: "start-lifecycle-runs",
    name: "Start runs for a lifecycle event",
    triggers: [{ event: LIFECYCLE_RECEIVED_EVENT }],
  },
  async ({ event, step }) => {
    const data = eventData.parse(event.data);
    const runIds = await step.run("create-runs", () =>
      startRunsForLifecycleEvent(data.organizationId, data.lifecycleEventId),
    );
    if (runIds.length > 0)
      await step.sendEvent(
        "start-runs",
        runIds.map((runId) => ({
          id: runId,
          name: RUN_REQUESTED_EVENT,
          data: { organizationId: data.organizationId, runId },
        })),
      );
    return { runs: runIds.length };
  },
);

/** The outbox sweeper: lifecycle events stored while Inngest was unreachable are sent here. */
export const sweepLifecycleEvents = inngest.createFunction(
  {
    id: "sweep-lifecycle-events",
    name: "Re-send undispatched lifecycle events",
    triggers: [{ cron: "* * * * *" }],
  },
  async ({ step }) => step.run("sweep", () => sweepUndispatched()),
);

/**
 * Every tenant's schedules from one cron function: it starts the workflows
 * whose next slot is due (lib/runs/scheduled-runs.ts), one run per slot.
 */
export const startScheduledRuns = inngest.createFunction(
  {
    id: "start-scheduled-runs",
    name: "Start scheduled workflow runs",
    triggers: [{ cron: "* * * * *" }],
  },
  async ({ step }) => {
    const runs = await step.run("create-runs", () => startDueScheduledRuns());
    if (runs.length > 0)
      await step.sendEvent(
        "start-runs",
        runs.map((run) => ({ id: run.runId, name: RUN_REQUESTED_EVENT, data: run })),
      );
    return { runs: runs.length };
  },
);
