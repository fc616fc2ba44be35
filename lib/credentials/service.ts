import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { issuesFrom } from "@/lib/api/http";
import type { OrgContext } from "@/lib/api/org-route";
import { recordAudit } from "@/lib/audit";
import { needsRotation, resealSecret, sealSecret } from "@/lib/crypto/secret-box";
import type { TenantDb, TenantTx } from "@/lib/db/tenant";
import { Conflict, NotFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import { credentialAad } from "./aad";
import {
  CREDENTIAL_KIND_NAMES,
  type CredentialKind,
  credentialKind,
  isCredentialKind,
} from "./kinds";

// Per-organisation credentials: the secret is sealed (AES-256-GCM, AAD bound
// to organisation and credential) and never leaves the server again; what
// the API returns is the metadata — name, kind, a masked hint, the non-secret
// settings and the key id. Workflow steps decrypt through ./secrets.ts only.

const credentialName = z
  .string({ error: "is required" })
  .trim()
  .min(1, "is required")
  .max(120, "must be at most 120 characters");

function createSchemaFor(name: CredentialKind) {
  const kind = credentialKind(name);
  return z
    .object({
      name: credentialName,
      kind: z.literal(name),
      secret: kind.secretSchema,
      // Validated even when omitted, so a kind that needs settings says which.
      settings: kind.settingsSchema.prefault({}),
    })
    .strict()
    .meta({ title: kind.label });
}

type CreateSchema = ReturnType<typeof createSchemaFor>;

export const createCredentialSchema = z.discriminatedUnion(
  "kind",
  CREDENTIAL_KIND_NAMES.map(createSchemaFor) as [CreateSchema, ...CreateSchema[]],
  {
    error: (issue) =>
      issue.code === "invalid_union"
        ? `must be one of ${CREDENTIAL_KIND_NAMES.join(", ")}`
        : undefined,
  },
);
export type CreateCredentialInput = z.infer<typeof createCredentialSchema>;

export const updateCredentialSchema = z
  .object({
    name: credentialName.optional(),
    settings: z
      .record(z.string(), z.unknown(), { error: "must be an object" })
      .optional()
      .meta({ description: "Replaces all settings; validated against the credential's kind." }),
    secret: z.record(z.string(), z.unknown(), { error: "must be an object" }).optional().meta({
      description:
        "Replaces the secret: every secret field of the credential's kind is required. The old secret is never returned.",
    }),
  })
  .strict()
  .refine(
    (input) =>
      input.name !== undefined || input.settings !== undefined || input.secret !== undefined,
    { message: "send at least one of name, settings or secret", path: ["(body)"] },
  );
export type UpdateCredentialInput = z.infer<typeof updateCredentialSchema>;

/** What Credential.metadata holds: only non-secret facts. */
const storedMetadataSchema = z.object({
  hint: z.string().catch("…"),
  settings: z.record(z.string(), z.unknown()).catch({}),
});

export function storedMetadata(value: unknown) {
  return storedMetadataSchema.catch({ hint: "…", settings: {} }).parse(value ?? {});
}

const CREDENTIAL_FIELDS = {
  id: true,
  name: true,
  kind: true,
  keyId: true,
  metadata: true,
  createdById: true,
  createdAt: true,
  updatedAt: true,
} as const;

type CredentialRow = Prisma.CredentialGetPayload<{ select: typeof CREDENTIAL_FIELDS }>;
type Person = { id: string; name: string | null; email: string };

export type CredentialView = {
  id: string;
  name: string;
  kind: string;
  hint: string;
  settings: Record<string, unknown>;
  keyId: string;
  createdAt: Date;
  updatedAt: Date;
  createdBy: Person | null;
};

/** Creators who are still members; a former member's id names no one here. */
async function peopleById(db: TenantDb | TenantTx, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map<string, Person>();
  const memberships = await db.membership.findMany({
    where: { userId: { in: wanted } },
    select: { user: { select: { id: true, name: true, email: true } } },
  });
  return new Map(memberships.map(({ user }) => [user.id, user]));
}

function present(row: CredentialRow, people: Map<string, Person>): CredentialView {
  const { hint, settings } = storedMetadata(row.metadata);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    hint,
    settings,
    keyId: row.keyId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    createdBy: row.createdById ? (people.get(row.createdById) ?? null) : null,
  };
}

async function presentOne(db: TenantDb | TenantTx, row: CredentialRow) {
  return present(row, await peopleById(db, [row.createdById]));
}

export async function listCredentials(db: TenantDb): Promise<CredentialView[]> {
  const rows = await db.credential.findMany({
    select: CREDENTIAL_FIELDS,
    orderBy: [{ name: "asc" }, { id: "asc" }],
  });
  const people = await peopleById(
    db,
    rows.map((row) => row.createdById),
  );
  return rows.map((row) => present(row, people));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getCredential(db: TenantDb, id: string): Promise<CredentialView> {
  // A malformed id would make Postgres throw on the uuid cast; it names no credential.
  if (!UUID.test(id)) throw new NotFound("Credential");
  const row = await db.credential.findUnique({ where: { id }, select: CREDENTIAL_FIELDS });
  if (!row) throw new NotFound("Credential");
  return presentOne(db, row);
}

/** Parses one part of the body against the kind's schema, naming fields as `secret.botToken`. */
function parsePart<T>(schema: z.ZodType<T>, value: unknown, prefix: "secret" | "settings"): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const prefixed = new z.ZodError(
    result.error.issues.map((issue) => ({ ...issue, path: [prefix, ...issue.path] })),
  );
  throw issuesFrom(prefixed);
}

function isNameTaken(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === "P2002" &&
    JSON.stringify(error.meta ?? {}).includes("name")
  );
}

const nameConflict = () =>
  new Conflict("A credential with this name already exists in this organisation.", "name");

/** Unique names are checked first for a clear answer, and by the constraint for races. */
async function withUniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isNameTaken(error)) throw nameConflict();
    throw error;
  }
}

async function assertNameFree(tx: TenantTx, name: string, exceptId?: string) {
  const existing = await tx.credential.findFirst({
    where: { name, ...(exceptId ? { id: { not: exceptId } } : {}) },
    select: { id: true },
  });
  if (existing) throw nameConflict();
}

type WriteContext = Pick<OrgContext, "db" | "organization" | "actor" | "audit">;

export async function createCredential(
  context: WriteContext,
  input: CreateCredentialInput,
): Promise<CredentialView> {
  const kind = credentialKind(input.kind);
  const secret = parsePart(kind.secretSchema, input.secret, "secret") as Record<string, string>;
  const settings = parsePart(kind.settingsSchema, input.settings ?? {}, "settings");
  // The id is chosen before sealing so the AAD can name it.
  const id = randomUUID();
  const sealed = sealSecret(JSON.stringify(secret), credentialAad(context.organization.id, id));
  const hint = kind.hint(secret);
  return withUniqueName(() =>
    context.db.$transaction(async (tx) => {
      await assertNameFree(tx, input.name);
      const row = await tx.credential.create({
        data: {
          id,
          organizationId: context.organization.id,
          name: input.name,
          kind: kind.kind,
          keyId: sealed.keyId,
          encryptedPayload: new Uint8Array(sealed.payload),
          metadata: { hint, settings } as Prisma.InputJsonObject,
          createdById: context.actor.type === "user" ? context.actor.userId : null,
        },
        select: CREDENTIAL_FIELDS,
      });
      await recordAudit(tx, context.audit, {
        action: "credential.created",
        targetType: "credential",
        targetId: id,
        summary: { name: row.name, kind: row.kind, hint, settings, keyId: row.keyId },
      });
      return presentOne(tx, row);
    }),
  );
}

export async function updateCredential(
  context: WriteContext,
  id: string,
  input: UpdateCredentialInput,
): Promise<CredentialView> {
  if (!UUID.test(id)) throw new NotFound("Credential");
  return withUniqueName(() =>
    context.db.$transaction(async (tx) => {
      const row = await tx.credential.findUnique({
        where: { id },
        select: { ...CREDENTIAL_FIELDS, encryptedPayload: true },
      });
      if (!row) throw new NotFound("Credential");
      if (!isCredentialKind(row.kind))
        throw new Conflict(`Credentials of kind "${row.kind}" can no longer be changed.`, "kind");
      const kind = credentialKind(row.kind);
      const stored = storedMetadata(row.metadata);
      const settings =
        input.settings === undefined
          ? stored.settings
          : parsePart(kind.settingsSchema, input.settings, "settings");
      const secret =
        input.secret === undefined
          ? undefined
          : (parsePart(kind.secretSchema, input.secret, "secret") as Record<string, string>);
      const renamed = input.name !== undefined && input.name !== row.name;
      if (renamed) await assertNameFree(tx, input.name as string, id);

      // A new secret is sealed under the current key; an unchanged one is
      // re-sealed when it still uses an older key (lazy rotation).
      const aad = credentialAad(context.organization.id, id);
      const sealed = secret
        ? sealSecret(JSON.stringify(secret), aad)
        : needsRotation(row.keyId)
          ? resealSecret({ keyId: row.keyId, payload: row.encryptedPayload }, aad)
          : undefined;
      const hint = secret ? kind.hint(secret) : stored.hint;

      const updated = await tx.credential.update({
        where: { id },
        data: {
          ...(renamed ? { name: input.name } : {}),
          metadata: { hint, settings } as Prisma.InputJsonObject,
          ...(sealed
            ? { keyId: sealed.keyId, encryptedPayload: new Uint8Array(sealed.payload) }
            : {}),
        },
        select: CREDENTIAL_FIELDS,
      });
      await recordAudit(tx, context.audit, {
        action: "credential.updated",
        targetType: "credential",
        targetId: id,
        summary: {
          name: updated.name,
          kind: updated.kind,
          ...(renamed ? { previousName: row.name } : {}),
          ...(input.settings !== undefined ? { settings, previousSettings: stored.settings } : {}),
          ...(secret ? { replaced: "secret value", hint, previousHint: stored.hint } : {}),
          ...(sealed && sealed.keyId !== row.keyId
            ? { keyId: sealed.keyId, previousKeyId: row.keyId }
            : {}),
        },
      });
      return presentOne(tx, updated);
    }),
  );
}

export async function deleteCredential(context: WriteContext, id: string) {
  if (!UUID.test(id)) throw new NotFound("Credential");
  return context.db.$transaction(async (tx) => {
    const row = await tx.credential.findUnique({
      where: { id },
      select: { name: true, kind: true },
    });
    if (!row) throw new NotFound("Credential");
    await tx.credential.delete({ where: { id } });
    await recordAudit(tx, context.audit, {
      action: "credential.deleted",
      targetType: "credential",
      targetId: id,
      summary: { name: row.name, kind: row.kind },
    });
    return { deleted: id };
  });
}
