import { randomBytes } from "node:crypto";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/sha256";
import { testDatabase } from "@/test/support/database";
import { apiRouteFiles, callRoute, type HttpMethod } from "@/test/support/routes";
import { createTenant, type Tenant } from "@/test/support/tenants";
import { endpointVerificationSecrets } from "./endpoint-secrets";
import { verifyDelivery } from "./verify";
import { signHmacHeader } from "./verify/hmac-header";

// The webhook endpoints API through its route handlers, authenticated with API keys.

const prisma = testDatabase();
let a: Tenant;
let b: Tenant;
let editorKey: string;

const LIST = "/api/v1/webhook-endpoints";
const ONE = "/api/v1/webhook-endpoints/[endpointId]";
const ROTATE = "/api/v1/webhook-endpoints/[endpointId]/rotate-secret";

const file = (pattern: string) => {
  const route = apiRouteFiles().find((r) => r.pattern === pattern);
  if (!route) throw new Error(`no route ${pattern}`);
  return route.file;
};

async function call(
  method: HttpMethod,
  pattern: string,
  key: string,
  options: { body?: unknown; id?: string } = {},
) {
  const path = pattern.replace("[endpointId]", options.id ?? "");
  const response = await callRoute(file(pattern), method, `http://localhost${path}`, {
    params: options.id === undefined ? undefined : { endpointId: options.id },
    headers: {
      authorization: `Bearer ${key}`,
      ...(options.body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

const owner = () => a.keys.owner.secret;
const row = (id: string) => prisma.webhookEndpoint.findUniqueOrThrow({ where: { id } });
const fieldsOf = (body: { error: { issues: { field: string }[] } }) =>
  body.error.issues.map((issue) => issue.field);

async function createEndpoint(body: Record<string, unknown>) {
  const created = await call("POST", LIST, owner(), { body });
  expect(created.status, created.text).toBe(201);
  return created.body as { endpoint: { id: string; secretHint: string }; secret?: string };
}

beforeAll(async () => {
  a = await createTenant(prisma, "hooks-a");
  b = await createTenant(prisma, "hooks-b");
  editorKey = `of_${randomBytes(32).toString("base64url")}`;
  await prisma.apiKey.create({
    data: {
      organizationId: a.organization.id,
      name: "editor key",
      prefix: editorKey.slice(0, 10),
      keyHash: sha256Hex(editorKey),
      role: "editor",
    },
  });
});

const originalAppUrl = process.env.APP_URL;
afterEach(() => {
  if (originalAppUrl === undefined) delete process.env.APP_URL;
  else process.env.APP_URL = originalAppUrl;
});

describe("webhook endpoints API", () => {
  it("answers a generated secret once, in the create response; reads show only its hint", async () => {
    delete process.env.APP_URL;
    const created = await call("POST", LIST, owner(), {
      body: { name: "Svix HR", sourceType: "standard_webhooks" },
    });
    expect(created.status, created.text).toBe(201);
    const secret = created.body.secret as string;
    // Standard Webhooks: whsec_ + base64 of 32 random bytes.
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    const id = created.body.endpoint.id as string;
    expect(created.body.endpoint).toMatchObject({
      name: "Svix HR",
      sourceType: "standard_webhooks",
      enabled: true,
      config: {},
      url: `http://localhost/api/hooks/${id}`,
      secretHint: `whsec_…${secret.slice(-4)}`,
      previousSecretExpiresAt: null,
      lastDeliveryAt: null,
    });
    expect(endpointVerificationSecrets(await row(id))).toEqual([secret]);
    expect(Buffer.from((await row(id)).encryptedSecret).toString("latin1")).not.toContain(
      secret.slice(6),
    );

    const one = await call("GET", ONE, owner(), { id });
    expect(one.status).toBe(200);
    expect(one.text).not.toContain(secret);
    expect(Object.keys(one.body.endpoint).sort()).toEqual([
      "config",
      "createdAt",
      "enabled",
      "id",
      "keyId",
      "lastDeliveryAt",
      "name",
      "previousSecretExpiresAt",
      "secretHint",
      "sourceType",
      "updatedAt",
      "url",
    ]);
    const list = await call("GET", LIST, owner());
    expect(list.status).toBe(200);
    expect(list.text).not.toContain(secret);
    expect(list.body.endpoints.map((e: { id: string }) => e.id)).toContain(id);

    process.env.APP_URL = "https://officeflow.example.com/";
    const disabled = await call("PATCH", ONE, owner(), { id, body: { enabled: false } });
    expect(disabled.status, disabled.text).toBe(200);
    expect(disabled.text).not.toContain(secret);
    expect(disabled.body.endpoint).toMatchObject({
      enabled: false,
      url: `https://officeflow.example.com/api/hooks/${id}`,
    });
    // Disabling keeps the secret: enabling again needs no new one.
    expect(endpointVerificationSecrets(await row(id))).toEqual([secret]);
  });

  it("takes a pasted BambooHR key without echoing it, and generates one when none is pasted", async () => {
    const privateKey = randomBytes(20).toString("hex");
    const pasted = await createEndpoint({
      name: "BambooHR",
      sourceType: "bamboohr",
      secret: ` ${privateKey}\n`,
      config: { eventTypes: ["employee.onboard", "employee.exit"] },
    });
    expect(pasted).not.toHaveProperty("secret");
    expect(JSON.stringify(pasted)).not.toContain(privateKey);
    expect(pasted.endpoint.secretHint).toBe(`…${privateKey.slice(-4)}`);
    expect(endpointVerificationSecrets(await row(pasted.endpoint.id))).toEqual([privateKey]);

    const generated = await createEndpoint({ name: "BambooHR (later)", sourceType: "bamboohr" });
    expect(generated.secret).toMatch(/^[0-9a-f]{64}$/);
    // The admin pastes BambooHR's key once BambooHR shows it: a rotation with no overlap.
    const rotated = await call("POST", ROTATE, owner(), {
      id: generated.endpoint.id,
      body: { secret: privateKey, overlapMinutes: 0 },
    });
    expect(rotated.status, rotated.text).toBe(200);
    expect(rotated.body).not.toHaveProperty("secret");
    expect(rotated.text).not.toContain(privateKey);
    expect(endpointVerificationSecrets(await row(generated.endpoint.id))).toEqual([privateKey]);
  });

  it("rotation keeps the old secret verifying inside the overlap window, and only the new one after", async () => {
    const { endpoint, secret: first } = await createEndpoint({
      name: "Rotating",
      sourceType: "hmac_header",
      config: { signatureHeader: "X-Signature" },
    });
    const before = Date.now();
    const rotated = await call("POST", ROTATE, owner(), {
      id: endpoint.id,
      body: { overlapMinutes: 60 },
    });
    expect(rotated.status, rotated.text).toBe(200);
    const second = rotated.body.secret as string;
    expect(second).toMatch(/^[0-9a-f]{64}$/);
    expect(second).not.toBe(first);
    expect(rotated.text).not.toContain(first);
    const until = Date.parse(rotated.body.endpoint.previousSecretExpiresAt);
    expect(until).toBeGreaterThanOrEqual(before + 60 * 60_000);
    expect(until).toBeLessThanOrEqual(Date.now() + 60 * 60_000);

    const stored = await row(endpoint.id);
    expect(endpointVerificationSecrets(stored, new Date())).toEqual([second, first]);
    expect(endpointVerificationSecrets(stored, new Date(until - 1))).toEqual([second, first]);
    expect(endpointVerificationSecrets(stored, new Date(until))).toEqual([second]);
    expect(endpointVerificationSecrets(stored, new Date(until + 60_000))).toEqual([second]);

    // The default window is 24 hours; a newer rotation replaces the one previous slot.
    const third = await call("POST", ROTATE, owner(), { id: endpoint.id, body: {} });
    expect(third.status, third.text).toBe(200);
    const thirdUntil = Date.parse(third.body.endpoint.previousSecretExpiresAt);
    expect(thirdUntil - Date.now()).toBeGreaterThan(24 * 60 * 60_000 - 60_000);
    expect(endpointVerificationSecrets(await row(endpoint.id))).toEqual([
      third.body.secret,
      second,
    ]);

    // overlapMinutes 0 ends the old secret at once.
    const fourth = await call("POST", ROTATE, owner(), {
      id: endpoint.id,
      body: { overlapMinutes: 0 },
    });
    expect(fourth.body.endpoint.previousSecretExpiresAt).toBeNull();
    expect(endpointVerificationSecrets(await row(endpoint.id))).toEqual([fourth.body.secret]);
  });

  it("a delivery signed with the replaced secret verifies inside the overlap window, not after", async () => {
    const config = {
      signatureHeader: "X-Hub-Signature-256",
      prefix: "sha256=",
      mapping: '{ "type": "employee.onboard", "employee": worker }',
      eventTypes: ["employee.onboard"],
    };
    const { endpoint, secret: old } = await createEndpoint({
      name: "Signed",
      sourceType: "hmac_header",
      config,
    });
    const rotated = await call("POST", ROTATE, owner(), {
      id: endpoint.id,
      body: { overlapMinutes: 10 },
    });
    const stored = await row(endpoint.id);
    // Stored as sent, with the verifier's defaults filled in.
    expect(stored.config).toEqual({ ...config, algorithm: "sha256", encoding: "hex" });
    const { mapping: _mapping, eventTypes: _eventTypes, ...signing } = config;
    const body = JSON.stringify({ worker: { id: "E-7" } });
    const delivery = (secret: string, now: Date) => ({
      headers: new Headers({
        "x-hub-signature-256": signHmacHeader(secret, signing, body),
      }),
      rawBody: Buffer.from(body),
      now,
    });
    // Through the ingest route's entry point, with the config as stored (mapping included).
    const verify = (secret: string, now: Date) =>
      verifyDelivery(
        "hmac_header",
        delivery(secret, now),
        endpointVerificationSecrets(stored, now),
        stored.config,
      ).ok;
    const inside = new Date(Date.now() + 9 * 60_000);
    const after = new Date(Date.now() + 11 * 60_000);
    expect(verify(old as string, inside)).toBe(true);
    expect(verify(rotated.body.secret, inside)).toBe(true);
    expect(verify(old as string, after)).toBe(false);
    expect(verify(rotated.body.secret, after)).toBe(true);
  });

  it("concurrent rotations never lose a secret that was answered", async () => {
    const { endpoint } = await createEndpoint({ name: "Race", sourceType: "standard_webhooks" });
    const answers = await Promise.all(
      [1, 2, 3].map(() =>
        call("POST", ROTATE, owner(), { id: endpoint.id, body: { overlapMinutes: 30 } }),
      ),
    );
    for (const answer of answers) expect([200, 409], answer.text).toContain(answer.status);
    const shown = answers.filter((answer) => answer.status === 200);
    expect(shown.length).toBeGreaterThan(0);

    // Each rotation that answered replaced the secret the one before it answered
    // (no two rotated the same secret), so the hints form one chain…
    const rotations = (
      await prisma.auditLog.findMany({
        where: { targetId: endpoint.id, action: "webhook_endpoint.secret_rotated" },
        orderBy: { id: "asc" },
      })
    ).map((entry) => entry.summary as { hint: string; previousHint: string });
    expect(rotations).toHaveLength(shown.length);
    expect(rotations[0]?.previousHint).toBe(endpoint.secretHint);
    for (let i = 1; i < rotations.length; i++)
      expect(rotations[i]?.previousHint).toBe(rotations[i - 1]?.hint);
    // …and the last two answered are exactly what verifies now.
    const secretOf = (hint: string | undefined) =>
      shown.find((answer) => answer.body.endpoint.secretHint === hint)?.body.secret as string;
    const verifying = endpointVerificationSecrets(await row(endpoint.id));
    expect(verifying[0]).toBe(secretOf(rotations.at(-1)?.hint));
    if (rotations.length > 1) expect(verifying[1]).toBe(secretOf(rotations.at(-2)?.hint));
  });

  it("writes an audit entry per change, with no secret in any of them", async () => {
    const { endpoint, secret: first } = await createEndpoint({
      name: "Audited",
      sourceType: "standard_webhooks",
    });
    const pasted = `whsec_${randomBytes(24).toString("base64")}`;
    const rotated = await call("POST", ROTATE, owner(), {
      id: endpoint.id,
      body: { secret: pasted, overlapMinutes: 5 },
    });
    expect(rotated.status, rotated.text).toBe(200);
    const generated = await call("POST", ROTATE, owner(), { id: endpoint.id, body: {} });
    await call("PATCH", ONE, owner(), { id: endpoint.id, body: { name: "Audited 2" } });
    await call("DELETE", ONE, owner(), { id: endpoint.id });

    const entries = await prisma.auditLog.findMany({
      where: { organizationId: a.organization.id, targetId: endpoint.id },
      orderBy: { id: "asc" },
    });
    expect(entries.map((entry) => entry.action)).toEqual([
      "webhook_endpoint.created",
      "webhook_endpoint.secret_rotated",
      "webhook_endpoint.secret_rotated",
      "webhook_endpoint.updated",
      "webhook_endpoint.deleted",
    ]);
    expect(entries[1]?.summary).toMatchObject({
      keySource: "pasted",
      overlapMinutes: 5,
      hint: `whsec_…${pasted.slice(-4)}`,
      previousHint: `whsec_…${(first as string).slice(-4)}`,
    });
    const text = JSON.stringify(entries);
    for (const secret of [first as string, pasted, generated.body.secret as string]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(secret.slice(6, -4));
    }
    expect(await prisma.webhookEndpoint.count({ where: { id: endpoint.id } })).toBe(0);
  });

  it("refuses bad input with 400 naming the field, and stores nothing", async () => {
    const before = await prisma.webhookEndpoint.count();
    const cases: [unknown, string][] = [
      [{ name: "H", sourceType: "hmac_header" }, "config.signatureHeader"],
      [{ name: "H", sourceType: "hmac_header", config: {} }, "config.signatureHeader"],
      [
        { name: "S", sourceType: "standard_webhooks", config: { mapping: "employee." } },
        "config.mapping",
      ],
      [
        { name: "S", sourceType: "standard_webhooks", config: { eventTypes: ["Onboard!"] } },
        "config.eventTypes.0",
      ],
      [{ name: "S", sourceType: "standard_webhooks", config: { colour: "red" } }, "config"],
      [{ name: "S", sourceType: "standard_webhooks", secret: "not-a-whsec-secret" }, "secret"],
      [{ name: "B", sourceType: "bamboohr", secret: "short" }, "secret"],
      [{ name: "W", sourceType: "workday" }, "sourceType"],
      [{ name: "", sourceType: "bamboohr" }, "name"],
    ];
    for (const [body, field] of cases) {
      const response = await call("POST", LIST, owner(), { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(response.body), JSON.stringify(body)).toContain(field);
    }
    expect(await prisma.webhookEndpoint.count()).toBe(before);

    const { endpoint } = await createEndpoint({
      name: "Strict",
      sourceType: "hmac_header",
      config: { signatureHeader: "X-Hub-Signature-256" },
    });
    const stored = await row(endpoint.id);
    const patches: [unknown, string][] = [
      [{ config: { signatureHeader: "" } }, "config.signatureHeader"],
      [{ config: { mapping: "(" } }, "config.mapping"],
      [{ enabled: "yes" }, "enabled"],
      [{}, "(body)"],
    ];
    for (const [body, field] of patches) {
      const response = await call("PATCH", ONE, owner(), { id: endpoint.id, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(response.body), JSON.stringify(body)).toContain(field);
    }
    for (const [body, field] of [
      [{ overlapMinutes: 10_081 }, "overlapMinutes"],
      [{ overlapMinutes: -1 }, "overlapMinutes"],
      [{ overlapMinutes: 1.5 }, "overlapMinutes"],
      [{ secret: "tiny" }, "secret"],
    ] as const) {
      const response = await call("POST", ROTATE, owner(), { id: endpoint.id, body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(fieldsOf(response.body)).toContain(field);
    }
    expect(await row(endpoint.id)).toEqual(stored);

    const duplicate = await call("POST", LIST, owner(), {
      body: { name: "Strict", sourceType: "bamboohr" },
    });
    expect(duplicate.status).toBe(409);
    expect(fieldsOf(duplicate.body)).toEqual(["name"]);
  });

  it("lets neither a viewer nor an editor read or change endpoints", async () => {
    const { endpoint } = await createEndpoint({ name: "Guarded", sourceType: "bamboohr" });
    const stored = await row(endpoint.id);
    const count = await prisma.webhookEndpoint.count();
    for (const key of [a.keys.viewer.secret, editorKey]) {
      const attempts = [
        await call("GET", LIST, key),
        await call("POST", LIST, key, { body: { name: "Sneaky", sourceType: "bamboohr" } }),
        await call("GET", ONE, key, { id: endpoint.id }),
        await call("PATCH", ONE, key, { id: endpoint.id, body: { enabled: false } }),
        await call("DELETE", ONE, key, { id: endpoint.id }),
        await call("POST", ROTATE, key, { id: endpoint.id, body: {} }),
      ];
      for (const attempt of attempts) {
        expect(attempt.status, attempt.text).toBe(403);
        expect(attempt.text).toMatch(/webhooks:manage/);
      }
    }
    expect(await prisma.webhookEndpoint.count()).toBe(count);
    expect(await row(endpoint.id)).toEqual(stored);
  });

  it("answers 404 for another organisation's endpoint on every route, changing nothing", async () => {
    const { endpoint } = await createEndpoint({ name: "A's endpoint", sourceType: "bamboohr" });
    const stored = await row(endpoint.id);
    const intruder = b.keys.owner.secret;
    const attempts = [
      await call("GET", ONE, intruder, { id: endpoint.id }),
      await call("PATCH", ONE, intruder, { id: endpoint.id, body: { name: "Mine" } }),
      await call("POST", ROTATE, intruder, { id: endpoint.id, body: { overlapMinutes: 0 } }),
      await call("DELETE", ONE, intruder, { id: endpoint.id }),
      await call("GET", ONE, owner(), { id: "not-a-uuid" }),
    ];
    for (const attempt of attempts) {
      expect(attempt.status, attempt.text).toBe(404);
      expect(attempt.text).not.toContain("A's endpoint");
    }
    const list = await call("GET", LIST, intruder);
    expect(list.body.endpoints.map((e: { id: string }) => e.id)).not.toContain(endpoint.id);
    expect(await row(endpoint.id)).toEqual(stored);
  });
});
