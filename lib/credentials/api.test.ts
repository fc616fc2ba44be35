import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/sha256";
import { testDatabase } from "@/test/support/database";
import { apiRouteFiles, callRoute, type HttpMethod } from "@/test/support/routes";
import { createTenant, type Tenant } from "@/test/support/tenants";

// The credentials API through its route handlers, authenticated with API keys.

const prisma = testDatabase();
let tenant: Tenant;
let editorKey: string;

const file = (pattern: string) => {
  const route = apiRouteFiles().find((r) => r.pattern === pattern);
  if (!route) throw new Error(`no route ${pattern}`);
  return route.file;
};

async function call(
  method: HttpMethod,
  path: string,
  key: string,
  options: { body?: unknown; params?: Record<string, string> } = {},
) {
  const pattern = options.params
    ? "/api/v1/credentials/[credentialId]"
    : (path.split("?")[0] as string);
  const response = await callRoute(file(pattern), method, `http://localhost${path}`, {
    params: options.params,
    headers: {
      authorization: `Bearer ${key}`,
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

beforeAll(async () => {
  tenant = await createTenant(prisma, "cred-api");
  editorKey = `of_${randomBytes(32).toString("base64url")}`;
  await prisma.apiKey.create({
    data: {
      organizationId: tenant.organization.id,
      name: "editor key",
      prefix: editorKey.slice(0, 10),
      keyHash: sha256Hex(editorKey),
      role: "editor",
    },
  });
});

describe("credentials API", () => {
  it("creates, shows only the hint, replaces the secret and deletes — never answering with a secret", async () => {
    const owner = tenant.keys.owner.secret;
    const botToken = `xoxb-${randomBytes(16).toString("hex")}`;
    const created = await call("POST", "/api/v1/credentials", owner, {
      body: { name: "Slack", kind: "slack", secret: { botToken } },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.text).not.toContain(botToken);
    expect(created.body.credential).not.toHaveProperty("secret");
    const id = created.body.credential.id as string;
    expect(created.body.credential).toMatchObject({
      name: "Slack",
      kind: "slack",
      hint: `xoxb-…${botToken.slice(-4)}`,
    });

    const one = await call("GET", `/api/v1/credentials/${id}`, owner, {
      params: { credentialId: id },
    });
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(botToken);
    expect(Object.keys(one.body.credential).sort()).toEqual([
      "createdAt",
      "createdBy",
      "hint",
      "id",
      "keyId",
      "kind",
      "name",
      "settings",
      "updatedAt",
    ]);
    const list = await call("GET", "/api/v1/credentials", owner);
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(botToken);
    expect(list.body.credentials.map((c: { id: string }) => c.id)).toContain(id);

    const newToken = `xoxb-${randomBytes(16).toString("hex")}`;
    const replaced = await call("PATCH", `/api/v1/credentials/${id}`, owner, {
      params: { credentialId: id },
      body: { name: "Slack (HR)", secret: { botToken: newToken } },
    });
    expect(replaced.status, replaced.text).toBe(200);
    expect(replaced.text).not.toContain(newToken);
    expect(replaced.text).not.toContain(botToken);
    expect(replaced.body.credential).toMatchObject({
      name: "Slack (HR)",
      hint: `xoxb-…${newToken.slice(-4)}`,
    });

    const deleted = await call("DELETE", `/api/v1/credentials/${id}`, owner, {
      params: { credentialId: id },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ deleted: id });
    const gone = await call("GET", `/api/v1/credentials/${id}`, owner, {
      params: { credentialId: id },
    });
    expect(gone.status).toBe(404);
  });

  it("refuses a bad body with 400 naming the field, and stores nothing", async () => {
    const before = await prisma.credential.count();
    const cases: [unknown, string][] = [
      [
        { name: "Slack", kind: "slack", secret: { botToken: "xoxp-user-token" } },
        "secret.botToken",
      ],
      [{ name: "Slack", kind: "slack" }, "secret"],
      [{ name: "X", kind: "ldap", secret: {} }, "kind"],
      [{ name: "H", kind: "http_bearer", secret: { token: "t" } }, "settings.allowedHosts"],
    ];
    for (const [body, field] of cases) {
      const response = await call("POST", "/api/v1/credentials", tenant.keys.owner.secret, {
        body,
      });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(
        response.body.error.issues.map((issue: { field: string }) => issue.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect(await prisma.credential.count()).toBe(before);

    const created = await call("POST", "/api/v1/credentials", tenant.keys.owner.secret, {
      body: {
        name: "Basic",
        kind: "http_basic",
        secret: { username: "u", password: "p" },
        settings: { allowedHosts: ["a.example"] },
      },
    });
    const id = created.body.credential.id as string;
    const partial = await call("PATCH", `/api/v1/credentials/${id}`, tenant.keys.owner.secret, {
      params: { credentialId: id },
      body: { secret: { password: "only-the-password" } },
    });
    expect(partial.status).toBe(400);
    expect(partial.body.error.issues).toContainEqual({
      field: "secret.username",
      message: "is required",
    });
    const empty = await call("PATCH", `/api/v1/credentials/${id}`, tenant.keys.owner.secret, {
      params: { credentialId: id },
      body: {},
    });
    expect(empty.status).toBe(400);
    const duplicate = await call("POST", "/api/v1/credentials", tenant.keys.owner.secret, {
      body: { name: "Basic", kind: "resend", secret: { apiKey: "re_123" } },
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.error.issues).toEqual([
      { field: "name", message: expect.stringMatching(/already exists/) },
    ]);
  });

  it("lets a viewer neither create nor read credentials, and an editor read but not write", async () => {
    const before = await prisma.credential.count();
    const body = { name: "Sneaky", kind: "slack", secret: { botToken: "xoxb-sneaky-token" } };
    const viewerCreate = await call("POST", "/api/v1/credentials", tenant.keys.viewer.secret, {
      body,
    });
    expect(viewerCreate.status).toBe(403);
    expect((await call("GET", "/api/v1/credentials", tenant.keys.viewer.secret)).status).toBe(403);

    expect((await call("GET", "/api/v1/credentials", editorKey)).status).toBe(200);
    expect((await call("GET", "/api/v1/credential-kinds", editorKey)).status).toBe(200);
    expect((await call("POST", "/api/v1/credentials", editorKey, { body })).status).toBe(403);
    expect(await prisma.credential.count()).toBe(before);
  });

  it("describes each kind's secret and settings fields as JSON Schema", async () => {
    const response = await call("GET", "/api/v1/credential-kinds", tenant.keys.owner.secret);
    expect(response.status).toBe(200);
    const kinds = response.body.kinds as {
      kind: string;
      secretSchema: { properties: Record<string, unknown>; required?: string[] };
      settingsSchema: { properties: Record<string, unknown>; required?: string[] };
    }[];
    expect(kinds.map((kind) => kind.kind)).toEqual([
      "resend",
      "slack",
      "openai",
      "http_bearer",
      "http_basic",
      "http_header",
    ]);
    const header = kinds.find((kind) => kind.kind === "http_header");
    expect(header?.secretSchema.required).toEqual(["value"]);
    expect(header?.settingsSchema.required).toEqual(["headerName", "allowedHosts"]);
    expect(header?.settingsSchema.properties.allowedHosts).toMatchObject({
      type: "array",
      minItems: 1,
      title: "Allowed hosts",
    });
  });
});
