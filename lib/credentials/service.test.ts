import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseWith } from "@/lib/api/http";
import { keyRingFromEnv } from "@/lib/crypto/key-ring";
import { forOrg } from "@/lib/db/tenant";
import { Conflict, NotFound, ValidationFailed } from "@/lib/errors";
import { testDatabase } from "@/test/support/database";
import { createTenant, type Tenant } from "@/test/support/tenants";
import { readCredentialSecret } from "./secrets";
import {
  createCredential,
  createCredentialSchema,
  deleteCredential,
  getCredential,
  listCredentials,
  updateCredential,
  updateCredentialSchema,
} from "./service";

const prisma = testDatabase();
let a: Tenant;
let b: Tenant;

function contextOf(t: Tenant) {
  const actor = { type: "user" as const, userId: t.owner.id, label: t.owner.email };
  return {
    db: forOrg(t.organization.id),
    organization: t.organization,
    actor,
    audit: { organizationId: t.organization.id, actor, meta: { ip: null, userAgent: null } },
  };
}

const token = () => `xoxb-${randomBytes(12).toString("hex")}`;
const create = async (t: Tenant, body: unknown) =>
  createCredential(contextOf(t), parseWith(createCredentialSchema, body));
const update = async (t: Tenant, id: string, body: unknown) =>
  updateCredential(contextOf(t), id, parseWith(updateCredentialSchema, body));

function issuesOf(error: unknown) {
  expect(error).toBeInstanceOf(ValidationFailed);
  return (error as ValidationFailed).issues;
}

beforeAll(async () => {
  a = await createTenant(prisma, "cred-a");
  b = await createTenant(prisma, "cred-b");
});

const originalKeys = process.env.OFFICEFLOW_ENCRYPTION_KEYS;
afterEach(() => {
  if (originalKeys === undefined) delete process.env.OFFICEFLOW_ENCRYPTION_KEYS;
  else process.env.OFFICEFLOW_ENCRYPTION_KEYS = originalKeys;
});

describe("credentials", () => {
  it("stores the secret sealed and shows only metadata and a masked hint", async () => {
    const botToken = token();
    const created = await create(a, {
      name: "Slack (HR)",
      kind: "slack",
      secret: { botToken },
    });
    expect(created).toMatchObject({
      name: "Slack (HR)",
      kind: "slack",
      hint: `xoxb-…${botToken.slice(-4)}`,
      settings: {},
      keyId: "dev",
      createdBy: { id: a.owner.id, email: a.owner.email },
    });
    expect(JSON.stringify(created)).not.toContain(botToken);

    const row = await prisma.credential.findUniqueOrThrow({ where: { id: created.id } });
    expect(row.organizationId).toBe(a.organization.id);
    expect(Buffer.from(row.encryptedPayload).toString("latin1")).not.toContain(botToken);
    expect(row.encryptedPayload.length).toBeGreaterThan(12 + 16);

    expect(await getCredential(forOrg(a.organization.id), created.id)).toEqual(created);
    const list = await listCredentials(forOrg(a.organization.id));
    expect(list.map((c) => c.id)).toContain(created.id);
    expect(JSON.stringify(list)).not.toContain(botToken);
    expect(await listCredentials(forOrg(b.organization.id))).not.toContainEqual(
      expect.objectContaining({ id: created.id }),
    );

    const audit = await prisma.auditLog.findMany({ where: { targetId: created.id } });
    expect(audit.map((entry) => entry.action)).toEqual(["credential.created"]);
    expect(audit[0]?.organizationId).toBe(a.organization.id);
  });

  it("names the field at fault, per kind", async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ name: "S", kind: "slack", secret: {} }, "secret.botToken", /is required/],
      [{ name: "S", kind: "slack", secret: { botToken: "xoxp-user" } }, "secret.botToken", /xoxb-/],
      [{ name: "S", kind: "smtp", secret: {} }, "kind", /must be one of resend, slack/],
      [{ name: "", kind: "resend", secret: { apiKey: "re_x" } }, "name", /is required/],
      [
        { name: "H", kind: "http_bearer", secret: { token: "t" } },
        "settings.allowedHosts",
        /is required/,
      ],
      [
        { name: "H", kind: "http_bearer", secret: { token: "t" }, settings: { allowedHosts: [] } },
        "settings.allowedHosts",
        /at least one host/,
      ],
      [
        {
          name: "H",
          kind: "http_header",
          secret: { value: "v" },
          settings: { headerName: "Host", allowedHosts: ["api.example.com"] },
        },
        "settings.headerName",
        /set by OfficeFlow/,
      ],
      [
        {
          name: "O",
          kind: "openai",
          secret: { apiKey: "sk-x" },
          settings: { baseUrl: "ftp://example.com" },
        },
        "settings.baseUrl",
        /http\(s\) URL/,
      ],
      [
        { name: "S", kind: "slack", secret: { botToken: "xoxb-1", extra: "x" } },
        "secret",
        /Unrecognized key/,
      ],
    ];
    const before = await prisma.credential.count();
    for (const [body, field, message] of cases) {
      const error = await create(a, body).catch((thrown: unknown) => thrown);
      const issues = issuesOf(error);
      expect(issues, JSON.stringify(body)).toContainEqual({
        field,
        message: expect.stringMatching(message),
      });
    }
    expect(await prisma.credential.count()).toBe(before);
  });

  it("keeps names unique per organisation", async () => {
    await create(a, { name: "Resend", kind: "resend", secret: { apiKey: "re_aaaaaaaaaaaa" } });
    const duplicate = await create(a, {
      name: "Resend",
      kind: "resend",
      secret: { apiKey: "re_bbbbbbbbbbbb" },
    }).catch((error: unknown) => error);
    expect(duplicate).toBeInstanceOf(Conflict);
    expect((duplicate as Conflict).field).toBe("name");
    // Another organisation may use the same name.
    await expect(
      create(b, { name: "Resend", kind: "resend", secret: { apiKey: "re_cccccccccccc" } }),
    ).resolves.toMatchObject({ name: "Resend" });
    const other = await create(a, { name: "Other", kind: "resend", secret: { apiKey: "re_d" } });
    await expect(update(a, other.id, { name: "Resend" })).rejects.toBeInstanceOf(Conflict);
  });

  it("renames, replaces settings, and replaces the whole secret without returning the old one", async () => {
    const created = await create(a, {
      name: "Payroll API",
      kind: "http_basic",
      secret: { username: "payroll-bot", password: "first-password-123" },
      settings: { allowedHosts: ["payroll.example.com"] },
    });
    const renamed = await update(a, created.id, { name: "Payroll" });
    expect(renamed).toMatchObject({ name: "Payroll", hint: created.hint });
    const before = await readCredentialSecret(a.organization.id, created.id, ["http_basic"]);
    expect(before.secret).toEqual({ username: "payroll-bot", password: "first-password-123" });

    const badHosts = await update(a, created.id, { settings: { allowedHosts: ["https://x"] } })
      .then(() => undefined)
      .catch((error: unknown) => error);
    expect(issuesOf(badHosts)[0]?.field).toBe("settings.allowedHosts.0");

    const partialSecret = await update(a, created.id, { secret: { password: "second-pw" } }).catch(
      (error: unknown) => error,
    );
    expect(issuesOf(partialSecret)).toContainEqual({
      field: "secret.username",
      message: "is required",
    });

    const replaced = await update(a, created.id, {
      secret: { username: "payroll-bot", password: "second-password-456" },
      settings: { allowedHosts: ["Payroll.Example.com", "api.payroll.example.com"] },
    });
    expect(replaced.hint).toBe("…-456");
    expect(replaced.settings).toEqual({
      allowedHosts: ["payroll.example.com", "api.payroll.example.com"],
    });
    expect(JSON.stringify(replaced)).not.toMatch(/password-(123|456)/);
    const after = await readCredentialSecret(a.organization.id, created.id, ["http_basic"]);
    expect(after.secret.password).toBe("second-password-456");

    const actions = (
      await prisma.auditLog.findMany({ where: { targetId: created.id }, orderBy: { id: "asc" } })
    ).map((entry) => entry.action);
    expect(actions).toEqual(["credential.created", "credential.updated", "credential.updated"]);
  });

  it("re-seals under the current key when a credential sealed with an older key is saved", async () => {
    delete process.env.OFFICEFLOW_ENCRYPTION_KEYS;
    const botToken = token();
    const created = await create(a, { name: "Rotating", kind: "slack", secret: { botToken } });
    expect(created.keyId).toBe("dev");

    const devKey = (keyRingFromEnv({ NODE_ENV: "test" }).keys.get("dev") as Buffer).toString(
      "base64",
    );
    process.env.OFFICEFLOW_ENCRYPTION_KEYS = `k2:${randomBytes(32).toString("base64")},dev:${devKey}`;
    // Still readable under the old key while both are configured…
    expect(
      (await readCredentialSecret(a.organization.id, created.id, ["slack"])).secret.botToken,
    ).toBe(botToken);
    // …and any save moves it to the new one.
    const renamed = await update(a, created.id, { name: "Rotated" });
    expect(renamed.keyId).toBe("k2");
    const entry = await prisma.auditLog.findFirstOrThrow({
      where: { targetId: created.id, action: "credential.updated" },
    });
    expect(entry.summary).toMatchObject({ keyId: "k2", previousKeyId: "dev" });
    process.env.OFFICEFLOW_ENCRYPTION_KEYS = process.env.OFFICEFLOW_ENCRYPTION_KEYS.split(",")[0];
    expect(
      (await readCredentialSecret(a.organization.id, created.id, ["slack"])).secret.botToken,
    ).toBe(botToken);
  });

  it("deletes within its own organisation only", async () => {
    const created = await create(a, { name: "Doomed", kind: "resend", secret: { apiKey: "re_x" } });
    await expect(deleteCredential(contextOf(b), created.id)).rejects.toBeInstanceOf(NotFound);
    await expect(update(b, created.id, { name: "Mine" })).rejects.toBeInstanceOf(NotFound);
    await expect(getCredential(forOrg(b.organization.id), created.id)).rejects.toBeInstanceOf(
      NotFound,
    );
    expect(await prisma.credential.count({ where: { id: created.id } })).toBe(1);

    expect(await deleteCredential(contextOf(a), created.id)).toEqual({ deleted: created.id });
    expect(await prisma.credential.count({ where: { id: created.id } })).toBe(0);
    await expect(getCredential(forOrg(a.organization.id), created.id)).rejects.toBeInstanceOf(
      NotFound,
    );
    await expect(getCredential(forOrg(a.organization.id), "not-a-uuid")).rejects.toBeInstanceOf(
      NotFound,
    );
    const deleted = await prisma.auditLog.findFirstOrThrow({
      where: { targetId: created.id, action: "credential.deleted" },
    });
    expect(deleted.summary).toEqual({ name: "Doomed", kind: "resend" });
  });

  it("leaves no plaintext in the audit log or in any credential's metadata (K1)", async () => {
    const plaintexts = {
      slack: token(),
      openai: `sk-${randomBytes(16).toString("hex")}`,
      bearer: `bearer-${randomBytes(16).toString("hex")}`,
      username: `user-${randomBytes(6).toString("hex")}`,
      password: `pw ${randomBytes(12).toString("hex")} `,
      header: `hv-${randomBytes(16).toString("hex")}`,
      replaced: token(),
    };
    const slack = await create(a, {
      name: "Leak Slack",
      kind: "slack",
      secret: { botToken: plaintexts.slack },
    });
    await create(a, {
      name: "Leak OpenAI",
      kind: "openai",
      secret: { apiKey: plaintexts.openai },
      settings: { baseUrl: "https://llm.example.com/v1", organization: "org-1" },
    });
    await create(a, {
      name: "Leak bearer",
      kind: "http_bearer",
      secret: { token: plaintexts.bearer },
      settings: { allowedHosts: ["api.example.com"] },
    });
    const basic = await create(a, {
      name: "Leak basic",
      kind: "http_basic",
      secret: { username: plaintexts.username, password: plaintexts.password },
      settings: { allowedHosts: ["api.example.com"] },
    });
    await create(a, {
      name: "Leak header",
      kind: "http_header",
      secret: { value: plaintexts.header },
      settings: { headerName: "X-Api-Key", allowedHosts: ["api.example.com"] },
    });
    await update(a, slack.id, { name: "Leak Slack 2", secret: { botToken: plaintexts.replaced } });
    await update(a, basic.id, {
      secret: { username: plaintexts.username, password: plaintexts.password },
    });

    const audit = JSON.stringify(await prisma.auditLog.findMany());
    const metadata = JSON.stringify(
      await prisma.credential.findMany({ select: { name: true, metadata: true } }),
    );
    const payloads = (await prisma.credential.findMany({ select: { encryptedPayload: true } }))
      .map((row) => Buffer.from(row.encryptedPayload).toString("latin1"))
      .join("\n");
    expect(audit).toContain("credential.created");
    for (const [label, value] of Object.entries(plaintexts)) {
      expect(audit, `audit log leaks ${label}`).not.toContain(value.trim());
      expect(metadata, `metadata leaks ${label}`).not.toContain(value.trim());
      expect(payloads, `payload holds ${label} in clear`).not.toContain(value.trim());
    }
  });
});
