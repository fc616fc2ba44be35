import "server-only";
import { sqlPool } from "@/lib/db/client";
import { uuidV7 } from "@/lib/db/uuid-v7";

// The two writes every node makes — "started" and "completed" — as one SQL
// statement each. They are the engine's hot path: through the ORM they were
// five queries per node (upsert, earlier attempts, run status ×2, a cancel
// check), and even as one raw ORM statement each cost about a millisecond of
// the app's CPU, so they go to the pg pool under the Prisma client as named
// prepared statements (parsed and planned once per connection)
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

/** A statement Postgres prepares once per connection; `name` must stay unique to `text`. */
export type PreparedStatement = { name: string; text: string };

export async function runPrepared<Row extends Record<string, unknown>>(
  statement: PreparedStatement,
  values: unknown[],
): Promise<Row[]> {
  const result = await sqlPool().query<Row>({ ...statement, values });
  return result.rows;
}

const INTERRUPTED = `'{"message":"interrupted: the step did not finish","willRetry":true}'::jsonb`;

/**
 * The run ($1) found by its primary key alone; statements then match its
 * organisation ($2) on this row. Written as `id = $1 AND "organizationId" = $2`,
 * a table without statistics yet (a new database, a burst of new runs) let
 * Postgres pick an organisation index and walk every run of the organisation:
 * three times the CPU of the insert itself (npm run bench:engine, EXPLAIN).
 * Updates of the run row still test its status on the row itself, so a
 * concurrent change (a cancel) is re-checked before it is overwritten.
 */
export const RUN_BY_ID = `run AS MATERIALIZED (
      SELECT id, "organizationId", status FROM "WorkflowRun" WHERE id = $1::uuid
    )`;

const STEP_STARTED: PreparedStatement = {
  name: "officeflow_step_started_v2",
  // $1 run, $2 organisation, $3 node, $4 kind, $5 attempt, $6 input, $7 new row id
  text: `
    WITH ${RUN_BY_ID},
    interrupted AS (
      UPDATE "StepRun"
      SET status = 'failed', error = ${INTERRUPTED}, "finishedAt" = now(), "updatedAt" = now()
      WHERE $5::int > 1
        AND "runId" = $1::uuid AND "organizationId" = $2::uuid
        AND "nodeId" = $3::text AND attempt < $5::int AND status = 'running'
        AND EXISTS (SELECT 1 FROM run WHERE "organizationId" = $2::uuid AND status <> 'cancelled')
    ),
    step AS (
      INSERT INTO "StepRun" (id, "organizationId", "runId", "nodeId", "nodeKind", attempt, status, input, "startedAt", "createdAt", "updatedAt")
      SELECT $7::uuid, $2::uuid, $1::uuid, $3::text, $4::text, $5::int, 'running', $6::jsonb, now(), now(), now()
      FROM run WHERE "organizationId" = $2::uuid AND status <> 'cancelled'
      ON CONFLICT ("runId", "nodeId", attempt) DO UPDATE
        SET status = 'running', input = EXCLUDED.input, error = NULL,
            "startedAt" = EXCLUDED."startedAt", "updatedAt" = now()
    ),
    resumed AS (
      UPDATE "WorkflowRun" r SET status = 'running', "updatedAt" = now()
      FROM run WHERE r.id = run.id AND run."organizationId" = $2::uuid
        AND r.status IN ('queued', 'waiting')
    )
    SELECT status::text AS status FROM run WHERE "organizationId" = $2::uuid`,
};

/**
 * Opens (or reopens, on a replayed step) the attempt's row as running, marks
 * earlier attempts cut off by a crash as interrupted, and moves a queued or
 * waiting run to running — unless the run was cancelled, which it reports
 * instead of writing anything.
 */
export async function recordStepStart(
  key: StepKey,
  /** The input as the timeline stores it, as JSON text. */
  inputJson: string,
): Promise<{ runStatus: string | null }> {
  const rows = await runPrepared<{ status: string }>(STEP_STARTED, [
    key.runId,
    key.organizationId,
    key.nodeId,
    key.nodeKind,
    key.attempt,
    inputJson,
    uuidV7(),
  ]);
  return { runStatus: rows[0]?.status ?? null };
}

const STEP_COMPLETED: PreparedStatement = {
  name: "officeflow_step_completed_v2",
  // $1 run, $2 organisation, $3 node, $4 kind, $5 attempt, $6 status, $7 input,
  // $8 output, $9 wouldSend, $10 startedAt, $11 new row id
  text: `
    WITH ${RUN_BY_ID},
    interrupted AS (
      UPDATE "StepRun"
      SET status = 'failed', error = ${INTERRUPTED}, "finishedAt" = now(), "updatedAt" = now()
      WHERE $5::int > 1
        AND "runId" = $1::uuid AND "organizationId" = $2::uuid
        AND "nodeId" = $3::text AND attempt < $5::int AND status = 'running'
    ),
    step AS (
      INSERT INTO "StepRun" (id, "organizationId", "runId", "nodeId", "nodeKind", attempt, status, input, output, "wouldSend", "startedAt", "finishedAt", "createdAt", "updatedAt")
      SELECT $11::uuid, $2::uuid, $1::uuid, $3::text, $4::text, $5::int, $6::"StepStatus", $7::jsonb,
             $8::jsonb, $9::jsonb, $10::timestamptz, now(), now(), now()
      FROM run WHERE "organizationId" = $2::uuid
      ON CONFLICT ("runId", "nodeId", attempt) DO UPDATE
        SET status = EXCLUDED.status, output = EXCLUDED.output, "wouldSend" = EXCLUDED."wouldSend",
            input = COALESCE("StepRun".input, EXCLUDED.input),
            "finishedAt" = EXCLUDED."finishedAt", "updatedAt" = now()
    )
    UPDATE "WorkflowRun" r SET status = 'running', "updatedAt" = now()
    FROM run WHERE r.id = run.id AND run."organizationId" = $2::uuid
      AND r.status IN ('queued', 'waiting')`,
};

/**
 * Closes the attempt's row as completed (or reused), and a waiting run goes back to running.
 * Values come as the JSON text the timeline stores.
 */
export async function recordStepCompletion(
  key: StepKey,
  result: {
    outputJson: string;
    wouldSendJson?: string;
    reused?: boolean;
    /** When no start was written (a fast pure node): what it ran with, and since when. */
    inputJson?: string;
    startedAt?: Date;
  },
): Promise<void> {
  await runPrepared(STEP_COMPLETED, [
    key.runId,
    key.organizationId,
    key.nodeId,
    key.nodeKind,
    key.attempt,
    result.reused ? "reused" : "completed",
    result.inputJson ?? null,
    result.outputJson,
    result.wouldSendJson ?? null,
    result.startedAt ?? new Date(),
    uuidV7(),
  ]);
}
