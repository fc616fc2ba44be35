import { describe, expect, it } from "vitest";
import { testDatabase } from "@/test/support/database";
import { forOrg, scopeArgs } from "./tenant";

const prisma = testDatabase();

async function twoOrganizations() {
  const suffix = Math.random().toString(36).slice(2, 8);
  const a = await prisma.organization.create({ data: { slug: `a-${suffix}`, name: "A" } });
  const b = await prisma.organization.create({ data: { slug: `b-${suffix}`, name: "B" } });
  const entry = (organizationId: string, action: string) => ({
    organizationId,
    actorType: "system" as const,
    actorLabel: "test",
    action,
    targetType: "test",
  });
  const rowA = await prisma.auditLog.create({ data: entry(a.id, "a.thing") });
  const rowB = await prisma.auditLog.create({ data: entry(b.id, "b.thing") });
  return { a, b, rowA, rowB, entry };
}

describe("forOrg: the tenant-scoped client", () => {
  it("lists only its own organisation's rows", async () => {
    const { a } = await twoOrganizations();
    const rows = await forOrg(a.id).auditLog.findMany();
    expect(rows.map((row) => row.action)).toEqual(["a.thing"]);
  });

  it("cannot read another organisation's row by id, even when the filter names that organisation", async () => {
    const { a, b, rowB } = await twoOrganizations();
    expect(await forOrg(a.id).auditLog.findUnique({ where: { id: rowB.id } })).toBeNull();
    expect(await forOrg(a.id).auditLog.findFirst({ where: { organizationId: b.id } })).toBeNull();
    expect(await forOrg(a.id).auditLog.count({ where: { id: rowB.id } })).toBe(0);
  });

  it("cannot update or delete another organisation's rows", async () => {
    const { a, rowB } = await twoOrganizations();
    await expect(
      forOrg(a.id).auditLog.update({ where: { id: rowB.id }, data: { action: "hijacked" } }),
    ).rejects.toThrow();
    expect((await forOrg(a.id).auditLog.updateMany({ data: { action: "bulk" } })).count).toBe(1);
    await expect(forOrg(a.id).auditLog.delete({ where: { id: rowB.id } })).rejects.toThrow();
    expect((await prisma.auditLog.findUniqueOrThrow({ where: { id: rowB.id } })).action).toBe(
      "b.thing",
    );
  });

  it("stamps its own organisation on every create, whatever the data says", async () => {
    const { a, b, entry } = await twoOrganizations();
    const created = await forOrg(a.id).auditLog.create({ data: entry(b.id, "smuggled") });
    expect(created.organizationId).toBe(a.id);
    await forOrg(a.id).auditLog.createMany({ data: [entry(b.id, "m1"), entry(b.id, "m2")] });
    expect(await prisma.auditLog.count({ where: { organizationId: b.id } })).toBe(1);
  });

  it("cannot move a row to another organisation", async () => {
    const { a, b, rowA } = await twoOrganizations();
    await forOrg(a.id).auditLog.update({
      where: { id: rowA.id },
      data: { organizationId: b.id, action: "moved?" },
    });
    expect(
      (await prisma.auditLog.findUniqueOrThrow({ where: { id: rowA.id } })).organizationId,
    ).toBe(a.id);
  });

  it("cannot move a row through an upsert's update either", async () => {
    const { a, b, rowA, entry } = await twoOrganizations();
    await forOrg(a.id).auditLog.upsert({
      where: { id: rowA.id },
      update: { organizationId: b.id },
      create: entry(b.id, "never"),
    });
    expect(
      (await prisma.auditLog.findUniqueOrThrow({ where: { id: rowA.id } })).organizationId,
    ).toBe(a.id);
  });

  it("stays scoped inside interactive transactions", async () => {
    const { a } = await twoOrganizations();
    const inside = await forOrg(a.id).$transaction((tx) => tx.auditLog.findMany());
    expect(inside.map((row) => row.action)).toEqual(["a.thing"]);
  });

  it("treats a malformed organisation id as not found", () => {
    expect(() => forOrg("not-a-uuid")).toThrow(/Organization not found/);
  });

  it("refuses operations it does not know how to scope", () => {
    expect(() => scopeArgs("findRaw", {}, "x")).toThrow(/unsupported operation findRaw/);
  });
});
