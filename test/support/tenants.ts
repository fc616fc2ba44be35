import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { sha256Hex } from "@/lib/sha256";

// Two complete tenants for isolation tests: each with an owner, a viewer,
// an invitation, API keys and audit entries.

export type Tenant = Awaited<ReturnType<typeof createTenant>>;

export async function createTenant(prisma: PrismaClient, label: string) {
  const tag = `${label}-${randomBytes(3).toString("hex")}`;
  const organization = await prisma.organization.create({
    data: { slug: tag, name: `Org ${tag}` },
  });
  const owner = await prisma.user.create({
    data: { email: `owner-${tag}@example.test`, name: `Owner ${tag}` },
  });
  const viewer = await prisma.user.create({
    data: { email: `viewer-${tag}@example.test`, name: `Viewer ${tag}` },
  });
  const ownerMembership = await prisma.membership.create({
    data: { organizationId: organization.id, userId: owner.id, role: "owner" },
  });
  const viewerMembership = await prisma.membership.create({
    data: { organizationId: organization.id, userId: viewer.id, role: "viewer" },
  });
  const invitation = await prisma.invitation.create({
    data: {
      organizationId: organization.id,
      email: `invitee-${tag}@example.test`,
      role: "editor",
      tokenHash: sha256Hex(randomBytes(32)),
      expiresAt: new Date(Date.now() + 86_400_000),
    },
  });
  const keys: Record<"owner" | "viewer" | "revoked", { id: string; secret: string }> = {} as never;
  for (const kind of ["owner", "viewer", "revoked"] as const) {
    const secret = `of_${randomBytes(32).toString("base64url")}`;
    const key = await prisma.apiKey.create({
      data: {
        organizationId: organization.id,
        name: `${kind} key`,
        prefix: secret.slice(0, 10),
        keyHash: sha256Hex(secret),
        role: kind === "viewer" ? "viewer" : "owner",
        revokedAt: kind === "revoked" ? new Date() : null,
      },
    });
    keys[kind] = { id: key.id, secret };
  }
  const audit = await prisma.auditLog.create({
    data: {
      organizationId: organization.id,
      actorType: "system",
      actorLabel: "seed",
      action: "test.seeded",
      targetType: "organization",
      targetId: organization.id,
    },
  });
  return {
    organization,
    owner,
    viewer,
    ownerMembership,
    viewerMembership,
    invitation,
    keys,
    audit,
  };
}

/** Everything a tenant's rows look like, to prove a request changed nothing. */
export async function tenantSnapshot(prisma: PrismaClient, organizationId: string) {
  const where = { organizationId };
  return JSON.stringify({
    organization: await prisma.organization.findUnique({ where: { id: organizationId } }),
    memberships: await prisma.membership.findMany({ where, orderBy: { id: "asc" } }),
    invitations: await prisma.invitation.findMany({ where, orderBy: { id: "asc" } }),
    apiKeys: await prisma.apiKey.findMany({
      where,
      orderBy: { id: "asc" },
      omit: { lastUsedAt: true },
    }),
    audit: await prisma.auditLog.count({ where }),
  });
}

/** The context a route handler would pass to lib/ services, for a member of `tenant`. */
export function orgContextOf(tenant: Tenant, as: "owner" | "viewer" = "owner") {
  // Imported lazily so tests that only need rows do not load the tenant layer.
  const user = as === "owner" ? tenant.owner : tenant.viewer;
  const actor = { type: "user" as const, userId: user.id, label: user.email };
  return async () => {
    const { forOrg } = await import("@/lib/db/tenant");
    const url = new URL("http://officeflow.test/api/v1");
    return {
      request: new Request(url),
      url,
      params: {},
      organization: tenant.organization,
      role: as,
      actor,
      audit: { organizationId: tenant.organization.id, actor, meta: { ip: null, userAgent: null } },
      db: forOrg(tenant.organization.id),
    };
  };
}
