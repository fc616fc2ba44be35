import "server-only";
import { randomUUID } from "node:crypto";
import { db } from "@/lib/db/client";

// The two writes every node makes — "started" and "completed" — as one SQL
// statement each. They are the engine's hot path: through the ORM they were
// five queries per node (upsert, earlier attempts, run status ×2, a cancel
// check), and the ORM's per-query work dominated a run's CPU
// (npm run bench:engine). Each statement is scoped to one organisation and
// one run, like everything in forOrg(): every row it reads or writes is
// matched on organizationId.

export type StepKey = {
  organizationId: string;
  runId: string;
  nodeId: string;
  nodeKind: string;
  attempt: number;
};

/**
 * Opens (or reopens, on a replayed step) the attempt's row as running, marks
 * earlier attempts cut off by a crash as interrupted, and moves a queued or
 * waiting run to running — unless the run was cancelled, which it reports
 * instead of writing anything.
 */
export async function recordStepStart(
  key: StepKey,
  input: unknown,
): Promise<{ runStatus: string | null }> {
  const rows = await db().$queryRaw<{ status: string }[]>`
    WITH run AS (
      SELECT status FROM "WorkflowRun"
      WHERE id = ${key.runId}::uuid AND "organizationId" = ${key.organizationId}::uuid
    ),
    interrupted AS (
      UPDATE "StepRun"
      SET status = 'failed',
          error = '{"message":"interrupted: the step did not finish","willRetry":true}'::jsonb,
          "finishedAt" = now(), "updatedAt" = now()
      WHERE ${key.attempt} > 1
        AND "runId" = ${key.runId}::uuid AND "organizationId" = ${key.organizationId}::uuid
        AND "nodeId" = ${key.nodeId} AND attempt < ${key.attempt} AND status = 'running'
        AND EXISTS (SELECT 1 FROM run WHERE status <> 'cancelled')
    ),
    step AS (
      INSERT INTO "StepRun" (id, "organizationId", "runId", "nodeId", "nodeKind", attempt, status, input, "startedAt", "createdAt", "updatedAt")
      SELECT ${randomUUID()}::uuid, ${key.organizationId}::uuid, ${key.runId}::uuid, ${key.nodeId}, ${key.nodeKind},
             ${key.attempt}, 'running', ${JSON.stringify(input ?? null)}::jsonb, now(), now(), now()
      FROM run WHERE status <> 'cancelled'
      ON CONFLICT ("runId", "nodeId", attempt) DO UPDATE
        SET status = 'running', input = EXCLUDED.input, error = NULL,
            "startedAt" = EXCLUDED."startedAt", "updatedAt" = now()
    ),
    resumed AS (
      UPDATE "WorkflowRun" SET status = 'running', "updatedAt" = now()
      WHERE id = ${key.runId}::uuid AND "organizationId" = ${key.organizationId}::uuid
        AND status IN ('queued', 'waiting')
    )
    SELECT status::text AS status FROM run`;
  return { runStatus: rows[0]?.status ?? null };
}

/** Closes the attempt's row as completed (or reused), and a waiting run goes back to running. */
export async function recordStepCompletion(
  key: StepKey,
  result: {
    output: unknown;
    wouldSend?: unknown;
    reused?: boolean;
    /** When no start was written (a fast pure node): what it ran with, and since when. */
    input?: unknown;
    startedAt?: Date;
  },
): Promise<void> {
  const status = result.reused ? "reused" : "completed";
  const wouldSend = result.wouldSend === undefined ? null : JSON.stringify(result.wouldSend);
  const input = result.input === undefined ? null : JSON.stringify(result.input);
  const startedAt = result.startedAt ?? new Date();
  await db().$executeRaw`
    WITH interrupted AS (
      UPDATE "StepRun"
      SET status = 'failed',
          error = '{"message":"interrupted: the step did not finish","willRetry":true}'::jsonb,
          "finishedAt" = now(), "updatedAt" = now()
      WHERE ${key.attempt} > 1
        AND "runId" = ${key.runId}::uuid AND "organizationId" = ${key.organizationId}::uuid
        AND "nodeId" = ${key.nodeId} AND attempt < ${key.attempt} AND status = 'running'
    ),
    step AS (
      INSERT INTO "StepRun" (id, "organizationId", "runId", "nodeId", "nodeKind", attempt, status, input, output, "wouldSend", "startedAt", "finishedAt", "createdAt", "updatedAt")
      SELECT ${randomUUID()}::uuid, ${key.organizationId}::uuid, ${key.runId}::uuid, ${key.nodeId}, ${key.nodeKind},
             ${key.attempt}, ${status}::"StepStatus", ${input}::jsonb, ${JSON.stringify(result.output ?? null)}::jsonb,
             ${wouldSend}::jsonb, ${startedAt}, now(), now(), now()
      FROM "WorkflowRun" WHERE id = ${key.runId}::uuid AND "organizationId" = ${key.organizationId}::uuid
      ON CONFLICT ("runId", "nodeId", attempt) DO UPDATE
        SET status = EXCLUDED.status, output = EXCLUDED.output, "wouldSend" = EXCLUDED."wouldSend",
            input = COALESCE("StepRun".input, EXCLUDED.input),
            "finishedAt" = EXCLUDED."finishedAt", "updatedAt" = now()
    )
    UPDATE "WorkflowRun" SET status = 'running', "updatedAt" = now()
    WHERE id = ${key.runId}::uuid AND "organizationId" = ${key.organizationId}::uuid
      AND status IN ('queued', 'waiting')`;
}
