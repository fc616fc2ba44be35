import "server-only";
import { db } from "@/lib/db/client";
import type { MemberRole } from "@/lib/generated/prisma/enums";

// Account data that is not owned by one tenant: users, organisations, and a
// user's memberships across organisations (needed to know which tenant a
// request may act in, before any tenant is chosen).

export type OrganizationSummary = {
  id: string;
  slug: string;
  name: string;
  plan: "free" | "team" | "enterprise";
};
export type MembershipSummary = { organization: OrganizationSummary; role: MemberRole };

const ORG_FIELDS = { id: true, slug: true, name: true, plan: true } as const;

export function findUserByEmail(email: string) {
  return db().user.findUnique({ where: { email: email.toLowerCase() } });
}

export function findUserById(id: string) {
  return db().user.findUnique({ where: { id }, select: { id: true, email: true, name: true } });
}

export function findOrganizationBySlug(slug: string): Promise<OrganizationSummary | null> {
  return db().organization.findUnique({ where: { slug }, select: ORG_FIELDS });
}

export async function membershipsOf(userId: string): Promise<MembershipSummary[]> {
  const rows = await db().membership.findMany({
    where: { userId },
    select: { role: true, organization: { select: ORG_FIELDS } },
    orderBy: { createdAt: "asc" },
  });
  return rows;
}

export async function membershipIn(
  userId: string,
  slug: string,
): Promise<MembershipSummary | null> {
  const row = await db().membership.findFirst({
    where: { userId, organization: { slug } },
    select: { role: true, organization: { select: ORG_FIELDS } },
  });
  return row;
}

export function findUserForExternalAccount(provider: string, providerAccountId: string) {
  return db().account.findUnique({
    where: { provider_providerAccountId: { provider, providerAccountId } },
    select: { user: { select: { id: true, email: true, name: true } } },
  });
}

/** Links an OAuth/OIDC identity to the user with that email, creating the user when there is none. */
export async function linkExternalAccount(input: {
  provider: string;
  providerAccountId: string;
  email: string;
  name: string | null;
}) {
  return db().$transaction(async (tx) => {
    const email = input.email.toLowerCase();
    const user =
      (await tx.user.findUnique({ where: { email } })) ??
      (await tx.user.create({ data: { email, name: input.name, emailVerified: new Date() } }));
    await tx.account.upsert({
      where: {
        provider_providerAccountId: {
          provider: input.provider,
          providerAccountId: input.providerAccountId,
        },
      },
      update: {},
      create: {
        userId: user.id,
        provider: input.provider,
        providerAccountId: input.providerAccountId,
      },
    });
    return { id: user.id, email: user.email, name: user.name };
  });
}
