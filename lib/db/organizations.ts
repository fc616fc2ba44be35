import "server-only";
import { type AuditContext, type AuditEntry, recordAudit } from "@/lib/audit";
import { db } from "@/lib/db/client";
import { Conflict, NotFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";

// Writes that create or change an Organization row itself (not tenant-owned,
// so outside forOrg), each with its audit entries in the same transaction.

function isUniqueViolation(error: unknown, field: string): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === "P2002" &&
    JSON.stringify(error.meta ?? {}).includes(field)
  );
}

export async function slugTaken(slug: string): Promise<boolean> {
  return (await db().organization.count({ where: { slug } })) > 0;
}

export async function createAccountWithOrganization(input: {
  user: { email: string; name: string; passwordHash: string };
  organization: { name: string; slug: string };
  meta: AuditContext["meta"];
}) {
  try {
    return await db().$transaction(async (tx) => {
      const user = await tx.user.create({
        data: { ...input.user, email: input.user.email.toLowerCase() },
      });
      const organization = await tx.organization.create({ data: input.organization });
      await tx.membership.create({
        data: { organizationId: organization.id, userId: user.id, role: "owner" },
      });
      const context: AuditContext = {
        organizationId: organization.id,
        actor: { type: "user", userId: user.id, label: user.email },
        meta: input.meta,
      };
      await recordAudit(tx, context, {
        action: "user.signed_up",
        targetType: "user",
        targetId: user.id,
        summary: { email: user.email },
      });
      await recordAudit(tx, context, {
        action: "organization.created",
        targetType: "organization",
        targetId: organization.id,
        summary: { name: organization.name, slug: organization.slug },
      });
      return { user, organization };
    });
  } catch (error) {
    if (isUniqueViolation(error, "email"))
      throw new Conflict("An account with this email already exists.", "email");
    if (isUniqueViolation(error, "slug"))
      throw new Conflict("This URL is already taken.", "organizationSlug");
    throw error;
  }
}

export async function updateOrganization(
  context: AuditContext,
  changes: { name?: string; slug?: string },
) {
  try {
    return await db().$transaction(async (tx) => {
      const before = await tx.organization.findUnique({ where: { id: context.organizationId } });
      if (!before) throw new NotFound("Organization");
      const after = await tx.organization.update({
        where: { id: context.organizationId },
        data: changes,
      });
      const summary: AuditEntry["summary"] = {};
      if (changes.name !== undefined && changes.name !== before.name)
        summary.name = { from: before.name, to: after.name };
      if (changes.slug !== undefined && changes.slug !== before.slug)
        summary.slug = { from: before.slug, to: after.slug };
      await recordAudit(tx, context, {
        action: "organization.updated",
        targetType: "organization",
        targetId: after.id,
        summary,
      });
      return { id: after.id, name: after.name, slug: after.slug, plan: after.plan };
    });
  } catch (error) {
    if (isUniqueViolation(error, "slug")) throw new Conflict("This URL is already taken.", "slug");
    throw error;
  }
}
