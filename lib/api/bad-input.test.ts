import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { hashInvitationToken } from "@/lib/invitations/tokens";
import { testDatabase } from "@/test/support/database";
import { apiRouteFiles, callRoute } from "@/test/support/routes";
import { createTenant, type Tenant } from "@/test/support/tenants";

// Bad input gets a clear 4xx naming the field at fault, and stores nothing.

// These tests stand in for a proxy that sets X-Forwarded-For.
process.env.TRUST_PROXY = "1";
const prisma = testDatabase();
const file = (pattern: string) => {
  const route = apiRouteFiles().find((r) => r.pattern === pattern);
  if (!route) throw new Error(`no route ${pattern}`);
  return route.file;
};
let tenant: Tenant;
let ip = 0;
const freshIp = () => `203.0.113.${++ip}`;

beforeAll(async () => {
  tenant = await createTenant(prisma, "bad");
});

const validSignUp = () => ({
  name: "Dana Whitfield",
  email: `dana-${randomBytes(3).toString("hex")}@example.test`,
  password: "correct horse battery",
  organizationName: "Whitfield Labs",
});

async function signUp(body: unknown, headers: Record<string, string> = {}) {
  const response = await callRoute(file("/api/sign-up"), "POST", "http://localhost/api/sign-up", {
    headers: { "content-type": "application/json", "x-forwarded-for": freshIp(), ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as {
      error?: { code: string; message: string; issues?: { field: string; message: string }[] };
    } & Record<string, unknown>,
  };
}

async function accountCounts() {
  return {
    users: await prisma.user.count(),
    organizations: await prisma.organization.count(),
    audit: await prisma.auditLog.count(),
  };
}

describe("sign-up", () => {
  it("creates the user, the organisation, the owner membership and audit entries", async () => {
    const input = validSignUp();
    const response = await signUp(input);
    expect(response.status).toBe(201);
    const organization = response.body.organization as { id: string; slug: string };
    expect(organization.slug).toMatch(/^whitfield-labs/);
    const membership = await prisma.membership.findFirstOrThrow({
      where: { organizationId: organization.id },
    });
    expect(membership.role).toBe("owner");
    const actions = (
      await prisma.auditLog.findMany({ where: { organizationId: organization.id } })
    ).map((e) => e.action);
    expect(actions.sort()).toEqual(["organization.created", "user.signed_up"]);
    const user = await prisma.user.findUniqueOrThrow({ where: { email: input.email } });
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it.each([
    ["a weak password", { password: "short" }, 400, "password", /at least 12 characters/],
    ["a common password", { password: "password1234" }, 400, "password", /too common/],
    ["an invalid email", { email: "not-an-email" }, 400, "email", /valid email/],
    [
      "an invalid slug",
      { organizationSlug: "Bad Slug!" },
      400,
      "organizationSlug",
      /lower-case letters/,
    ],
    ["a reserved slug", { organizationSlug: "api" }, 400, "organizationSlug", /reserved/],
    ["an unknown field", { isAdmin: true }, 400, "(body)", /unrecognized/i],
  ])("refuses %s, naming the field, storing nothing", async (_, change, status, field, message) => {
    const before = await accountCounts();
    const response = await signUp({ ...validSignUp(), ...change });
    expect(response.status).toBe(status);
    const issue = response.body.error?.issues?.find((i) => i.field === field);
    expect(issue?.message, JSON.stringify(response.body)).toMatch(message);
    expect(await accountCounts()).toEqual(before);
  });

  it("refuses a duplicate email with 409 on the email field", async () => {
    const input = validSignUp();
    expect((await signUp(input)).status).toBe(201);
    const before = await accountCounts();
    const again = await signUp({
      ...input,
      email: input.email.toUpperCase(),
      organizationName: "Other",
    });
    expect(again.status).toBe(409);
    expect(again.body.error?.issues).toEqual([
      { field: "email", message: "An account with this email already exists." },
    ]);
    expect(await accountCounts()).toEqual(before);
  });

  it("refuses malformed JSON, a wrong content type and an oversized body", async () => {
    const before = await accountCounts();
    const malformed = await signUp("{not json");
    expect(malformed.status).toBe(400);
    expect(malformed.body.error?.issues).toEqual([
      { field: "(body)", message: "is not valid JSON" },
    ]);
    const wrongType = await signUp(JSON.stringify(validSignUp()), { "content-type": "text/plain" });
    expect(wrongType.status).toBe(415);
    const huge = await signUp({ ...validSignUp(), name: "x".repeat(70_000) });
    expect(huge.status).toBe(413);
    expect(await accountCounts()).toEqual(before);
  });

  it("rate-limits sign-ups per address with 429 and Retry-After", async () => {
    const address = "198.51.100.7";
    let last: Response | undefined;
    for (let i = 0; i < 11; i++) {
      last = await callRoute(file("/api/sign-up"), "POST", "http://localhost/api/sign-up", {
        headers: { "content-type": "application/json", "x-forwarded-for": address },
        body: JSON.stringify({ ...validSignUp(), password: "short" }),
      });
    }
    expect(last?.status).toBe(429);
    expect(Number(last?.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("organisation settings", () => {
  const patch = (body: unknown) =>
    callRoute(file("/api/v1/organization"), "PATCH", "http://localhost/api/v1/organization", {
      headers: {
        authorization: `Bearer ${tenant.keys.owner.secret}`,
        "content-type": "application/json",
      },
      body: JSON.stringify(body),
    });

  it("refuses an invalid slug and a taken slug, naming the field", async () => {
    const invalid = await patch({ slug: "-nope-" });
    expect(invalid.status).toBe(400);
    expect((await invalid.json()).error.issues[0]).toMatchObject({ field: "slug" });
    await prisma.organization.create({ data: { slug: "taken-slug", name: "Taken" } });
    const taken = await patch({ slug: "taken-slug" });
    expect(taken.status).toBe(409);
    expect((await taken.json()).error.issues).toEqual([
      { field: "slug", message: "This URL is already taken." },
    ]);
    expect(
      (await prisma.organization.findUniqueOrThrow({ where: { id: tenant.organization.id } })).slug,
    ).toBe(tenant.organization.slug);
  });

  it("renames the organisation and audits the change", async () => {
    const response = await patch({ name: "Renamed Org" });
    expect(response.status).toBe(200);
    const entry = await prisma.auditLog.findFirstOrThrow({
      where: { organizationId: tenant.organization.id, action: "organization.updated" },
    });
    expect(entry.summary).toMatchObject({ name: { to: "Renamed Org" } });
    expect(entry.actorType).toBe("api_key");
  });
});

describe("invitation tokens", () => {
  async function invitationWithToken(change: {
    expiresAt?: Date;
    acceptedAt?: Date;
    revokedAt?: Date;
  }) {
    const token = randomBytes(32).toString("base64url");
    await prisma.invitation.create({
      data: {
        organizationId: tenant.organization.id,
        email: `invitee-${randomBytes(3).toString("hex")}@example.test`,
        role: "viewer",
        tokenHash: hashInvitationToken(token),
        expiresAt: change.expiresAt ?? new Date(Date.now() + 86_400_000),
        acceptedAt: change.acceptedAt,
        revokedAt: change.revokedAt,
      },
    });
    return token;
  }
  const accept = (body: unknown) =>
    callRoute(file("/api/invitations/accept"), "POST", "http://localhost/api/invitations/accept", {
      headers: { "content-type": "application/json", "x-forwarded-for": freshIp() },
      body: JSON.stringify(body),
    });

  it.each([
    ["expired", { expiresAt: new Date(Date.now() - 1_000) }, 410, /expired/],
    ["revoked", { revokedAt: new Date() }, 410, /revoked/],
    ["already used", { acceptedAt: new Date() }, 409, /already been used/],
  ])("an %s token gets a clear %s and creates no account", async (_, change, status, message) => {
    const token = await invitationWithToken(change);
    const users = await prisma.user.count();
    const response = await accept({ token, name: "Someone", password: "a fine long password" });
    expect(response.status).toBe(status);
    expect((await response.json()).error).toMatchObject({
      message: expect.stringMatching(message),
    });
    expect(await prisma.user.count()).toBe(users);
  });

  it("a valid token creates the account once; reusing it is refused", async () => {
    const token = await invitationWithToken({});
    const first = await accept({ token, name: "New Person", password: "a fine long password" });
    expect(first.status).toBe(200);
    const again = await accept({ token, name: "New Person", password: "a fine long password" });
    expect(again.status).toBe(409);
  });

  it("a new invitee must give a name and a password", async () => {
    const token = await invitationWithToken({});
    const response = await accept({ token });
    expect(response.status).toBe(400);
    expect((await response.json()).error.issues.map((i: { field: string }) => i.field)).toEqual([
      "name",
      "password",
    ]);
  });
});
