import { describe, expect, it } from "vitest";
import { verifyPassword } from "@/lib/auth/password";
import { testDatabase } from "@/test/support/database";
import { DEMO_ORGANIZATION, DEMO_OWNER, seedDemoOrganization } from "./demo-organization";

const prisma = testDatabase();

describe("seedDemoOrganization", () => {
  it("creates Acme with an owner who can sign in with the printed password", async () => {
    const result = await seedDemoOrganization(prisma);
    expect(result.created).toBe(true);

    const organization = await prisma.organization.findUniqueOrThrow({
      where: { slug: DEMO_ORGANIZATION.slug },
    });
    expect(organization.name).toBe("Acme");
    const owner = await prisma.user.findUniqueOrThrow({ where: { email: DEMO_OWNER.email } });
    expect(owner.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(owner.passwordHash!, DEMO_OWNER.password)).toBe(true);
    expect(await verifyPassword(owner.passwordHash!, "wrong password")).toBe(false);
    const membership = await prisma.membership.findUniqueOrThrow({
      where: { organizationId_userId: { organizationId: organization.id, userId: owner.id } },
    });
    expect(membership.role).toBe("owner");
    const audit = await prisma.auditLog.findMany({ where: { organizationId: organization.id } });
    expect(audit.map((entry) => entry.action)).toEqual(["organization.seeded"]);
  });

  it("is idempotent: a second run creates nothing", async () => {
    const counts = async () => ({
      organizations: await prisma.organization.count(),
      users: await prisma.user.count(),
      memberships: await prisma.membership.count(),
      audit: await prisma.auditLog.count(),
    });
    await seedDemoOrganization(prisma);
    const before = await counts();
    const again = await seedDemoOrganization(prisma);
    expect(again.created).toBe(false);
    expect(await counts()).toEqual(before);
  });
});
