import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { SecretUnavailable } from "@/lib/crypto/secret-box";
import { forOrg } from "@/lib/db/tenant";
import { NotFound, ValidationFailed } from "@/lib/errors";
import { testDatabase } from "@/test/support/database";
import { createTenant, type Tenant } from "@/test/support/tenants";
import { allowsHost } from "./kinds";
import { credentialSecretValues, readCredentialSecret } from "./secrets";
import { createCredential, createCredentialSchema } from "./service";

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

const create = (t: Tenant, body: unknown) =>
  createCredential(contextOf(t), createCredentialSchema.parse(body));

const aToken = `xoxb-a-${randomBytes(12).toString("hex")}`;
const bToken = `xoxb-b-${randomBytes(12).toString("hex")}`;
let aSlack: string;
let bSlack: string;

beforeAll(async () => {
  a = await createTenant(prisma, "sec-a");
  b = await createTenant(prisma, "sec-b");
  aSlack = (await create(a, { name: "Slack", kind: "slack", secret: { botToken: aToken } })).id;
  bSlack = (await create(b, { name: "Slack", kind: "slack", secret: { botToken: bToken } })).id;
});

async function failure(read: Promise<unknown>) {
  const error = await read.then(
    () => {
      throw new Error("expected the read to fail");
    },
    (thrown: unknown) => thrown,
  );
  const text = `${String(error)} ${JSON.stringify(error)}`;
  for (const secret of [aToken, bToken]) expect(text).not.toContain(secret);
  return error;
}

describe("reading a credential's secret inside a workflow step", () => {
  it("returns the secret and settings of a credential of an accepted kind", async () => {
    const read = await readCredentialSecret(a.organization.id, aSlack, ["openai", "slack"]);
    expect(read).toEqual({
      id: aSlack,
      name: "Slack",
      kind: "slack",
      secret: { botToken: aToken },
      settings: {},
    });
    const hosts = await create(a, {
      name: "Vendor API",
      kind: "http_header",
      secret: { value: "header-secret" },
      settings: { headerName: "X-Api-Key", allowedHosts: ["api.vendor.example"] },
    });
    const header = await readCredentialSecret(a.organization.id, hosts.id, ["http_header"]);
    expect(header.settings).toEqual({
      headerName: "X-Api-Key",
      allowedHosts: ["api.vendor.example"],
    });
    expect(allowsHost(header.settings.allowedHosts, "API.vendor.example.")).toBe(true);
    expect(allowsHost(header.settings.allowedHosts, "evil.example")).toBe(false);
    expect(allowsHost(header.settings.allowedHosts, "x.api.vendor.example")).toBe(false);
  });

  it("refuses a credential of another kind, naming both, before decrypting (S3)", async () => {
    const error = await failure(readCredentialSecret(a.organization.id, aSlack, ["openai"]));
    expect(error).toBeInstanceOf(ValidationFailed);
    expect((error as ValidationFailed).issues).toEqual([
      {
        field: "credentialId",
        message: 'credential "Slack" is a slack credential; this node needs one of: openai',
      },
    ]);
  });

  it("is NotFound for another organisation's id, a made-up id and a malformed one", async () => {
    for (const id of [bSlack, randomUUID(), "not-a-uuid", "' OR 1=1 --"]) {
      expect(await failure(readCredentialSecret(a.organization.id, id, ["slack"]))).toBeInstanceOf(
        NotFound,
      );
    }
  });

  it("refuses tenant A's blob copied into tenant B's row (K2), revealing no plaintext", async () => {
    const victim = await prisma.credential.findUniqueOrThrow({ where: { id: aSlack } });
    await prisma.credential.update({
      where: { id: bSlack },
      data: { keyId: victim.keyId, encryptedPayload: victim.encryptedPayload },
    });
    const error = await failure(readCredentialSecret(b.organization.id, bSlack, ["slack"]));
    expect(error).toBeInstanceOf(SecretUnavailable);
    expect((error as SecretUnavailable).reason).toBe("failed_authentication");
    // A's own credential is unaffected.
    expect((await readCredentialSecret(a.organization.id, aSlack, ["slack"])).secret.botToken).toBe(
      aToken,
    );
  });

  it("refuses a blob moved between two credentials of the same organisation", async () => {
    const other = await create(a, {
      name: "Slack 2",
      kind: "slack",
      secret: { botToken: `xoxb-${randomBytes(8).toString("hex")}` },
    });
    const source = await prisma.credential.findUniqueOrThrow({ where: { id: aSlack } });
    await prisma.credential.update({
      where: { id: other.id },
      data: { encryptedPayload: source.encryptedPayload },
    });
    expect(
      await failure(readCredentialSecret(a.organization.id, other.id, ["slack"])),
    ).toBeInstanceOf(SecretUnavailable);
  });

  it("lists every value to redact, with the basic-auth header form", () => {
    expect(credentialSecretValues({ username: "ann", password: "pw-1234" })).toEqual([
      Buffer.from("ann:pw-1234").toString("base64"),
      "pw-1234",
      "ann",
    ]);
    expect(credentialSecretValues({ botToken: "xoxb-1" })).toEqual(["xoxb-1"]);
  });
});
