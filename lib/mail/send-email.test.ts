import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { invitationEmail } from "@/lib/mail/templates/invitation";
import { testDatabase } from "@/test/support/database";
import { type FakeResend, startFakeResend } from "@/test/support/fake-resend";

// sendEmail reads its configuration from the environment, so each case stubs the
// variables and imports a fresh copy of the module; Resend traffic goes through
// the real SDK to a fake Resend API on 127.0.0.1.

const prisma = testDatabase();
let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(() => fake.close());
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  fake.reset();
});

async function loadSendEmail(env: Record<string, string | undefined>) {
  const defaults = {
    RESEND_API_KEY: undefined,
    RESEND_BASE_URL: undefined,
    EMAIL_FROM: undefined,
    OFFICEFLOW_DEV_MAILBOX: undefined,
  };
  for (const [name, value] of Object.entries({ ...defaults, ...env })) vi.stubEnv(name, value);
  vi.resetModules();
  return import("@/lib/mail/send-email");
}

const invitation = invitationEmail({
  organizationName: "Acme Ltd",
  inviterName: "Ada Lovelace",
  role: "editor",
  acceptUrl: "https://officeflow.test/invitations/accept?token=tok_123",
  expiresAt: new Date("2026-12-01T09:30:00Z"),
});

describe("sendEmail through Resend", () => {
  const withResend = () =>
    loadSendEmail({ RESEND_API_KEY: fake.apiKey, RESEND_BASE_URL: `${fake.url}/` });

  it("delivers the email with sender, recipients, content, tags and idempotency key", async () => {
    const { sendEmail } = await loadSendEmail({
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: fake.url,
      EMAIL_FROM: "Acme via OfficeFlow <invites@acme.test>",
    });

    const receipt = await sendEmail({
      to: "grace@acme.test",
      ...invitation,
      idempotencyKey: "invitation/1",
      tags: [{ name: "kind", value: "invitation" }],
    });

    expect(receipt.delivery).toBe("resend");
    const [email, ...others] = fake.emails();
    expect(others).toEqual([]);
    expect(email).toMatchObject({
      id: receipt.id,
      from: "Acme via OfficeFlow <invites@acme.test>",
      to: ["grace@acme.test"],
      subject: invitation.subject,
      html: invitation.html,
      text: invitation.text,
      tags: [{ name: "kind", value: "invitation" }],
      idempotencyKey: "invitation/1",
    });
    expect(email?.headers["user-agent"]).toMatch(/^resend-node:/);
    expect(await prisma.devMailboxEmail.count()).toBe(0);
  });

  it("uses the default sender when EMAIL_FROM is unset", async () => {
    const { sendEmail, DEFAULT_EMAIL_FROM } = await withResend();
    await sendEmail({ to: ["a@acme.test", "b@acme.test"], subject: "Hi", html: "", text: "Hi" });
    expect(fake.emails()[0]).toMatchObject({
      from: DEFAULT_EMAIL_FROM,
      to: ["a@acme.test", "b@acme.test"],
    });
  });

  it("a repeated idempotency key stores one email and returns the same id", async () => {
    const { sendEmail } = await withResend();
    const message = { to: "grace@acme.test", ...invitation, idempotencyKey: "invitation/42" };

    const first = await sendEmail(message);
    const retry = await sendEmail(message);

    expect(retry.id).toBe(first.id);
    expect(fake.emails()).toHaveLength(1);
  });

  it("a wrong API key surfaces as EmailDeliveryError without the key", async () => {
    const wrongKey = "re_wrong_key_that_must_not_leak";
    const { sendEmail, EmailDeliveryError } = await loadSendEmail({
      RESEND_API_KEY: wrongKey,
      RESEND_BASE_URL: fake.url,
    });

    const failure = await sendEmail({ to: "grace@acme.test", ...invitation }).catch((e) => e);

    expect(failure).toBeInstanceOf(EmailDeliveryError);
    expect(failure).toMatchObject({ providerCode: "invalid_api_key", providerStatus: 403 });
    expect(failure.message).toContain("API key is invalid.");
    expect(failure.message).not.toContain(wrongKey);
    expect(fake.emails()).toEqual([]);
  });

  it("a provider message that echoes the key is redacted", async () => {
    const { sendEmail, EmailDeliveryError } = await withResend();
    fake.failNext(500, {
      statusCode: 500,
      name: "internal_server_error",
      message: `Upstream failure while using ${fake.apiKey}`,
    });

    const failure = await sendEmail({ to: "grace@acme.test", ...invitation }).catch((e) => e);

    expect(failure).toBeInstanceOf(EmailDeliveryError);
    expect(failure.message).toContain("internal_server_error");
    expect(failure.message).toContain("[redacted]");
    expect(failure.message).not.toContain(fake.apiKey);
  });

  it("an unreachable Resend surfaces as EmailDeliveryError", async () => {
    const { sendEmail, EmailDeliveryError } = await loadSendEmail({
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: "http://127.0.0.1:1",
    });
    await expect(sendEmail({ to: "grace@acme.test", ...invitation })).rejects.toBeInstanceOf(
      EmailDeliveryError,
    );
  });

  it("an invalid RESEND_BASE_URL is a configuration error naming the variable", async () => {
    const { sendEmail } = await loadSendEmail({
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: "not a url",
    });
    await expect(sendEmail({ to: "grace@acme.test", ...invitation })).rejects.toThrow(
      /RESEND_BASE_URL: must be an http\(s\) URL/,
    );
  });
});

describe("sendEmail with an organisation's own sender", () => {
  it("uses the organisation's key and from address instead of the platform's", async () => {
    const { sendEmail } = await loadSendEmail({
      RESEND_API_KEY: "re_platform_key_not_accepted_by_the_fake",
      RESEND_BASE_URL: fake.url,
      EMAIL_FROM: "OfficeFlow <no-reply@officeflow.test>",
    });

    const receipt = await sendEmail(
      { to: "grace@acme.test", ...invitation, idempotencyKey: "run-1:node-1" },
      { apiKey: fake.apiKey, from: "Acme People <people@acme.test>" },
    );

    expect(receipt.delivery).toBe("resend");
    expect(fake.emails()).toEqual([
      expect.objectContaining({
        id: receipt.id,
        from: "Acme People <people@acme.test>",
        idempotencyKey: "run-1:node-1",
      }),
    ]);
  });

  it("sends through Resend with the organisation's key even when the platform has none", async () => {
    const { sendEmail, DEFAULT_EMAIL_FROM } = await loadSendEmail({
      NODE_ENV: "production",
      RESEND_BASE_URL: fake.url,
    });

    const receipt = await sendEmail(
      { to: "grace@acme.test", ...invitation },
      { apiKey: fake.apiKey },
    );

    expect(receipt.delivery).toBe("resend");
    expect(fake.emails()[0]).toMatchObject({ from: DEFAULT_EMAIL_FROM });
    expect(await prisma.devMailboxEmail.count()).toBe(0);
  });

  it("passes cc and reply-to on to Resend", async () => {
    const { sendEmail } = await loadSendEmail({ RESEND_BASE_URL: fake.url });
    const requests = vi.spyOn(globalThis, "fetch");

    await sendEmail(
      { to: "grace@acme.test", cc: ["ada@acme.test"], replyTo: "hr@acme.test", ...invitation },
      { apiKey: fake.apiKey },
    );

    const body = JSON.parse(String(requests.mock.calls[0]?.[1]?.body));
    expect(body).toMatchObject({ cc: ["ada@acme.test"], reply_to: "hr@acme.test" });
  });

  it("refuses a from address without the organisation's key (the platform sends only as EMAIL_FROM)", async () => {
    const { sendEmail } = await loadSendEmail({
      RESEND_API_KEY: fake.apiKey,
      RESEND_BASE_URL: fake.url,
    });

    await expect(
      sendEmail({ to: "grace@acme.test", ...invitation }, { from: "ceo@acme.test" }),
    ).rejects.toThrow(/needs the organisation's own Resend API key/);
    expect(fake.emails()).toEqual([]);
  });

  it("a wrong organisation key surfaces without the key", async () => {
    const orgKey = "re_org_key_that_must_not_leak";
    const { sendEmail, EmailDeliveryError } = await loadSendEmail({ RESEND_BASE_URL: fake.url });
    fake.failNext(400, {
      statusCode: 400,
      name: "validation_error",
      message: `Key ${orgKey} may not send from this domain`,
    });

    const failure = await sendEmail(
      { to: "grace@acme.test", ...invitation },
      { apiKey: orgKey },
    ).catch((e) => e);

    expect(failure).toBeInstanceOf(EmailDeliveryError);
    expect(failure).toMatchObject({ providerCode: "validation_error", providerStatus: 400 });
    expect(failure.message).not.toContain(orgKey);
  });

  it("a rate limit carries Resend's Retry-After", async () => {
    const { sendEmail } = await loadSendEmail({ RESEND_BASE_URL: fake.url });
    fake.failNext(429, undefined, { headers: { "retry-after": "7" } });

    const failure = await sendEmail(
      { to: "grace@acme.test", ...invitation },
      { apiKey: fake.apiKey },
    ).catch((e) => e);

    expect(failure).toMatchObject({
      providerCode: "rate_limit_exceeded",
      providerStatus: 429,
      retryAfterMs: 7000,
    });
  });
});

describe("sendEmail without a Resend key", () => {
  it("in development, stores the email in the dev mailbox, logs the link and sends nothing", async () => {
    const log = vi.spyOn(console, "info").mockImplementation(() => undefined);
    const { sendEmail } = await loadSendEmail({
      NODE_ENV: "development",
      RESEND_BASE_URL: fake.url,
    });

    const receipt = await sendEmail({ to: "grace@acme.test", ...invitation });

    expect(receipt.delivery).toBe("dev-mailbox");
    const stored = await prisma.devMailboxEmail.findUniqueOrThrow({ where: { id: receipt.id } });
    expect(stored).toMatchObject({
      to: ["grace@acme.test"],
      from: "OfficeFlow <no-reply@officeflow.local>",
      subject: invitation.subject,
      html: invitation.html,
      text: invitation.text,
    });
    expect(fake.emails()).toEqual([]);
    expect(log).toHaveBeenCalledTimes(1);
    const line = String(log.mock.calls[0]?.[0]);
    expect(line).toContain("grace@acme.test");
    expect(line).toContain(invitation.subject);
    expect(line).toContain("https://officeflow.test/invitations/accept?token=tok_123");
  });

  it("in production, throws a configuration error naming RESEND_API_KEY", async () => {
    const { sendEmail } = await loadSendEmail({ NODE_ENV: "production" });
    const before = await prisma.devMailboxEmail.count();

    await expect(sendEmail({ to: "grace@acme.test", ...invitation })).rejects.toThrow(
      /RESEND_API_KEY: is required in production/,
    );
    expect(await prisma.devMailboxEmail.count()).toBe(before);
  });

  it("in production with OFFICEFLOW_DEV_MAILBOX=1, uses the dev mailbox", async () => {
    vi.spyOn(console, "info").mockImplementation(() => undefined);
    const { sendEmail } = await loadSendEmail({
      NODE_ENV: "production",
      OFFICEFLOW_DEV_MAILBOX: "1",
    });
    const receipt = await sendEmail({ to: "grace@acme.test", ...invitation });
    expect(receipt.delivery).toBe("dev-mailbox");
  });
});
