import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SecretUnavailable } from "@/lib/crypto/secret-box";
import {
  endpointVerificationSecrets,
  generateEndpointSecret,
  pastedSecretSchema,
  sealEndpointSecret,
} from "./endpoint-secrets";

// Secrets of webhook endpoints, without a database: generation, sealing
// bound to the endpoint, and which secrets verify at a given moment.

const organizationId = randomUUID();

function endpointWith(current: string, previous?: { secret: string; expiresAt: Date }) {
  const id = randomUUID();
  const sealed = sealEndpointSecret(organizationId, id, current);
  const old = previous ? sealEndpointSecret(organizationId, id, previous.secret) : null;
  return {
    id,
    organizationId,
    secretKeyId: sealed.keyId,
    encryptedSecret: new Uint8Array(sealed.payload),
    previousSecretKeyId: old?.keyId ?? null,
    previousEncryptedSecret: old ? new Uint8Array(old.payload) : null,
    previousSecretExpiresAt: previous?.expiresAt ?? null,
  };
}

describe("webhook endpoint secrets", () => {
  it("generates whsec_ + base64 of 32 bytes for Standard Webhooks, 64 hex characters otherwise", () => {
    const standard = generateEndpointSecret("standard_webhooks");
    expect(standard).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(standard.slice("whsec_".length), "base64")).toHaveLength(32);
    for (const sourceType of ["bamboohr", "hmac_header"] as const)
      expect(generateEndpointSecret(sourceType)).toMatch(/^[0-9a-f]{64}$/);
    expect(generateEndpointSecret("hmac_header")).not.toBe(generateEndpointSecret("hmac_header"));
  });

  it("accepts the spec's example secret pasted for Standard Webhooks, and refuses malformed ones", () => {
    const schema = pastedSecretSchema("standard_webhooks");
    // The reference library's test secret (24 bytes).
    expect(schema.safeParse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").success).toBe(true);
    for (const bad of ["MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_short", "whsec_not base64!"])
      expect(schema.safeParse(bad).success, bad).toBe(false);
    expect(pastedSecretSchema("bamboohr").parse("  a1b2c3d4e5f6a7b8c9d0  ")).toBe(
      "a1b2c3d4e5f6a7b8c9d0",
    );
    expect(pastedSecretSchema("bamboohr").safeParse("has a space inside it").success).toBe(false);
  });

  it("verifies with the current secret, and with the previous one only before its window closes", () => {
    const expiresAt = new Date("2030-01-01T12:00:00Z");
    const endpoint = endpointWith("new-secret-value", { secret: "old-secret-value", expiresAt });
    expect(endpointVerificationSecrets(endpoint, new Date("2030-01-01T11:59:59.999Z"))).toEqual([
      "new-secret-value",
      "old-secret-value",
    ]);
    expect(endpointVerificationSecrets(endpoint, expiresAt)).toEqual(["new-secret-value"]);
    expect(endpointVerificationSecrets(endpoint, new Date("2030-01-02T00:00:00Z"))).toEqual([
      "new-secret-value",
    ]);
    expect(endpointVerificationSecrets(endpointWith("only-one"), new Date())).toEqual(["only-one"]);
  });

  it("binds a sealed secret to its endpoint: a blob copied to another endpoint does not open", () => {
    const victim = endpointWith("victim-secret");
    const attacker = endpointWith("attacker-secret");
    expect(() =>
      endpointVerificationSecrets(
        { ...attacker, encryptedSecret: victim.encryptedSecret },
        new Date(),
      ),
    ).toThrow(SecretUnavailable);
    // A previous secret that does not open is left out; the current one still verifies.
    const later = new Date(Date.now() + 3_600_000);
    expect(
      endpointVerificationSecrets(
        {
          ...attacker,
          previousSecretKeyId: victim.secretKeyId,
          previousEncryptedSecret: victim.encryptedSecret,
          previousSecretExpiresAt: later,
        },
        new Date(),
      ),
    ).toEqual(["attacker-secret"]);
  });
});
