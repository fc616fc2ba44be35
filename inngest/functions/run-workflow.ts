import { NonRetriableError } from "inngest";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { RUN_CANCELLED_EVENT, RUN_REQUESTED_EVENT } from "@/inngest/events";
import { interpretRun } from "@/lib/engine/interpreter";
import type { StepTools } from "@/lib/engine/step-tools";
import { NODE_KINDS } from "@/lib/nodes";
import { credentialReader, nodeServices } from "@/lib/runs/node-services";
import { markRunFailed } from "@/lib/runs/run-failure";
import { runRecorder } from "@/lib/runs/run-recorder";

// One Inngest function runs every workflow: the event names a queued
// WorkflowRun, the interpreter walks its pinned version, each node a step.
// Node retry policies go up to 10 attempts, so the function allows 9 retries
// and the interpreter ends a node's retries earlier with NonRetriableError.

const eventData = z.object({ organizationId: z.uuid(), runId: z.uuid() });

export const runWorkflow = inngest.createFunction(
  {
    id: "run-workflow",
    name: "Run workflow",
    triggers: [{ event: RUN_REQUESTED_EVENT }],
    retries: 9,
    cancelOn: [{ event: RUN_CANCELLED_EVENT, if: "async.data.runId == event.data.runId" }],
    onFailure: async ({ event, error }) => {
      const data = eventData.safeParse(event.data.event.data);
      if (data.success)
        await markRunFailed(data.data.organizationId, data.data.runId, error.message);
    },
  },
  async ({ event, step, attempt }) => {
    const data = eventData.safeParse(event.data);
    if (!data.success) throw new NonRetriableError("the run event has no organisation or run id");
    const { organizationId, runId } = data.data;
    const tools: StepTools = {
      run: (id, fn) => step.run(id, fn) as never,
      sleepUntil: (id, until) => step.sleepUntil(id, until),
      async waitForEvent(id, { event: name, match, timeoutMs }) {
        const condition = Object.entries(match)
          .map(([key, value]) => `async.data.${key} == ${JSON.stringify(value)}`)
          .join(" && ");
        const found = await step.waitForEvent(id, {
          event: name,
          if: condition,
          timeout: `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`,
        });
        return found ? (found.data as Record<string, unknown>) : null;
      },
      async invokeRun(id, data, timeoutMs) {
        try {
          return await step.invoke(id, {
            function: runWorkflow,
            data,
            timeout: `${Math.max(1, Math.ceil(timeoutMs / 1000))}s`,
          });
        } catch (error) {
          // The child's own row says how it ended; finish reads it from there.
          return { invokeError: error instanceof Error ? error.message : String(error) };
        }
      },
      attempt: () => attempt,
    };
    return interpretRun({
      step: tools,
      recorder: runRecorder(organizationId, runId),
      services: nodeServices(organizationId),
      credentials: credentialReader(organizationId),
      kinds: NODE_KINDS,
    });
  },
);
