import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { testDatabase } from "@/test/support/database";
import { type FakeResend, startFakeResend } from "@/test/support/fake-resend";
import { apiRouteFiles, callRoute } from "@/test/support/routes";
import { createTenant, type Tenant } from "@/test/support/tenants";

// Invitations through the real Resend SDK, pointed at a fake Resend server.

// These tests stand in for a proxy that sets X-Forwarded-For.
process.env.TRUST_PROXY = "1";
const prisma = testDatabase();
const route = (pattern: string) =>
  apiRouteFiles().find((r) => r.pattern === pattern)?.file as string;
let resend: FakeResend;
let tenant: Tenant;

beforeAll(async () => {
  resend = await startFakeResend();
  process.env.RESEND_API_KEY = resend.apiKey;
  process.env.RESEND_BASE_URL = resend.url;
  process.env.APP_URL = "https://officeflow.example";
  tenant = await createTenant(prisma, "inv");
});

afterAll(async () => {
  delete process.env.RESEND_API_KEY;
  delete process.env.RESEND_BASE_URL;
  delete process.env.APP_URL;
  await resend.close();
});

const invite = (body: unknown, key = tenant.keys.owner.secret) =>
  callRoute(route("/api/v1/invitations"), "POST", "http://localhost/api/v1/invitations", {
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });

const tokenFrom = (text: string | null) =>
  /\/invitations\/([A-Za-z0-9_-]{43})/.exec(text ?? "")?.[1];

describe("invitations", () => {
  it("emails a one-time link through Resend, stores only the token's hash, and audits it", async () => {
    const response = await invite({ email: "Newcomer@Example.test", role: "editor" });
    expect(response.status).toBe(201);
    const email = resend.emails().at(-1);
    expect(email?.to).toEqual(["newcomer@example.test"]);
    expect(email?.subject).toContain(tenant.organization.name);
    const token = tokenFrom(email?.text ?? null);
    expect(token, email?.text ?? "").toBeDefined();
    expect(email?.html).toContain(`https://officeflow.example/invitations/${token}`);
    const stored = await prisma.invitation.findFirstOrThrow({
      where: { email: "newcomer@example.test" },
    });
    expect(stored.tokenHash).not.toContain(token as string);
    expect(
      JSON.stringify(await prisma.auditLog.findMany({ where: { targetId: stored.id } })),
    ).not.toContain(token as string);
  });

  it("stores nothing when the email cannot be sent", async () => {
    resend.failNext(500, { statusCode: 500, name: "internal_server_error", message: "down" });
    const response = await invite({ email: "unlucky@example.test", role: "viewer" });
    expect(response.status).toBe(502);
    expect(await prisma.invitation.count({ where: { email: "unlucky@example.test" } })).toBe(0);
  });

  it("refuses to invite an existing member or someone already invited, naming the email field", async () => {
    const member = await invite({ email: tenant.viewer.email, role: "viewer" });
    expect(member.status).toBe(409);
    expect((await member.json()).error.issues[0].field).toBe("email");
    const twice = await invite({ email: "newcomer@example.test", role: "viewer" });
    expect(twice.status).toBe(409);
  });

  it("a viewer cannot invite", async () => {
    expect(
      (await invite({ email: "x@example.test", role: "viewer" }, tenant.keys.viewer.secret)).status,
    ).toBe(403);
  });

  it("resending replaces the link: the old token stops working, the new one is accepted once", async () => {
    await invite({ email: "resend-me@example.test", role: "viewer" });
    const oldToken = tokenFrom(resend.emails().at(-1)?.text ?? null);
    const invitation = await prisma.invitation.findFirstOrThrow({
      where: { email: "resend-me@example.test" },
    });
    const resent = await callRoute(
      route("/api/v1/invitations/[invitationId]/resend"),
      "POST",
      `http://localhost/api/v1/invitations/${invitation.id}/resend`,
      {
        params: { invitationId: invitation.id },
        headers: { authorization: `Bearer ${tenant.keys.owner.secret}` },
      },
    );
    expect(resent.status).toBe(200);
    const newToken = tokenFrom(resend.emails().at(-1)?.text ?? null);
    expect(newToken).not.toBe(oldToken);

    const accept = (token: string | undefined) =>
      callRoute(
        route("/api/invitations/accept"),
        "POST",
        "http://localhost/api/invitations/accept",
        {
          headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.50" },
          body: JSON.stringify({
            token,
            name: "Resent Person",
            password: "a perfectly long password",
          }),
        },
      );
    expect((await accept(oldToken)).status).toBe(404);
    const accepted = await accept(newToken);
    expect(accepted.status).toBe(200);
    const user = await prisma.user.findUniqueOrThrow({
      where: { email: "resend-me@example.test" },
    });
    const membership = await prisma.membership.findFirstOrThrow({
      where: { userId: user.id, organizationId: tenant.organization.id },
    });
    expect(membership.role).toBe("viewer");
    const actions = (
      await prisma.auditLog.findMany({
        where: { organizationId: tenant.organization.id },
        orderBy: { createdAt: "asc" },
      })
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        "invitation.created",
        "invitation.resent",
        "invitation.accepted",
        "member.added",
      ]),
    );
  });

  it("a revoked invitation cannot be accepted", async () => {
    await invite({ email: "revoke-me@example.test", role: "viewer" });
    const token = tokenFrom(resend.emails().at(-1)?.text ?? null);
    const invitation = await prisma.invitation.findFirstOrThrow({
      where: { email: "revoke-me@example.test" },
    });
    const revoked = await callRoute(
      route("/api/v1/invitations/[invitationId]"),
      "DELETE",
      `http://localhost/api/v1/invitations/${invitation.id}`,
      {
        params: { invitationId: invitation.id },
        headers: { authorization: `Bearer ${tenant.keys.owner.secret}` },
      },
    );
    expect(revoked.status).toBe(200);
    const accepted = await callRoute(
      route("/api/invitations/accept"),
      "POST",
      "http://localhost/api/invitations/accept",
      {
        headers: { "content-type": "application/json", "x-forwarded-for": "192.0.2.51" },
        body: JSON.stringify({ token, name: "Too Late", password: "a perfectly long password" }),
      },
    );
    expect(accepted.status).toBe(410);
  });
});
