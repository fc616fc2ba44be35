import { hashPassword } from "@/lib/auth/password";
import type { PrismaClient } from "@/lib/generated/prisma/client";

// The demo tenant that `npm run dev` seeds so a fresh clone has something to sign into.
export const DEMO_ORGANIZATION = { slug: "acme", name: "Acme" } as const;
export const DEMO_OWNER = {
  email: "owner@acme.example",
  name: "Avery Owner",
  password: "officeflow-demo",
} as const;

export type SeedResult = { organizationId: string; ownerId: string; created: boolean };

/** Idempotent: a second run changes nothing (and keeps a password the owner has changed). */
export async function seedDemoOrganization(prisma: PrismaClient): Promise<SeedResult> {
  const existing = await prisma.organization.findUnique({
    where: { slug: DEMO_ORGANIZATION.slug },
  });
  const owner = await prisma.user.findUnique({ where: { email: DEMO_OWNER.email } });
  if (existing && owner) return { organizationId: existing.id, ownerId: owner.id, created: false };

  const passwordHash = await hashPassword(DEMO_OWNER.password);
  return prisma.$transaction(async (tx) => {
    const organization = await tx.organization.upsert({
      where: { slug: DEMO_ORGANIZATION.slug },
      update: {},
      create: { ...DEMO_ORGANIZATION, plan: "team" },
    });
    const user = await tx.user.upsert({
      where: { email: DEMO_OWNER.email },
      update: {},
      create: {
        email: DEMO_OWNER.email,
        name: DEMO_OWNER.name,
        passwordHash,
        emailVerified: new Date(),
      },
    });
    await tx.membership.upsert({
      where: { organizationId_userId: { organizationId: organization.id, userId: user.id } },
      update: {},
      create: { organizationId: organization.id, userId: user.id, role: "owner" },
    });
    await tx.auditLog.create({
      data: {
        organizationId: organization.id,
        actorType: "system",
        actorLabel: "seed",
        action: "organization.seeded",
        targetType: "organization",
        targetId: organization.id,
        summary: { slug: organization.slug, owner: user.email },
      },
    });
    return { organizationId: organization.id, ownerId: user.id, created: true };
  });
}
