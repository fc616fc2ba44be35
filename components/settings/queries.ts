"use client";

import {
  type QueryClient,
  type QueryKey,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { auditLogKeys } from "@/components/audit/queries";
import { apiFetch } from "@/lib/api-client";
import type { Role } from "@/lib/permissions";

// React Query hooks for the settings tabs. Keys start with the organisation's
// slug, so renaming it (a new slug) never shows another URL's cached data.

export type Member = {
  id: string;
  role: Role;
  createdAt: string;
  user: { id: string; email: string; name: string | null };
};

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

export type Invitation = {
  id: string;
  email: string;
  role: Role;
  status: InvitationStatus;
  expiresAt: string;
  createdAt: string;
};

export type ApiKey = {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  createdAt: string;
};

/** Returned by create only: the one time the full secret is seen. */
export type CreatedApiKey = ApiKey & { secret: string };

export type OrganizationDetails = {
  id: string;
  slug: string;
  name: string;
  plan: "free" | "team" | "enterprise";
};

export const settingsKeys = {
  members: (slug: string) => ["org", slug, "members"] as const,
  invitations: (slug: string) => ["org", slug, "invitations"] as const,
  apiKeys: (slug: string) => ["org", slug, "api-keys"] as const,
};

/** Refetch what a change affected, and the audit log: every change writes an entry there. */
function invalidateAfterChange(queryClient: QueryClient, slug: string, key?: QueryKey) {
  return Promise.all([
    key && queryClient.invalidateQueries({ queryKey: key }),
    queryClient.invalidateQueries({ queryKey: auditLogKeys.all(slug) }),
  ]);
}

export function useUpdateOrganization(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { name?: string; slug?: string }) =>
      apiFetch<{ organization: OrganizationDetails }>("/api/v1/organization", {
        org: slug,
        method: "PATCH",
        body: changes,
      }),
    onSuccess: () => invalidateAfterChange(queryClient, slug),
  });
}

export function useMembers(slug: string) {
  return useQuery({
    queryKey: settingsKeys.members(slug),
    queryFn: () => apiFetch<{ members: Member[] }>("/api/v1/members", { org: slug }),
    select: (data) => data.members,
  });
}

export function useChangeMemberRole(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ membershipId, role }: { membershipId: string; role: Role }) =>
      apiFetch<{ member: Member }>(`/api/v1/members/${encodeURIComponent(membershipId)}`, {
        org: slug,
        method: "PATCH",
        body: { role },
      }),
    onSettled: () => invalidateAfterChange(queryClient, slug, settingsKeys.members(slug)),
  });
}

/** Removes another member, or — with one's own membership id — leaves the organisation. */
export function useRemoveMember(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (membershipId: string) =>
      apiFetch<{ removed: string }>(`/api/v1/members/${encodeURIComponent(membershipId)}`, {
        org: slug,
        method: "DELETE",
      }),
    onSuccess: () => invalidateAfterChange(queryClient, slug, settingsKeys.members(slug)),
  });
}

export function useInvitations(slug: string) {
  return useQuery({
    queryKey: settingsKeys.invitations(slug),
    queryFn: () => apiFetch<{ invitations: Invitation[] }>("/api/v1/invitations", { org: slug }),
    select: (data) => data.invitations,
  });
}

export function useCreateInvitation(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; role: Role }) =>
      apiFetch<{ invitation: Invitation }>("/api/v1/invitations", {
        org: slug,
        method: "POST",
        body: input,
      }),
    onSuccess: () => invalidateAfterChange(queryClient, slug, settingsKeys.invitations(slug)),
  });
}

export function useRevokeInvitation(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      apiFetch<{ invitation: Invitation }>(
        `/api/v1/invitations/${encodeURIComponent(invitationId)}`,
        { org: slug, method: "DELETE" },
      ),
    onSettled: () => invalidateAfterChange(queryClient, slug, settingsKeys.invitations(slug)),
  });
}

export function useResendInvitation(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (invitationId: string) =>
      apiFetch<{ invitation: Invitation }>(
        `/api/v1/invitations/${encodeURIComponent(invitationId)}/resend`,
        { org: slug, method: "POST" },
      ),
    onSettled: () => invalidateAfterChange(queryClient, slug, settingsKeys.invitations(slug)),
  });
}

/** Pass `enabled: false` for roles without api-keys:manage, so the endpoint is never called. */
export function useApiKeys(slug: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: settingsKeys.apiKeys(slug),
    queryFn: () => apiFetch<{ apiKeys: ApiKey[] }>("/api/v1/api-keys", { org: slug }),
    select: (data) => data.apiKeys,
    enabled,
  });
}

export function useCreateApiKey(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; role: Role; expiresInDays?: number }) =>
      apiFetch<{ apiKey: CreatedApiKey }>("/api/v1/api-keys", {
        org: slug,
        method: "POST",
        body: input,
      }),
    onSuccess: () => invalidateAfterChange(queryClient, slug, settingsKeys.apiKeys(slug)),
  });
}

export function useRevokeApiKey(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (apiKeyId: string) =>
      apiFetch<{ apiKey: ApiKey }>(`/api/v1/api-keys/${encodeURIComponent(apiKeyId)}`, {
        org: slug,
        method: "DELETE",
      }),
    onSettled: () => invalidateAfterChange(queryClient, slug, settingsKeys.apiKeys(slug)),
  });
}
