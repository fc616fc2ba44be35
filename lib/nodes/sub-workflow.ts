import { z } from "zod";
import { permanentFailure } from "@/lib/engine/node-error";
import { durationMs } from "@/lib/time/zoned-time";
import { durationSchema } from "./delay";
import { defineDurableKind } from "./node-kind";

// Runs another published workflow of the organisation as a child run (one
// step.invoke), with the same trigger event, and waits for it to finish. The
// validator checks that the workflow exists, is published and does not call
// back into its caller.

const config = z
  .object({
    workflowId: z.uuid("must be a workflow id"),
    timeout: durationSchema.default({ amount: 1, unit: "days" }),
  })
  .strict();

type SubWorkflowPlan = { runId: string; workflowName: string; version: number };

export const subWorkflowKind = defineDurableKind({
  kind: "sub_workflow",
  label: "Sub-workflow",
  description: "Runs another published workflow with the same employee and waits for it.",
  category: "logic",
  config,
  output: z.object({
    runId: z.string(),
    workflowName: z.string(),
    status: z.string(),
    outputs: z.record(z.string(), z.unknown()),
  }),
  sideEffects: false,
  waitStatus: "running",
  defaultConfig: { workflowId: "", timeout: { amount: 1, unit: "days" } } as never,
  async begin({ config, run, node, services }): Promise<SubWorkflowPlan> {
    return services.runs.createChild({
      parentRunId: run.id,
      nodeId: node.id,
      workflowId: config.workflowId,
    });
  },
  async wait(plan, tools) {
    // The child's result is read from the database in finish; invoke only waits.
    await tools.invokeRun("run", plan.runId, durationMs({ amount: 1, unit: "days" }));
    return null;
  },
  async finish({ services }, plan) {
    const result = await services.runs.result(plan.runId);
    if (result.status !== "completed")
      throw permanentFailure(
        `sub-workflow "${plan.workflowName}" ${result.status}${result.error ? `: ${result.error}` : ""}`,
      );
    return {
      runId: plan.runId,
      workflowName: plan.workflowName,
      status: result.status,
      outputs: result.outputs,
    };
  },
});
