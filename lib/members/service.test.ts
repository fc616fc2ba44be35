import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/sha256";
import { testDatabase } from "@/test/support/database";
import { apiRouteFiles, callRoute } from "@/test/support/routes";
import { createTenant, type Tenant } from "@/test/support/tenants";

const prisma = testDatabase();
let tenant: Tenant;
let adminKey: string;
const memberRoute = apiRouteFiles().find((r) => r.pattern === "/api/v1/members/[membershipId]")
  ?.file as string;

async function call(method: "PATCH" | "DELETE", membershipId: string, key: string, body?: unknown) {
  const response = await callRoute(
    memberRoute,
    method,
    `http://localhost/api/v1/members/${membershipId}`,
    {
      params: { membershipId },
      headers: {
        authorization: `Bearer ${key}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    },
  );
  return { status: response.status, body: await response.json() };
}

beforeAll(async () => {
  tenant = await createTenant(prisma, "members");
  adminKey = `of_${randomBytes(32).toString("base64url")}`;
  await prisma.apiKey.create({
    data: {
      organizationId: tenant.organization.id,
      name: "admin key",
      prefix: adminKey.slice(0, 10),
      keyHash: sha256Hex(adminKey),
      role: "admin",
    },
  });
});

describe("members and roles", () => {
  it("never lets the last owner be demoted or removed", async () => {
    const demote = await call("PATCH", tenant.ownerMembership.id, tenant.keys.owner.secret, {
      role: "admin",
    });
    expect(demote.status).toBe(409);
    expect(demote.body.error.message).toMatch(/at least one owner/);
    const remove = await call("DELETE", tenant.ownerMembership.id, tenant.keys.owner.secret);
    expect(remove.status).toBe(409);
    expect(
      (await prisma.membership.findUniqueOrThrow({ where: { id: tenant.ownerMembership.id } }))
        .role,
    ).toBe("owner");
  });

  it("an admin cannot make anyone an owner, nor change an owner", async () => {
    expect(
      (await call("PATCH", tenant.viewerMembership.id, adminKey, { role: "owner" })).status,
    ).toBe(403);
    expect(
      (await call("PATCH", tenant.ownerMembership.id, adminKey, { role: "viewer" })).status,
    ).toBe(403);
  });

  it("an owner promotes a viewer to editor, audited with before and after", async () => {
    const promoted = await call("PATCH", tenant.viewerMembership.id, tenant.keys.owner.secret, {
      role: "editor",
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.member.role).toBe("editor");
    const entry = await prisma.auditLog.findFirstOrThrow({
      where: { organizationId: tenant.organization.id, action: "member.role_changed" },
    });
    expect(entry.summary).toMatchObject({
      member: tenant.viewer.email,
      from: "viewer",
      to: "editor",
    });
    expect(entry.actorLabel).toBe("API key owner key");
  });

  it("an invalid role names the field", async () => {
    const response = await call("PATCH", tenant.viewerMembership.id, tenant.keys.owner.secret, {
      role: "superuser",
    });
    expect(response.status).toBe(400);
    expect(response.body.error.issues[0].field).toBe("role");
  });

  it("an owner can hand over ownership, then step down", async () => {
    expect(
      (await call("PATCH", tenant.viewerMembership.id, tenant.keys.owner.secret, { role: "owner" }))
        .status,
    ).toBe(200);
    expect(
      (await call("PATCH", tenant.ownerMembership.id, tenant.keys.owner.secret, { role: "admin" }))
        .status,
    ).toBe(200);
    expect(
      await prisma.membership.count({
        where: { organizationId: tenant.organization.id, role: "owner" },
      }),
    ).toBe(1);
  });

  it("an admin removes an editor-level member, audited", async () => {
    const extra = await prisma.user.create({
      data: { email: `extra-${randomBytes(3).toString("hex")}@example.test` },
    });
    const membership = await prisma.membership.create({
      data: { organizationId: tenant.organization.id, userId: extra.id, role: "editor" },
    });
    const response = await call("DELETE", membership.id, adminKey);
    expect(response.status).toBe(200);
    expect(await prisma.membership.count({ where: { id: membership.id } })).toBe(0);
    expect(
      await prisma.auditLog.count({
        where: { organizationId: tenant.organization.id, action: "member.removed" },
      }),
    ).toBe(1);
  });
});
