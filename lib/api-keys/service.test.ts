import { beforeAll, describe, expect, it } from "vitest";
import { testDatabase } from "@/test/support/database";
import { apiRouteFiles, callRoute } from "@/test/support/routes";
import { createTenant, type Tenant } from "@/test/support/tenants";

const prisma = testDatabase();
const route = (pattern: string) =>
  apiRouteFiles().find((r) => r.pattern === pattern)?.file as string;
let tenant: Tenant;

beforeAll(async () => {
  tenant = await createTenant(prisma, "keys");
});

const auth = (key: string) => ({ authorization: `Bearer ${key}` });

describe("API keys", () => {
  it("shows the secret once, stores only its hash, authenticates with it, and stops working when revoked", async () => {
    const created = await callRoute(
      route("/api/v1/api-keys"),
      "POST",
      "http://localhost/api/v1/api-keys",
      {
        headers: { ...auth(tenant.keys.owner.secret), "content-type": "application/json" },
        body: JSON.stringify({ name: "CI", role: "viewer", expiresInDays: 30 }),
      },
    );
    expect(created.status).toBe(201);
    const { apiKey } = await created.json();
    expect(apiKey.secret).toMatch(/^of_[A-Za-z0-9_-]{43}$/);
    const row = await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(JSON.stringify(row)).not.toContain(apiKey.secret);

    const list = await callRoute(
      route("/api/v1/api-keys"),
      "GET",
      "http://localhost/api/v1/api-keys",
      { headers: auth(tenant.keys.owner.secret) },
    );
    expect(await list.text()).not.toContain(apiKey.secret);

    const members = await callRoute(
      route("/api/v1/members"),
      "GET",
      "http://localhost/api/v1/members",
      { headers: auth(apiKey.secret) },
    );
    expect(members.status).toBe(200);
    expect(
      (await prisma.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } })).lastUsedAt,
    ).not.toBeNull();

    const revoke = await callRoute(
      route("/api/v1/api-keys/[apiKeyId]"),
      "DELETE",
      `http://localhost/api/v1/api-keys/${apiKey.id}`,
      {
        params: { apiKeyId: apiKey.id },
        headers: auth(tenant.keys.owner.secret),
      },
    );
    expect(revoke.status).toBe(200);
    const after = await callRoute(
      route("/api/v1/members"),
      "GET",
      "http://localhost/api/v1/members",
      { headers: auth(apiKey.secret) },
    );
    expect(after.status).toBe(401);
    const actions = (await prisma.auditLog.findMany({ where: { targetId: apiKey.id } }))
      .map((e) => e.action)
      .sort();
    expect(actions).toEqual(["api_key.created", "api_key.revoked"]);
  });

  it("a viewer-role key cannot manage keys", async () => {
    const response = await callRoute(
      route("/api/v1/api-keys"),
      "GET",
      "http://localhost/api/v1/api-keys",
      { headers: auth(tenant.keys.viewer.secret) },
    );
    expect(response.status).toBe(403);
  });
});

describe("audit log", () => {
  it("filters by action and exports CSV safe for spreadsheets", async () => {
    await prisma.auditLog.create({
      data: {
        organizationId: tenant.organization.id,
        actorType: "user",
        actorLabel: '=HYPERLINK("http://evil")',
        action: "workflow.published",
        targetType: "workflow",
        summary: { note: 'contains, comma and "quotes"' },
      },
    });
    const filtered = await callRoute(
      route("/api/v1/audit-logs"),
      "GET",
      "http://localhost/api/v1/audit-logs?action=workflow.",
      {
        headers: auth(tenant.keys.viewer.secret),
      },
    );
    const { entries } = await filtered.json();
    expect(entries.map((e: { action: string }) => e.action)).toEqual(["workflow.published"]);

    const badFilter = await callRoute(
      route("/api/v1/audit-logs"),
      "GET",
      "http://localhost/api/v1/audit-logs?from=yesterday",
      {
        headers: auth(tenant.keys.viewer.secret),
      },
    );
    expect(badFilter.status).toBe(400);
    expect((await badFilter.json()).error.issues[0].field).toBe("from");

    const csv = await callRoute(
      route("/api/v1/audit-logs/export"),
      "GET",
      "http://localhost/api/v1/audit-logs/export?action=workflow.",
      {
        headers: auth(tenant.keys.viewer.secret),
      },
    );
    expect(csv.headers.get("content-type")).toMatch(/text\/csv/);
    const text = await csv.text();
    expect(text.split("\r\n")[0]).toBe(
      "time,actor_type,actor,action,target_type,target_id,summary,ip,user_agent",
    );
    expect(text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(text).not.toMatch(/,=HYPERLINK/);
  });
});
