import { expect, request as playwrightRequest, test } from "@playwright/test";
import { APP_PORT, PASSWORD, signInForApi, signUpForApi } from "./support/accounts";

// The session-cookie half of the isolation walk (the API-key half runs in
// lib/api/tenant-isolation.test.ts): a signed-in member of B aims the API at
// A's organisation and ids; everything is 404/403 and reveals nothing.

const BASE = `http://127.0.0.1:${APP_PORT}`;

test("a member of another organisation gets 404 for everything of A, and cross-site writes are refused", async () => {
  const anonymous = await playwrightRequest.newContext({ baseURL: BASE });
  const a = await signUpForApi(anonymous, "tenant-a");
  const b = await signUpForApi(anonymous, "tenant-b");

  const alice = await playwrightRequest.newContext({ baseURL: BASE });
  await signInForApi(alice, a.email, PASSWORD);
  const aMembers = (await (
    await alice.get(`/api/v1/members?org=${a.organization.slug}`)
  ).json()) as { members: { id: string }[] };
  const aMembershipId = aMembers.members[0]?.id as string;
  const invited = await alice.post(`/api/v1/invitations?org=${a.organization.slug}`, {
    data: { email: `target-${Date.now()}@example.test`, role: "viewer" },
    headers: { origin: BASE },
  });
  expect(invited.status()).toBe(201);
  const aInvitationId = ((await invited.json()) as { invitation: { id: string } }).invitation.id;

  const bob = await playwrightRequest.newContext({ baseURL: BASE });
  await signInForApi(bob, b.email, PASSWORD);
  const secrets = [a.organization.id, a.organization.name, a.email, aMembershipId, aInvitationId];
  const write = { headers: { origin: BASE } };
  const attempts = [
    () => bob.get(`/api/v1/organization?org=${a.organization.slug}`),
    () =>
      bob.patch(`/api/v1/organization?org=${a.organization.slug}`, {
        data: { name: "Mine now" },
        ...write,
      }),
    () => bob.get(`/api/v1/members?org=${a.organization.slug}`),
    () =>
      bob.patch(`/api/v1/members/${aMembershipId}?org=${b.organization.slug}`, {
        data: { role: "viewer" },
        ...write,
      }),
    () => bob.delete(`/api/v1/members/${aMembershipId}?org=${b.organization.slug}`, write),
    () => bob.delete(`/api/v1/invitations/${aInvitationId}?org=${b.organization.slug}`, write),
    () => bob.post(`/api/v1/invitations/${aInvitationId}/resend?org=${b.organization.slug}`, write),
    () => bob.get(`/api/v1/audit-logs?org=${a.organization.slug}`),
    () => bob.get(`/api/v1/audit-logs/export?org=${a.organization.slug}`),
    () => bob.get(`/api/v1/api-keys?org=${a.organization.slug}`),
  ];
  for (const attempt of attempts) {
    const response = await attempt();
    expect([403, 404], `${response.url()} → ${response.status()}`).toContain(response.status());
    const text = await response.text();
    for (const secret of secrets)
      expect(text, `${response.url()} leaks ${secret}`).not.toContain(secret);
  }
  const page = await bob.get(`/o/${a.organization.slug}/workflows`);
  expect(page.status()).toBe(404);

  // A's data is untouched.
  const stillA = (await (
    await alice.get(`/api/v1/organization?org=${a.organization.slug}`)
  ).json()) as { organization: { name: string } };
  expect(stillA.organization.name).toBe(a.organization.name);

  // CSRF: Alice's own cookie, but the write comes from another site or no site at all.
  for (const origin of ["https://evil.example", "null"]) {
    const forged = await alice.patch(`/api/v1/organization?org=${a.organization.slug}`, {
      data: { name: "Forged" },
      headers: { origin },
    });
    expect(forged.status(), `origin ${origin}`).toBe(403);
  }
  const noOrigin = await alice.patch(`/api/v1/organization?org=${a.organization.slug}`, {
    data: { name: "Forged" },
  });
  expect(noOrigin.status()).toBe(403);
  const after = (await (
    await alice.get(`/api/v1/organization?org=${a.organization.slug}`)
  ).json()) as { organization: { name: string } };
  expect(after.organization.name).toBe(a.organization.name);

  await Promise.all([anonymous.dispose(), alice.dispose(), bob.dispose()]);
});
