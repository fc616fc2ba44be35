import "server-only";
import { type AuditContext, type AuditEntry, auditRow } from "@/lib/audit";
import { type PreparedStatement, RUN_BY_ID, runPrepared } from "@/lib/db/step-records";
import { uuidV7 } from "@/lib/db/uuid-v7";

// A run's start (its run:start step) and finish (after its last step) as one
// read and one write, and one write, in SQL on the pg pool like lib/db/step-records.ts:
// through the ORM they were eight to ten statements and two transactions a run
// (npm run bench:engine). A write is one statement, so its parts — the run's
// status, its audit entry, its step rows — commit together, as the ORM's
// transactions did. Every statement is scoped to one organisation: each row it
// reads or writes is matched on, or stamped with, organizationId.

const RUN_TO_START: PreparedStatement = {
  name: "officeflow_run_to_start_v2",
  // The definition as text: the caller hashes exactly what is stored.
  text: `
    WITH ${RUN_BY_ID}
    SELECT run.status::text AS status, r."workflowId" AS "workflowId", r."isTest" AS "isTest",
           r."triggerEvent" AS "triggerEvent", r."startedAt" AS "startedAt",
           r."reusesOutputs" AS "reusesOutputs", r."sourceRunId" AS "sourceRunId",
           w.name AS "workflowName", v.version, v.definition::text AS "definitionJson"
    FROM run
    JOIN "WorkflowRun" r ON r.id = run.id
    JOIN "Workflow" w ON w.id = r."workflowId" AND w."organizationId" = run."organizationId"
    JOIN "WorkflowVersion" v ON v.id = r."workflowVersionId" AND v."organizationId" = run."organizationId"
    WHERE run."organizationId" = $2::uuid`,
};

export type RunToStart = {
  status: "queued" | "running" | "waiting" | "completed" | "failed" | "cancelled";
  workflowId: string;
  isTest: boolean;
  triggerEvent: unknown;
  startedAt: Date | null;
  reusesOutputs: boolean;
  sourceRunId: string | null;
  workflowName: string;
  version: number;
  /** The pinned version's definition exactly as stored (jsonb's text form). */
  definitionJson: string;
};

/** The run with its workflow's name and pinned version, or null when the organisation has no such run. */
export async function readRunToStart(
  organizationId: string,
  runId: string,
): Promise<RunToStart | null> {
  const rows = await runPrepared<RunToStart>(RUN_TO_START, [runId, organizationId]);
  return rows[0] ?? null;
}

/** Inserts the audit row given as JSON in `param` once for each row of `source`. */
const insertAudit = (param: string, source: string) => `
  INSERT INTO "AuditLog" (id, "organizationId", "actorType", "actorUserId", "actorApiKeyId", "actorLabel",
                          action, "targetType", "targetId", summary, ip, "userAgent", "createdAt")
  SELECT a.id, a."organizationId", a."actorType", a."actorUserId", a."actorApiKeyId", a."actorLabel",
         a.action, a."targetType", a."targetId", a.summary, a.ip, a."userAgent", now()
  FROM jsonb_populate_record(NULL::"AuditLog", ${param}::jsonb) AS a, ${source}`;

const auditJson = (context: AuditContext, entry: AuditEntry) =>
  JSON.stringify({ id: uuidV7(), ...auditRow(context, entry) });

const RUN_STARTED: PreparedStatement = {
  name: "officeflow_run_started_v2",
  // $1 run, $2 organisation, $3 startedAt, $4 audit row, $5 trigger row id,
  // $6 trigger node id (null: none), $7 trigger output
  text: `
    WITH ${RUN_BY_ID},
    started AS (
      UPDATE "WorkflowRun" r SET status = 'running', "startedAt" = $3::timestamptz, "updatedAt" = now()
      FROM run WHERE r.id = run.id AND run."organizationId" = $2::uuid AND r.status = 'queued'
      RETURNING r.id
    ),
    audit AS (${insertAudit("$4", "started")}),
    trigger AS (
      INSERT INTO "StepRun" (id, "organizationId", "runId", "nodeId", "nodeKind", attempt, status, output, "startedAt", "finishedAt", "createdAt", "updatedAt")
      SELECT $5::uuid, $2::uuid, $1::uuid, $6::text, 'trigger', 1, 'completed', $7::jsonb, $3::timestamptz, $3::timestamptz, now(), now()
      FROM run WHERE run."organizationId" = $2::uuid AND $6::text IS NOT NULL
      ON CONFLICT ("runId", "nodeId", attempt) DO NOTHING
    )
    SELECT count(*)::int AS started FROM started`,
};

/**
 * Moves a queued run to running (with its `run.started` audit entry) and
 * writes its trigger's step row once; a replayed start changes nothing.
 */
export async function recordRunStart(start: {
  organizationId: string;
  runId: string;
  startedAt: Date;
  audit: { context: AuditContext; entry: AuditEntry };
  /** The trigger node and its output, as the JSON text the timeline stores. */
  trigger?: { nodeId: string; outputJson: string };
}): Promise<void> {
  await runPrepared(RUN_STARTED, [
    start.runId,
    start.organizationId,
    start.startedAt,
    auditJson(start.audit.context, start.audit.entry),
    uuidV7(),
    start.trigger?.nodeId ?? null,
    start.trigger?.outputJson ?? null,
  ]);
}

const RUN_FINISHED: PreparedStatement = {
  name: "officeflow_run_finished_v2",
  // $1 run, $2 organisation, $3 finishedAt, $4 skipped steps [{id, nodeId, nodeKind, reason}],
  // $5 status, $6 error (null: leave as it is), $7 audit row
  text: `
    WITH ${RUN_BY_ID},
    skipped AS (
      INSERT INTO "StepRun" (id, "organizationId", "runId", "nodeId", "nodeKind", attempt, status, detail, "startedAt", "finishedAt", "createdAt", "updatedAt")
      SELECT s.id, $2::uuid, $1::uuid, s."nodeId", s."nodeKind", 1, 'skipped',
             jsonb_build_object('reason', s.reason), $3::timestamptz, $3::timestamptz, now(), now()
      FROM run, jsonb_to_recordset($4::jsonb) AS s(id uuid, "nodeId" text, "nodeKind" text, reason text)
      WHERE run."organizationId" = $2::uuid
      ON CONFLICT DO NOTHING
    ),
    finished AS (
      UPDATE "WorkflowRun" r
      SET status = $5::text::"RunStatus", "finishedAt" = $3::timestamptz,
          error = COALESCE($6::jsonb, r.error), "updatedAt" = now()
      FROM run WHERE r.id = run.id AND run."organizationId" = $2::uuid
        AND r.status NOT IN ('completed', 'failed', 'cancelled')
      RETURNING r.id
    )
    ${insertAudit("$7", "finished")}`,
};

/**
 * Closes a run that is not closed yet (with its `run.<status>` audit entry),
 * and writes a skipped row for each node that did not run.
 */
export async function recordRunFinish(finish: {
  organizationId: string;
  runId: string;
  status: "completed" | "failed";
  error?: { nodeId: string; message: string };
  skipped: { nodeId: string; kind: string; reason: string }[];
  audit: { context: AuditContext; entry: AuditEntry };
}): Promise<void> {
  const skipped = finish.skipped.map((step) => ({
    id: uuidV7(),
    nodeId: step.nodeId,
    nodeKind: step.kind,
    reason: step.reason,
  }));
  await runPrepared(RUN_FINISHED, [
    finish.runId,
    finish.organizationId,
    new Date(),
    JSON.stringify(skipped),
    finish.status,
    finish.error ? JSON.stringify(finish.error) : null,
    auditJson(finish.audit.context, finish.audit.entry),
  ]);
}
