import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { createCredential, createCredentialSchema } from "@/lib/credentials/service";
import { forOrg } from "@/lib/db/tenant";
import { testDatabase } from "@/test/support/database";
import { apiRouteFiles, callRoute, type HttpMethod, routeHandlers } from "@/test/support/routes";
import { createTenant, type Tenant, tenantSnapshot } from "@/test/support/tenants";

// Tenant B, with its own valid API key, aims every API route at tenant A:
// A's ids in the path, A's slug in ?org=, A's ids in the body. Every answer
// is 404 or 403, identical to the answer for an id that exists nowhere, leaks
// nothing of A, and changes nothing of A. The session-cookie variant of this
// walk runs in the browser suite (e2e/tenant-isolation.spec.ts).

const prisma = testDatabase();
let a: Tenant;
let b: Tenant;
/** Each tenant's Slack credential (the Tenant fixture has none), and its plaintext token. */
const credentials = new Map<string, { id: string; name: string; token: string }>();
const credentialOf = (t: Tenant) =>
  credentials.get(t.organization.id) as { id: string; name: string; token: string };

type Attack = {
  params?: (t: Tenant) => Record<string, string>;
  body?: (t: Tenant) => unknown;
  query?: string;
};

// One entry per route and method; the test below fails when a route has none.
const MATRIX: Record<string, Attack | "exempt"> = {
  "GET /api/auth/[...nextauth]": "exempt",
  "POST /api/auth/[...nextauth]": "exempt",
  "GET /api/health": "exempt",
  "GET /api/health/ready": "exempt",
  "GET /api/inngest": "exempt",
  "POST /api/inngest": "exempt",
  "PUT /api/inngest": "exempt",
  "POST /api/sign-up": "exempt", // creates a new tenant; takes no ids
  "GET /api/v1/openapi.json": "exempt", // static description
  "POST /api/invitations/accept": { body: (t) => ({ token: t.invitation.id.replace(/-/g, "") }) },
  "GET /api/v1/organization": {},
  "PATCH /api/v1/organization": { body: () => ({ name: "Taken over" }) },
  "GET /api/v1/members": {},
  "PATCH /api/v1/members/[membershipId]": {
    params: (t) => ({ membershipId: t.viewerMembership.id }),
    body: () => ({ role: "admin" }),
  },
  "DELETE /api/v1/members/[membershipId]": {
    params: (t) => ({ membershipId: t.viewerMembership.id }),
  },
  "GET /api/v1/invitations": {},
  "POST /api/v1/invitations": { body: () => ({ email: "outsider@example.test", role: "viewer" }) },
  "DELETE /api/v1/invitations/[invitationId]": {
    params: (t) => ({ invitationId: t.invitation.id }),
  },
  "POST /api/v1/invitations/[invitationId]/resend": {
    params: (t) => ({ invitationId: t.invitation.id }),
  },
  "GET /api/v1/api-keys": {},
  "POST /api/v1/api-keys": { body: () => ({ name: "sneaky", role: "owner" }) },
  "DELETE /api/v1/api-keys/[apiKeyId]": { params: (t) => ({ apiKeyId: t.keys.owner.id }) },
  "GET /api/v1/audit-logs": { query: "targetId" },
  "GET /api/v1/audit-logs/export": { query: "targetId" },
  "GET /api/v1/credential-kinds": {},
  "GET /api/v1/credentials": {},
  "POST /api/v1/credentials": {
    body: () => ({ name: "sneaky", kind: "slack", secret: { botToken: "xoxb-sneaky-token" } }),
  },
  "GET /api/v1/credentials/[credentialId]": {
    params: (t) => ({ credentialId: credentialOf(t).id }),
  },
  "PATCH /api/v1/credentials/[credentialId]": {
    params: (t) => ({ credentialId: credentialOf(t).id }),
    body: () => ({ name: "Taken over", secret: { botToken: "xoxb-attacker-token" } }),
  },
  "DELETE /api/v1/credentials/[credentialId]": {
    params: (t) => ({ credentialId: credentialOf(t).id }),
  },
};

function secretsOf(t: Tenant): string[] {
  return [
    t.organization.id,
    t.organization.slug,
    t.organization.name,
    t.owner.email,
    t.viewer.email,
    t.invitation.id,
    t.invitation.email,
    t.keys.owner.id,
    t.keys.viewer.id,
    t.audit.id,
    credentialOf(t).id,
    credentialOf(t).name,
    credentialOf(t).token,
  ];
}

/** tenantSnapshot plus the tenant's credentials, sealed payloads included. */
async function snapshot(organizationId: string) {
  const rows = await prisma.credential.findMany({
    where: { organizationId },
    orderBy: { id: "asc" },
  });
  return `${await tenantSnapshot(prisma, organizationId)}${JSON.stringify(
    rows.map((row) => ({
      ...row,
      encryptedPayload: Buffer.from(row.encryptedPayload).toString("base64"),
    })),
  )}`;
}

function randomised(params: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(params).map((key) => [key, randomUUID()]));
}

async function attack(
  file: string,
  method: HttpMethod,
  pattern: string,
  entry: Attack,
  params: Record<string, string>,
  withOrg: boolean,
) {
  const url = new URL(
    pattern.replace(/\[(\w+)\]/g, (_, name: string) => params[name] ?? ""),
    "http://localhost",
  );
  if (withOrg) url.searchParams.set("org", a.organization.slug);
  if (entry.query === "targetId") url.searchParams.set("targetId", a.organization.id);
  const body = entry.body?.(a);
  const response = await callRoute(file, method, url.toString(), {
    params,
    headers: {
      authorization: `Bearer ${b.keys.owner.secret}`,
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

beforeAll(async () => {
  a = await createTenant(prisma, "a");
  b = await createTenant(prisma, "b");
  for (const t of [a, b]) {
    const token = `xoxb-${randomUUID()}`;
    const name = `Slack ${t.organization.slug}`;
    const actor = { type: "system" as const, label: "test" };
    const credential = await createCredential(
      {
        db: forOrg(t.organization.id),
        organization: t.organization,
        actor,
        audit: { organizationId: t.organization.id, actor, meta: { ip: null, userAgent: null } },
      },
      createCredentialSchema.parse({ name, kind: "slack", secret: { botToken: token } }),
    );
    credentials.set(t.organization.id, { id: credential.id, name, token });
  }
});

describe("tenant isolation across every API route (API keys)", () => {
  const routes = apiRouteFiles();

  it("has an attack for every route and method", async () => {
    const missing: string[] = [];
    for (const route of routes) {
      for (const method of Object.keys(await routeHandlers(route.file))) {
        if (!MATRIX[`${method} ${route.pattern}`]) missing.push(`${method} ${route.pattern}`);
      }
    }
    expect(missing, "add these routes to MATRIX").toEqual([]);
  });

  const cases = Object.entries(MATRIX).filter(
    (entry): entry is [string, Attack] => entry[1] !== "exempt",
  );

  it.each(cases)(
    "%s with tenant A's ids: 404/403, nothing leaked, nothing changed",
    async (key, entry) => {
      const [method, pattern] = key.split(" ") as [HttpMethod, string];
      const route = routes.find((r) => r.pattern === pattern);
      expect(route, `${pattern} exists`).toBeDefined();
      if (!route) return;
      const before = await snapshot(a.organization.id);
      const params = entry.params?.(a) ?? {};
      const hasIds = Object.keys(params).length > 0;

      const variants = [
        await attack(route.file, method, pattern, entry, params, true),
        ...(hasIds || entry.body
          ? [await attack(route.file, method, pattern, entry, params, false)]
          : []),
      ];
      for (const [index, result] of variants.entries()) {
        const withOrg = index === 0;
        // Without ?org=, B acts in B: listing and creating there is fine, as long as A stays invisible.
        const ownScopeCreate = !withOrg && !hasIds && !pattern.includes("accept");
        if (!ownScopeCreate)
          expect(
            [403, 404],
            `${key} (${withOrg ? "?org=A" : "A's ids"}) → ${result.status} ${result.text}`,
          ).toContain(result.status);
        for (const secret of secretsOf(a))
          expect(result.text, `${key} leaks ${secret}`).not.toContain(secret);
      }
      if (hasIds) {
        // Same answer for A's real id and for an id that exists nowhere: existence is not revealed.
        const real = variants.at(-1);
        const made = await attack(route.file, method, pattern, entry, randomised(params), false);
        expect(made).toEqual(real);
      }
      expect(await snapshot(a.organization.id), `${key} changed tenant A`).toBe(before);
    },
  );

  it("lists show only the caller's own tenant", async () => {
    const own: Record<string, string> = {
      "/api/v1/members": b.owner.email,
      "/api/v1/invitations": b.invitation.email,
      "/api/v1/api-keys": b.keys.owner.id,
      "/api/v1/audit-logs": b.audit.id,
      "/api/v1/credentials": credentialOf(b).id,
    };
    for (const [pattern, expected] of Object.entries(own)) {
      const route = routes.find((r) => r.pattern === pattern);
      if (!route) throw new Error(`${pattern} missing`);
      const response = await callRoute(route.file, "GET", `http://localhost${pattern}`, {
        headers: { authorization: `Bearer ${b.keys.owner.secret}` },
      });
      expect(response.status, pattern).toBe(200);
      const text = await response.text();
      for (const secret of secretsOf(a))
        expect(text, `${pattern} leaks ${secret}`).not.toContain(secret);
      expect(text, `${pattern} shows B's own data`).toContain(expected);
    }
  });
});

describe("API key authentication", () => {
  it("refuses a revoked key with 401 and a message, and a missing key with 401", async () => {
    const route = apiRouteFiles().find((r) => r.pattern === "/api/v1/members");
    if (!route) throw new Error("members route missing");
    const revoked = await callRoute(route.file, "GET", "http://localhost/api/v1/members", {
      headers: { authorization: `Bearer ${a.keys.revoked.secret}` },
    });
    expect(revoked.status).toBe(401);
    expect(await revoked.json()).toMatchObject({
      error: { code: "unauthorized", message: expect.stringMatching(/revoked/) },
    });
    const missing = await callRoute(route.file, "GET", "http://localhost/api/v1/members");
    expect(missing.status).toBe(401);
  });

  it("a viewer key is refused writes with 403", async () => {
    const route = apiRouteFiles().find((r) => r.pattern === "/api/v1/invitations");
    if (!route) throw new Error("invitations route missing");
    const response = await callRoute(route.file, "POST", "http://localhost/api/v1/invitations", {
      headers: {
        authorization: `Bearer ${a.keys.viewer.secret}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({ email: "new@example.test", role: "viewer" }),
    });
    expect(response.status).toBe(403);
    expect(await prisma.invitation.count({ where: { email: "new@example.test" } })).toBe(0);
  });
});
