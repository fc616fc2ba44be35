import "server-only";
import canonicalize from "canonicalize";
import { z } from "zod";
import type { OrgContext } from "@/lib/api/org-route";
import { recordAudit } from "@/lib/audit";
import type { TenantDb } from "@/lib/db/tenant";
import { Conflict, DefinitionInvalid, NotFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";
import { TRIGGER_KIND, type TriggerConfig } from "@/lib/nodes/trigger";
import { sha256Hex } from "@/lib/sha256";
import { emptyDefinition, type WorkflowDefinition, workflowDefinitionSchema } from "./definition";
import { nextSlot } from "./schedule";
import { templateDefinition, WORKFLOW_TEMPLATE_IDS } from "./templates";
import { type ValidationLookups, validateDefinition, validateDefinitionSync } from "./validate";

// Workflows and their versions. A draft is edited freely (it must have the
// definition's structure, but may still have problems, which are returned so
// the designer can show them); publishing validates everything and freezes the
// definition as an immutable, numbered WorkflowVersion that runs pin.

const name = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(120, "must be at most 120 characters");
const description = z.string().trim().max(2000, "must be at most 2000 characters");

export const createWorkflowSchema = z
  .object({
    name,
    description: description.optional(),
    definition: workflowDefinitionSchema.optional(),
    /** Start from a ready-made joiner, mover or leaver workflow instead of a definition. */
    templateId: z
      .enum(WORKFLOW_TEMPLATE_IDS, {
        error: `must be one of ${WORKFLOW_TEMPLATE_IDS.join(", ")}`,
      })
      .optional(),
  })
  .strict()
  .refine((input) => !(input.definition && input.templateId), {
    message: "cannot be combined with definition; send one or the other",
    path: ["templateId"],
  });

export const updateWorkflowSchema = z
  .object({
    name: name.optional(),
    description: description.optional(),
    definition: workflowDefinitionSchema.optional(),
    /** The draft revision this edit was based on; a stale one is refused (409). */
    expectedRevision: z.number({ error: "is required" }).int().min(0),
  })
  .strict();

export const publishWorkflowSchema = z
  .object({
    notes: z.string().trim().max(2000, "must be at most 2000 characters").optional(),
    expectedRevision: z.number().int().min(0).optional(),
  })
  .strict();

const asJson = (value: unknown) => value as Prisma.InputJsonValue;

const SUMMARY = {
  id: true,
  name: true,
  description: true,
  status: true,
  draftRevision: true,
  activeVersionId: true,
  triggerType: true,
  triggerEvent: true,
  createdAt: true,
  updatedAt: true,
} as const;

export function definitionHash(definition: WorkflowDefinition): string {
  return sha256Hex(canonicalize(definition) ?? "");
}

/** The lookups publish-time validation needs, scoped to the organisation. */
export function validationLookups(db: TenantDb, workflowId?: string): ValidationLookups {
  return {
    workflowId,
    async lookupWorkflow(id) {
      const workflow = await db.workflow.findUnique({
        where: { id },
        select: { id: true, name: true, activeVersionId: true },
      });
      if (!workflow) return null;
      const active = workflow.activeVersionId
        ? await db.workflowVersion.findUnique({
            where: { id: workflow.activeVersionId },
            select: { definition: true },
          })
        : null;
      const parsed = active ? workflowDefinitionSchema.safeParse(active.definition) : null;
      return {
        id: workflow.id,
        name: workflow.name,
        activeDefinition: parsed?.success ? parsed.data : null,
      };
    },
    async lookupCredential(id) {
      if (!z.uuid().safeParse(id).success) return null;
      return db.credential.findUnique({
        where: { id },
        select: { id: true, name: true, kind: true },
      });
    },
  };
}

export async function listWorkflows(context: OrgContext) {
  const workflows = await context.db.workflow.findMany({
    where: { status: { not: "archived" } },
    select: {
      ...SUMMARY,
      versions: { select: { version: true }, orderBy: { version: "desc" }, take: 1 },
    },
    orderBy: { updatedAt: "desc" },
  });
  return workflows.map(({ versions, ...workflow }) => ({
    ...workflow,
    latestVersion: versions[0]?.version ?? null,
  }));
}

/**
 * A workflow with its draft and the draft's problems; needs only the tenant's
 * data access (pages use it too). The designer's page leaves the problems to
 * the browser, which validates in a worker anyway.
 */
export async function getWorkflow(
  context: Pick<OrgContext, "db">,
  workflowId: string,
  { withProblems = true }: { withProblems?: boolean } = {},
) {
  const workflow = await context.db.workflow.findUnique({
    where: { id: workflowId },
    select: { ...SUMMARY, draftDefinition: true },
  });
  if (!workflow) throw new NotFound("Workflow");
  const activeVersion = workflow.activeVersionId
    ? await context.db.workflowVersion.findUnique({
        where: { id: workflow.activeVersionId },
        select: { id: true, version: true, publishedAt: true },
      })
    : null;
  // A draft saved through the API may not even have the definition's shape;
  // it is returned as stored, with its problems, never dropped.
  const problems = withProblems ? validateDefinitionSync(workflow.draftDefinition).problems : [];
  return { ...workflow, activeVersion, problems };
}

export async function createWorkflow(
  context: OrgContext,
  input: z.infer<typeof createWorkflowSchema>,
) {
  const definition =
    input.definition ??
    (input.templateId ? templateDefinition(input.templateId) : emptyDefinition());
  return context.db.$transaction(async (tx) => {
    const workflow = await tx.workflow.create({
      data: {
        organizationId: context.organization.id,
        name: input.name,
        description: input.description,
        draftDefinition: asJson(definition),
        createdById: context.actor.type === "user" ? context.actor.userId : null,
      },
      select: SUMMARY,
    });
    await recordAudit(tx, context.audit, {
      action: "workflow.created",
      targetType: "workflow",
      targetId: workflow.id,
      summary: {
        name: workflow.name,
        ...(input.templateId ? { template: input.templateId } : {}),
      },
    });
    return { ...workflow, problems: validateDefinitionSync(definition).problems };
  });
}

export async function updateWorkflow(
  context: OrgContext,
  workflowId: string,
  input: z.infer<typeof updateWorkflowSchema>,
) {
  return context.db.$transaction(async (tx) => {
    const current = await tx.workflow.findUnique({
      where: { id: workflowId },
      select: { id: true, draftRevision: true, name: true },
    });
    if (!current) throw new NotFound("Workflow");
    // Optimistic concurrency: of two admins editing one draft, the second save
    // is refused instead of silently overwriting the first.
    const updated = await tx.workflow.updateMany({
      where: { id: workflowId, draftRevision: input.expectedRevision },
      data: {
        name: input.name,
        description: input.description,
        draftDefinition: input.definition ? asJson(input.definition) : undefined,
        draftRevision: { increment: 1 },
      },
    });
    if (updated.count !== 1)
      throw new Conflict(
        `The draft was changed by someone else (it is at revision ${current.draftRevision}, your edit was based on ${input.expectedRevision}). Reload to see their changes.`,
        "expectedRevision",
      );
    await recordAudit(tx, context.audit, {
      action: "workflow.draft_saved",
      targetType: "workflow",
      targetId: workflowId,
      summary: {
        revision: input.expectedRevision + 1,
        ...(input.name && input.name !== current.name ? { name: input.name } : {}),
        ...(input.definition ? { nodes: input.definition.nodes.length } : {}),
      },
    });
    const workflow = await tx.workflow.findUniqueOrThrow({
      where: { id: workflowId },
      select: { ...SUMMARY, draftDefinition: true },
    });
    return { ...workflow, problems: validateDefinitionSync(workflow.draftDefinition).problems };
  });
}

export async function archiveWorkflow(context: OrgContext, workflowId: string) {
  await context.db.$transaction(async (tx) => {
    const workflow = await tx.workflow.findUnique({
      where: { id: workflowId },
      select: { name: true },
    });
    if (!workflow) throw new NotFound("Workflow");
    await tx.workflow.update({ where: { id: workflowId }, data: { status: "archived" } });
    await recordAudit(tx, context.audit, {
      action: "workflow.archived",
      targetType: "workflow",
      targetId: workflowId,
      summary: { name: workflow.name },
    });
  });
}

/** Validates a definition as publish would, without saving anything. */
export async function checkDefinition(
  context: OrgContext,
  workflowId: string,
  definition: unknown,
) {
  const exists = await context.db.workflow.findUnique({
    where: { id: workflowId },
    select: { id: true },
  });
  if (!exists) throw new NotFound("Workflow");
  const { problems } = await validateDefinition(
    definition,
    validationLookups(context.db, workflowId),
  );
  return { valid: problems.length === 0, problems };
}

function triggerOf(definition: WorkflowDefinition, now = new Date()) {
  const trigger = definition.nodes.find((node) => node.kind === TRIGGER_KIND);
  const config = trigger?.config as TriggerConfig | undefined;
  if (!config) return { triggerType: null, triggerEvent: null, nextScheduledAt: null };
  return {
    triggerType: config.type,
    triggerEvent: config.type === "lifecycle_event" ? config.event : null,
    nextScheduledAt:
      config.type === "schedule" ? nextSlot(config.cron, config.timezone, now) : null,
  };
}

async function createVersion(
  context: OrgContext,
  workflowId: string,
  definition: WorkflowDefinition,
  notes: string | undefined,
  action: string,
) {
  return context.db.$transaction(async (tx) => {
    const latest = await tx.workflowVersion.findFirst({
      where: { workflowId, version: { gt: 0 } },
      orderBy: { version: "desc" },
      select: { version: true },
    });
    const version = await tx.workflowVersion.create({
      data: {
        organizationId: context.organization.id,
        workflowId,
        version: (latest?.version ?? 0) + 1,
        definition: asJson(definition),
        definitionHash: definitionHash(definition),
        notes,
        publishedById: context.actor.type === "user" ? context.actor.userId : null,
      },
      select: { id: true, version: true, publishedAt: true, notes: true, definitionHash: true },
    });
    await tx.workflow.update({
      where: { id: workflowId },
      data: { activeVersionId: version.id, status: "active", ...triggerOf(definition) },
    });
    await recordAudit(tx, context.audit, {
      action,
      targetType: "workflow",
      targetId: workflowId,
      summary: { version: version.version, ...(notes ? { notes } : {}) },
    });
    return version;
  });
}

async function validOrThrow(context: OrgContext, workflowId: string, definition: unknown) {
  const result = await validateDefinition(definition, validationLookups(context.db, workflowId));
  if (result.problems.length > 0 || !result.definition)
    throw new DefinitionInvalid(result.problems);
  return result.definition;
}

export async function publishWorkflow(
  context: OrgContext,
  workflowId: string,
  input: z.infer<typeof publishWorkflowSchema>,
) {
  const workflow = await context.db.workflow.findUnique({
    where: { id: workflowId },
    select: { draftDefinition: true, draftRevision: true, status: true },
  });
  if (!workflow) throw new NotFound("Workflow");
  if (input.expectedRevision !== undefined && input.expectedRevision !== workflow.draftRevision)
    throw new Conflict(
      `The draft changed since you last saw it (revision ${workflow.draftRevision}). Reload before publishing.`,
      "expectedRevision",
    );
  const definition = await validOrThrow(context, workflowId, workflow.draftDefinition);
  return createVersion(context, workflowId, definition, input.notes, "workflow.published");
}

export async function listVersions(context: OrgContext, workflowId: string) {
  const workflow = await context.db.workflow.findUnique({
    where: { id: workflowId },
    select: { activeVersionId: true },
  });
  if (!workflow) throw new NotFound("Workflow");
  const versions = await context.db.workflowVersion.findMany({
    where: { workflowId, version: { gt: 0 } },
    select: {
      id: true,
      version: true,
      notes: true,
      publishedAt: true,
      publishedById: true,
      definitionHash: true,
    },
    orderBy: { version: "desc" },
  });
  return versions.map((version) => ({
    ...version,
    active: version.id === workflow.activeVersionId,
  }));
}

export async function getVersion(context: OrgContext, workflowId: string, versionId: string) {
  const version = await context.db.workflowVersion.findFirst({
    where: { id: versionId, workflowId },
    select: {
      id: true,
      version: true,
      notes: true,
      publishedAt: true,
      definition: true,
      definitionHash: true,
    },
  });
  if (!version) throw new NotFound("Version");
  return version;
}

/** Rollback publishes an older version's definition again, as a new version, after re-validating it. */
export async function rollbackToVersion(
  context: OrgContext,
  workflowId: string,
  versionId: string,
) {
  const old = await getVersion(context, workflowId, versionId);
  const definition = await validOrThrow(context, workflowId, old.definition);
  return createVersion(
    context,
    workflowId,
    definition,
    `Rollback to version ${old.version}`,
    "workflow.rolled_back",
  );
}

/**
 * Freezes the current draft for a test run from the designer: runs pin a
 * version, so the draft gets a snapshot with a negative number that is never
 * active and not listed among published versions. Identical drafts share one.
 */
export async function testSnapshotOfDraft(context: OrgContext, workflowId: string) {
  const workflow = await context.db.workflow.findUnique({
    where: { id: workflowId },
    select: { draftDefinition: true },
  });
  if (!workflow) throw new NotFound("Workflow");
  const definition = await validOrThrow(context, workflowId, workflow.draftDefinition);
  const hash = definitionHash(definition);
  const existing = await context.db.workflowVersion.findFirst({
    where: { workflowId, definitionHash: hash, version: { lt: 0 } },
    select: { id: true, version: true },
  });
  if (existing) return existing;
  const lowest = await context.db.workflowVersion.findFirst({
    where: { workflowId, version: { lt: 0 } },
    orderBy: { version: "asc" },
    select: { version: true },
  });
  return context.db.workflowVersion.create({
    data: {
      organizationId: context.organization.id,
      workflowId,
      version: (lowest?.version ?? 0) - 1,
      definition: asJson(definition),
      definitionHash: hash,
      notes: "Draft snapshot for a test run",
      publishedById: context.actor.type === "user" ? context.actor.userId : null,
    },
    select: { id: true, version: true },
  });
}
