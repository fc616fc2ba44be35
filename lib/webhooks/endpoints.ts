import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { parseWith } from "@/lib/api/http";
import type { OrgContext } from "@/lib/api/org-route";
import { recordAudit } from "@/lib/audit";
import { needsRotation, SecretUnavailable } from "@/lib/crypto/secret-box";
import type { TenantTx } from "@/lib/db/tenant";
import { Conflict, NotFound } from "@/lib/errors";
import type { Prisma, WebhookSourceType } from "@/lib/generated/prisma/client";
import { forgetEndpoint } from "./endpoint-cache";
import {
  endpointSecretHint,
  generateEndpointSecret,
  openEndpointSecret,
  pastedSecretSchema,
  sealEndpointSecret,
} from "./endpoint-secrets";
import { parseSourceConfig, WEBHOOK_SOURCE_TYPES, WEBHOOK_SOURCES } from "./sources";

// Webhook endpoints: where an organisation's HR system sends lifecycle
// events (POST /api/hooks/{id}). Each has a source type (how deliveries are
// signed), a source config, and a signing secret sealed like a credential.
// The secret is answered in clear once — by the create or rotate request
// that made it — and never again: reads show a masked hint. Rotation keeps
// the replaced secret verifying for an overlap window so senders can switch
// without losing deliveries (endpoint-secrets.ts endpointVerificationSecrets).

const endpointName = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(120, "must be at most 120 characters");

const enabledFlag = z.boolean({ error: "must be true or false" });

function createSchemaFor(sourceType: WebhookSourceType) {
  const source = WEBHOOK_SOURCES[sourceType];
  return z
    .object({
      name: endpointName,
      sourceType: z.literal(sourceType),
      // Validated even when omitted, so a source that needs settings names them.
      config: (source.configSchema as z.ZodType<Record<string, unknown>>).prefault({}),
      secret: pastedSecretSchema(sourceType)
        .optional()
        .meta({
          description:
            sourceType === "standard_webhooks"
              ? "Optional: a whsec_… secret the sender made. Omit it and OfficeFlow generates one and answers it once."
              : "Optional: the key the sender made (BambooHR shows a private key on its webhook page). Omit it and OfficeFlow generates one and answers it once.",
        }),
      enabled: enabledFlag.optional(),
    })
    .strict()
    .meta({ title: source.label });
}

type CreateSchema = ReturnType<typeof createSchemaFor>;

export const createWebhookEndpointSchema = z.discriminatedUnion(
  "sourceType",
  WEBHOOK_SOURCE_TYPES.map(createSchemaFor) as [CreateSchema, ...CreateSchema[]],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `must be one of ${WEBHOOK_SOURCE_TYPES.join(", ")}`
        : undefined,
  },
);
export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointSchema>;

export const updateWebhookEndpointSchema = z
  .object({
    name: endpointName.optional(),
    enabled: enabledFlag.optional(),
    config: z
      .record(z.string(), z.unknown(), { error: "must be an object" })
      .optional()
      .meta({ description: "Replaces the whole config; validated against the endpoint's source." }),
  })
  .strict()
  .refine(
    (input) =>
      input.name !== undefined || input.enabled !== undefined || input.config !== undefined,
    { message: "send at least one of name, enabled or config", path: ["(body)"] },
  );
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointSchema>;

export const MAX_OVERLAP_MINUTES = 7 * 24 * 60;

export const rotateWebhookSecretSchema = z
  .object({
    overlapMinutes: z
      .number({ error: "must be a number of minutes" })
      .int("must be a whole number of minutes")
      .min(0, "must be at least 0")
      .max(MAX_OVERLAP_MINUTES, `must be at most ${MAX_OVERLAP_MINUTES} (7 days)`)
      .default(24 * 60)
      .meta({
        description:
          "How long the replaced secret keeps verifying deliveries (default 1440 = 24 h; 0 ends it now).",
      }),
    secret: z.string({ error: "must be a string" }).optional().meta({
      description:
        "Optional: the new secret, when the sender made it (BambooHR). Omit it and OfficeFlow generates one and answers it once.",
    }),
  })
  .strict();
export type RotateWebhookSecretInput = z.infer<typeof rotateWebhookSecretSchema>;

const ENDPOINT_FIELDS = {
  id: true,
  organizationId: true,
  name: true,
  sourceType: true,
  config: true,
  enabled: true,
  secretKeyId: true,
  encryptedSecret: true,
  previousSecretKeyId: true,
  previousEncryptedSecret: true,
  previousSecretExpiresAt: true,
  lastDeliveryAt: true,
  createdAt: true,
  updatedAt: true,
} as const;

type EndpointRow = Prisma.WebhookEndpointGetPayload<{ select: typeof ENDPOINT_FIELDS }>;

export type WebhookEndpointView = {
  id: string;
  name: string;
  sourceType: WebhookSourceType;
  config: Record<string, unknown>;
  enabled: boolean;
  /** Where the sender POSTs: `{APP_URL or this request's origin}/api/hooks/{id}`. */
  url: string;
  /** Masked, e.g. "whsec_…a1b2"; "…" when the stored secret cannot be opened. */
  secretHint: string;
  /** The encryption key the secret is sealed under (for key rotation). */
  keyId: string;
  /** Until when the secret replaced by the last rotation still verifies; null when it no longer does. */
  previousSecretExpiresAt: Date | null;
  lastDeliveryAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

/** A create or rotate answer: `secret` only when OfficeFlow generated it (a pasted one is not echoed). */
export type WebhookEndpointWithSecret = { endpoint: WebhookEndpointView; secret?: string };

type ReadContext = Pick<OrgContext, "db" | "url">;
type WriteContext = Pick<OrgContext, "db" | "url" | "organization" | "actor" | "audit">;

export function webhookEndpointUrl(origin: string, endpointId: string): string {
  return `${(process.env.APP_URL ?? origin).replace(/\/+$/, "")}/api/hooks/${endpointId}`;
}

function currentHint(row: EndpointRow): string {
  try {
    return endpointSecretHint(
      openEndpointSecret(row, { keyId: row.secretKeyId, payload: row.encryptedSecret }),
    );
  } catch (error) {
    if (error instanceof SecretUnavailable) return "…";
    throw error;
  }
}

function present(
  row: EndpointRow,
  context: ReadContext,
  now: Date,
  hint = currentHint(row),
): WebhookEndpointView {
  const previousLive =
    row.previousEncryptedSecret !== null &&
    row.previousSecretExpiresAt !== null &&
    row.previousSecretExpiresAt.getTime() > now.getTime();
  return {
    id: row.id,
    name: row.name,
    sourceType: row.sourceType,
    config: (row.config ?? {}) as Record<string, unknown>,
    enabled: row.enabled,
    url: webhookEndpointUrl(context.url.origin, row.id),
    secretHint: hint,
    keyId: row.secretKeyId,
    previousSecretExpiresAt: previousLive ? row.previousSecretExpiresAt : null,
    lastDeliveryAt: row.lastDeliveryAt,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function assertEndpointId(id: string) {
  // A malformed id would make Postgres throw on the uuid cast; it names no endpoint.
  if (!UUID.test(id)) throw new NotFound("Webhook endpoint");
}

/** Parses a value that belongs to one field of the body, naming issues as `secret` or `config.x`. */
function parseField<T>(schema: z.ZodType<T>, value: unknown, field: string): T {
  return parseWith(
    z.object({ [field]: schema }).transform((parsed) => parsed[field] as T),
    { [field]: value },
  );
}

const nameConflict = () =>
  new Conflict("A webhook endpoint with this name already exists in this organisation.", "name");

async function assertNameFree(tx: TenantTx, name: string, exceptId?: string) {
  const existing = await tx.webhookEndpoint.findFirst({
    where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (existing) throw nameConflict();
}

const concurrentChange = () =>
  new Conflict("The endpoint's secret changed meanwhile; reload and try again.");

/**
 * Writes secret fields only if the current sealed secret is still the one
 * read (each seal has a fresh IV, so the bytes identify it): a concurrent
 * rotation is never silently undone, and a shown secret never silently lost.
 */
async function updateSecretFields(
  tx: TenantTx,
  row: EndpointRow,
  data: Prisma.WebhookEndpointUpdateManyMutationInput,
): Promise<EndpointRow> {
  const [updated] = await tx.webhookEndpoint.updateManyAndReturn({
    where: { id: row.id, encryptedSecret: { equals: row.encryptedSecret } },
    data,
    select: ENDPOINT_FIELDS,
  });
  if (!updated) throw concurrentChange();
  return updated;
}

export async function listWebhookEndpoints(context: ReadContext): Promise<WebhookEndpointView[]> {
  const rows = await context.db.webhookEndpoint.findMany({
    select: ENDPOINT_FIELDS,
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const now = new Date();
  return rows.map((row) => present(row, context, now));
}

export async function getWebhookEndpoint(
  context: ReadContext,
  id: string,
): Promise<WebhookEndpointView> {
  assertEndpointId(id);
  const row = await context.db.webhookEndpoint.findUnique({
    where: { id },
    select: ENDPOINT_FIELDS,
  });
  if (!row) throw new NotFound("Webhook endpoint");
  return present(row, context, new Date());
}

function actorUserId(context: WriteContext) {
  return context.actor.type === "user" ? context.actor.userId : null;
}

export async function createWebhookEndpoint(
  context: WriteContext,
  input: CreateWebhookEndpointInput,
): Promise<WebhookEndpointWithSecret> {
  const sourceType = input.sourceType;
  const config = parseSourceConfig(sourceType, input.config ?? {});
  const generated = input.secret === undefined;
  const secret = input.secret ?? generateEndpointSecret(sourceType);
  // The id is chosen before sealing so the AAD can name it.
  const id = randomUUID();
  const sealed = sealEndpointSecret(context.organization.id, id, secret);
  const hint = endpointSecretHint(secret);
  const endpoint = await context.db.$transaction(async (tx) => {
    await assertNameFree(tx, input.name);
    const row = await tx.webhookEndpoint.create({
      data: {
        id,
        organizationId: context.organization.id,
        name: input.name,
        sourceType,
        config: config as Prisma.InputJsonObject,
        enabled: input.enabled ?? true,
        secretKeyId: sealed.keyId,
        encryptedSecret: new Uint8Array(sealed.payload),
        createdById: actorUserId(context),
      },
      select: ENDPOINT_FIELDS,
    });
    await recordAudit(tx, context.audit, {
      action: "webhook_endpoint.created",
      targetType: "webhook_endpoint",
      targetId: id,
      summary: {
        name: row.name,
        sourceType,
        enabled: row.enabled,
        config,
        hint,
        keySource: generated ? "generated" : "pasted",
        keyId: row.secretKeyId,
      },
    });
    return present(row, context, new Date(), hint);
  });
  return generated ? { endpoint, secret } : { endpoint };
}

export async function updateWebhookEndpoint(
  context: WriteContext,
  id: string,
  input: UpdateWebhookEndpointInput,
): Promise<WebhookEndpointView> {
  assertEndpointId(id);
  const view = await context.db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findUnique({ where: { id }, select: ENDPOINT_FIELDS });
    if (!row) throw new NotFound("Webhook endpoint");
    const config =
      input.config === undefined ? undefined : parseSourceConfig(row.sourceType, input.config);
    const renamed = input.name !== undefined && input.name !== row.name;
    if (renamed) await assertNameFree(tx, input.name as string, id);
    const toggled = input.enabled !== undefined && input.enabled !== row.enabled;

    const data: Prisma.WebhookEndpointUpdateManyMutationInput = {
      ...(renamed ? { name: input.name } : {}),
      ...(toggled ? { enabled: input.enabled } : {}),
      ...(config ? { config: config as Prisma.InputJsonObject } : {}),
    };
    // Saving re-seals a secret still under an older encryption key (lazy key
    // rotation, as credentials do); the replaced secret's blob goes with it.
    const reseal = needsRotation(row.secretKeyId);
    let updated: EndpointRow;
    if (reseal) {
      const plaintext = openEndpointSecret(row, {
        keyId: row.secretKeyId,
        payload: row.encryptedSecret,
      });
      const sealed = sealEndpointSecret(row.organizationId, id, plaintext);
      updated = await updateSecretFields(tx, row, {
        ...data,
        secretKeyId: sealed.keyId,
        encryptedSecret: new Uint8Array(sealed.payload),
      });
    } else {
      updated = await tx.webhookEndpoint.update({ where: { id }, data, select: ENDPOINT_FIELDS });
    }

    await recordAudit(tx, context.audit, {
      action: "webhook_endpoint.updated",
      targetType: "webhook_endpoint",
      targetId: id,
      summary: {
        name: updated.name,
        sourceType: updated.sourceType,
        ...(renamed ? { previousName: row.name } : {}),
        ...(toggled ? { enabled: updated.enabled } : {}),
        ...(config ? { config, previousConfig: row.config } : {}),
        ...(reseal ? { keyId: updated.secretKeyId, previousKeyId: row.secretKeyId } : {}),
      },
    });
    return present(updated, context, new Date());
  });
  forgetEndpoint(id); // after the commit (./endpoint-cache.ts)
  return view;
}

export async function rotateWebhookSecret(
  context: WriteContext,
  id: string,
  input: RotateWebhookSecretInput,
  now: Date = new Date(),
): Promise<WebhookEndpointWithSecret> {
  assertEndpointId(id);
  const overlapMinutes = input.overlapMinutes ?? 24 * 60;
  const rotated = await context.db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findUnique({ where: { id }, select: ENDPOINT_FIELDS });
    if (!row) throw new NotFound("Webhook endpoint");
    const pasted =
      input.secret === undefined
        ? undefined
        : parseField(pastedSecretSchema(row.sourceType), input.secret, "secret");
    const secret = pasted ?? generateEndpointSecret(row.sourceType);
    const sealed = sealEndpointSecret(row.organizationId, id, secret);
    const hint = endpointSecretHint(secret);
    const previousHint = currentHint(row);
    const expiresAt = overlapMinutes > 0 ? new Date(now.getTime() + overlapMinutes * 60_000) : null;

    // The current secret becomes the previous one (a secret replaced earlier,
    // still in its own window, stops verifying now: there is one previous slot).
    const updated = await updateSecretFields(tx, row, {
      secretKeyId: sealed.keyId,
      encryptedSecret: new Uint8Array(sealed.payload),
      previousSecretKeyId: expiresAt ? row.secretKeyId : null,
      previousEncryptedSecret: expiresAt ? row.encryptedSecret : null,
      previousSecretExpiresAt: expiresAt,
    });
    await recordAudit(tx, context.audit, {
      action: "webhook_endpoint.secret_rotated",
      targetType: "webhook_endpoint",
      targetId: id,
      summary: {
        name: updated.name,
        sourceType: updated.sourceType,
        hint,
        previousHint,
        keySource: pasted === undefined ? "generated" : "pasted",
        overlapMinutes,
        previousValidUntil: expiresAt?.toISOString() ?? null,
        keyId: updated.secretKeyId,
      },
    });
    const endpoint = present(updated, context, now, hint);
    return pasted === undefined ? { endpoint, secret } : { endpoint };
  });
  forgetEndpoint(id); // after the commit (./endpoint-cache.ts)
  return rotated;
}

export async function deleteWebhookEndpoint(context: WriteContext, id: string) {
  assertEndpointId(id);
  const deleted = await context.db.$transaction(async (tx) => {
    const row = await tx.webhookEndpoint.findUnique({
      where: { id },
      select: { name: true, sourceType: true },
    });
    if (!row) throw new NotFound("Webhook endpoint");
    // Its delivery log goes with it (onDelete: Cascade); events it started keep their runs.
    await tx.webhookEndpoint.delete({ where: { id } });
    await recordAudit(tx, context.audit, {
      action: "webhook_endpoint.deleted",
      targetType: "webhook_endpoint",
      targetId: id,
      summary: { name: row.name, sourceType: row.sourceType },
    });
    return { deleted: id };
  });
  forgetEndpoint(id); // after the commit (./endpoint-cache.ts)
  return deleted;
}
