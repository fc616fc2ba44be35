import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import { RUN_CANCELLED_EVENT, RUN_REQUESTED_EVENT } from "@/inngest/events";
import { issuesFrom } from "@/lib/api/http";
import type { OrgContext } from "@/lib/api/org-route";
import { recordAudit } from "@/lib/audit";
import { Conflict, NotFound, ServiceUnavailable } from "@/lib/errors";
import {
  type LifecycleEventData,
  lifecycleEventDataSchema,
  type TriggerEvent,
} from "@/lib/events/lifecycle-event";
import type { Prisma } from "@/lib/generated/prisma/client";
import { TRIGGER_KIND, type TriggerConfig } from "@/lib/nodes/trigger";
import { workflowDefinitionSchema } from "@/lib/workflows/definition";
import { testSnapshotOfDraft } from "@/lib/workflows/service";

// Run controls: start (manually or as a test), cancel, re-run, and retry from
// the failed node. A run is a WorkflowRun row first (queued, pinned to a
// version) and then an Inngest event whose id is the run id, so a retried
// request can never start the same run twice.

export const startRunSchema = z
  .object({
    employee: z.unknown().optional(),
    previous: z.unknown().optional(),
    /** A test run: side-effecting nodes record what they would send instead of sending. */
    test: z.boolean().default(false),
    /** Test the current draft instead of the published version (test runs only). */
    source: z.enum(["published", "draft"]).default("published"),
  })
  .strict()
  .refine((input) => input.source === "published" || input.test, {
    message: "only a test run can run the draft",
    path: ["source"],
  });

const TERMINAL = new Set(["completed", "failed", "cancelled"]);
const asJson = (value: unknown) => value as Prisma.InputJsonValue;

function employeeColumns(data: Partial<LifecycleEventData>) {
  const employee = data.employee;
  if (!employee) return {};
  return {
    employeeRef: employee.id,
    employeeName: `${employee.firstName} ${employee.lastName}`,
    employeeEmail: employee.email,
  };
}

/** Sends the start event; if the engine cannot be reached the run is closed, not left queued. */
async function dispatch(context: OrgContext, runId: string) {
  try {
    await inngest.send({
      id: runId,
      name: RUN_REQUESTED_EVENT,
      data: { organizationId: context.organization.id, runId },
    });
  } catch {
    await context.db.workflowRun.updateMany({
      where: { id: runId, status: "queued" },
      data: {
        status: "failed",
        finishedAt: new Date(),
        error: asJson({ message: "the workflow engine could not be reached; start the run again" }),
      },
    });
    throw new ServiceUnavailable("The workflow engine could not be reached. Try again shortly.");
  }
}

async function createRun(
  context: OrgContext,
  data: Omit<Prisma.WorkflowRunUncheckedCreateInput, "organizationId">,
  action: string,
) {
  const run = await context.db.$transaction(async (tx) => {
    const created = await tx.workflowRun.create({
      data: { ...data, organizationId: context.organization.id },
      select: { id: true, status: true, workflowId: true, workflowVersionId: true, isTest: true },
    });
    await recordAudit(tx, context.audit, {
      action,
      targetType: "workflow_run",
      targetId: created.id,
      summary: { workflow: created.workflowId, test: created.isTest },
    });
    return created;
  });
  await dispatch(context, run.id);
  return run;
}

/** Starts a run of a workflow by hand, with an employee payload checked against the trigger's event schema. */
export async function startRun(
  context: OrgContext,
  workflowId: string,
  input: z.infer<typeof startRunSchema>,
) {
  const workflow = await context.db.workflow.findUnique({
    where: { id: workflowId },
    select: { id: true, activeVersionId: true, status: true },
  });
  if (!workflow || workflow.status === "archived") throw new NotFound("Workflow");
  const version =
    input.source === "draft"
      ? await testSnapshotOfDraft(context, workflowId)
      : workflow.activeVersionId
        ? { id: workflow.activeVersionId }
        : null;
  if (!version)
    throw new Conflict(
      "The workflow has no published version yet. Publish it, or start a test run of the draft.",
    );
  const stored = await context.db.workflowVersion.findUniqueOrThrow({
    where: { id: version.id },
    select: { definition: true },
  });
  const definition = workflowDefinitionSchema.parse(stored.definition);
  const trigger = definition.nodes.find((node) => node.kind === TRIGGER_KIND)?.config as
    | TriggerConfig
    | undefined;

  let data: Record<string, unknown> = {};
  let type = "manual";
  if (trigger?.type !== "schedule") {
    const parsed = lifecycleEventDataSchema.safeParse({
      employee: input.employee,
      previous: input.previous,
    });
    if (!parsed.success) throw issuesFrom(parsed.error);
    data = parsed.data;
    type = trigger?.type === "lifecycle_event" ? trigger.event : "manual";
  } else type = "schedule";

  const runId = randomUUID();
  const event: TriggerEvent = { id: runId, type, occurredAt: new Date().toISOString(), data };
  return createRun(
    context,
    {
      id: runId,
      workflowId,
      workflowVersionId: version.id,
      triggerType: "manual",
      triggerEvent: asJson(event),
      isTest: input.test,
      ...employeeColumns(data),
    },
    input.test ? "run.test_requested" : "run.requested",
  );
}

async function loadRun(context: OrgContext, runId: string) {
  const run = await context.db.workflowRun.findUnique({ where: { id: runId } });
  if (!run) throw new NotFound("Run");
  return run;
}

/** A new run of the same version with the same input; reuse=true skips the nodes that completed. */
async function runAgain(context: OrgContext, runId: string, reuse: boolean) {
  const source = await loadRun(context, runId);
  if (reuse && source.status !== "failed")
    throw new Conflict(
      `Only a failed run can be retried from its failed step; this one is ${source.status}.`,
    );
  if (!reuse && !TERMINAL.has(source.status))
    throw new Conflict(
      `The run is still ${source.status}; cancel it or wait before re-running it.`,
    );
  const newId = randomUUID();
  const event = { ...(source.triggerEvent as TriggerEvent), id: newId };
  return createRun(
    context,
    {
      id: newId,
      workflowId: source.workflowId,
      workflowVersionId: source.workflowVersionId,
      triggerType: source.triggerType,
      triggerEvent: asJson(event),
      lifecycleEventId: source.lifecycleEventId,
      employeeRef: source.employeeRef,
      employeeName: source.employeeName,
      employeeEmail: source.employeeEmail,
      isTest: source.isTest,
      sourceRunId: source.id,
      reusesOutputs: reuse,
    },
    reuse ? "run.retried" : "run.rerun",
  );
}

export const rerun = (context: OrgContext, runId: string) => runAgain(context, runId, false);
export const retryFromFailed = (context: OrgContext, runId: string) =>
  runAgain(context, runId, true);

/** Cancels a run and its sub-workflow runs: later nodes never start. */
export async function cancelRun(context: OrgContext, runId: string) {
  const run = await loadRun(context, runId);
  if (TERMINAL.has(run.status)) throw new Conflict(`The run is already ${run.status}.`);
  const cancelled: string[] = [];
  await context.db.$transaction(async (tx) => {
    const queue = [runId];
    while (queue.length > 0) {
      const id = queue.shift() as string;
      const updated = await tx.workflowRun.updateMany({
        where: { id, status: { notIn: [...TERMINAL] as ("completed" | "failed" | "cancelled")[] } },
        data: { status: "cancelled", finishedAt: new Date() },
      });
      if (updated.count === 0) continue;
      cancelled.push(id);
      await tx.stepRun.updateMany({
        where: { runId: id, status: { in: ["running", "waiting", "pending"] } },
        data: { status: "cancelled", finishedAt: new Date() },
      });
      await tx.approval.updateMany({
        where: { runId: id, status: "pending" },
        data: { status: "timeout", comment: "run cancelled", decidedAt: new Date() },
      });
      const children = await tx.workflowRun.findMany({
        where: { parentRunId: id },
        select: { id: true },
      });
      queue.push(...children.map((child) => child.id));
    }
    await recordAudit(tx, context.audit, {
      action: "run.cancelled",
      targetType: "workflow_run",
      targetId: runId,
      summary: cancelled.length > 1 ? { subWorkflowRuns: cancelled.length - 1 } : {},
    });
  });
  // The database says cancelled already (and every step checks that before it
  // starts); the event stops the engine's execution sooner.
  try {
    await inngest.send(
      cancelled.map((id) => ({
        name: RUN_CANCELLED_EVENT,
        data: { runId: id },
        id: `cancel-${id}`,
      })),
    );
  } catch (error) {
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "run cancelled but the engine could not be told; its next step will stop",
        runId,
        error: String(error),
      }),
    );
  }
  return { id: runId, status: "cancelled" as const };
}

export async function getRun(context: OrgContext, runId: string) {
  const run = await context.db.workflowRun.findUnique({
    where: { id: runId },
    include: {
      workflow: { select: { id: true, name: true } },
      workflowVersion: { select: { id: true, version: true, definition: true } },
      stepRuns: {
        orderBy: [{ createdAt: "asc" }, { attempt: "asc" }],
        select: {
          id: true,
          nodeId: true,
          nodeKind: true,
          attempt: true,
          status: true,
          input: true,
          output: true,
          error: true,
          wouldSend: true,
          detail: true,
          startedAt: true,
          finishedAt: true,
        },
      },
    },
  });
  if (!run) throw new NotFound("Run");
  const { definition, ...workflowVersion } = run.workflowVersion;
  // The version's nodes name the steps (a step run only knows its node's id and kind).
  const parsed = workflowDefinitionSchema.safeParse(definition);
  const nodes = parsed.success
    ? parsed.data.nodes.map((node) => ({ id: node.id, name: node.name, kind: node.kind }))
    : [];
  return { ...run, workflowVersion, nodes };
}

export const listRunsSchema = z
  .object({
    workflowId: z.uuid("must be a workflow id").optional(),
    status: z.enum(["queued", "running", "waiting", "completed", "failed", "cancelled"]).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(25),
  })
  .strict();

export async function listRuns(context: OrgContext, filters: z.infer<typeof listRunsSchema>) {
  return context.db.workflowRun.findMany({
    where: { workflowId: filters.workflowId, status: filters.status },
    orderBy: { createdAt: "desc" },
    take: filters.limit,
    select: {
      id: true,
      status: true,
      isTest: true,
      employeeName: true,
      employeeEmail: true,
      createdAt: true,
      startedAt: true,
      finishedAt: true,
      error: true,
      workflow: { select: { id: true, name: true } },
      workflowVersion: { select: { version: true } },
    },
  });
}
