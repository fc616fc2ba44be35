import { afterEach, describe, expect, it, vi } from "vitest";

// OAuth/OIDC providers appear only when all of their variables are set.

const VARIABLES = [
  "GOOGLE_CLIENT_ID",
  "GOOGLE_CLIENT_SECRET",
  "AZURE_AD_CLIENT_ID",
  "AZURE_AD_CLIENT_SECRET",
  "AZURE_AD_TENANT_ID",
  "OKTA_CLIENT_ID",
  "OKTA_CLIENT_SECRET",
  "OKTA_ISSUER",
];

afterEach(() => {
  for (const name of VARIABLES) delete process.env[name];
  vi.resetModules();
});

async function providers() {
  const { enabledOAuthProviders } = await import("./options");
  return enabledOAuthProviders().map((provider) => provider.id);
}

describe("optional sign-in providers", () => {
  it("are off by default", async () => {
    expect(await providers()).toEqual([]);
  });

  it("switch on one by one when their variables are complete", async () => {
    process.env.GOOGLE_CLIENT_ID = "id";
    process.env.GOOGLE_CLIENT_SECRET = "secret";
    process.env.OKTA_CLIENT_ID = "id";
    process.env.OKTA_CLIENT_SECRET = "secret";
    // Entra ID is missing its tenant: stays off.
    process.env.AZURE_AD_CLIENT_ID = "id";
    process.env.AZURE_AD_CLIENT_SECRET = "secret";
    expect(await providers()).toEqual(["google"]);
    process.env.OKTA_ISSUER = "https://example.okta.com";
    process.env.AZURE_AD_TENANT_ID = "tenant";
    expect((await providers()).sort()).toEqual(["azure-ad", "google", "okta"]);
  });

  it("sessions expire after SESSION_MAX_AGE_SECONDS (default 8 h)", async () => {
    const { authOptions } = await import("./options");
    expect(authOptions.session?.strategy).toBe("jwt");
    expect(authOptions.session?.maxAge).toBe(8 * 3_600);
  });
});
