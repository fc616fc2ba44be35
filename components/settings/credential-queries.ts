"use client";

import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { auditLogKeys } from "@/components/audit/queries";
import { apiFetch } from "@/lib/api-client";

// React Query hooks for Settings → Credentials. The API never returns a
// secret, so nothing here can cache one; secrets only travel in request bodies.

export type Credential = {
  id: string;
  name: string;
  kind: string;
  /** Masked, e.g. "xoxb-…a1b2". */
  hint: string;
  settings: Record<string, unknown>;
  keyId: string;
  createdAt: string;
  updatedAt: string;
  createdBy: { id: string; name: string | null; email: string } | null;
};

/** The subset of JSON Schema the kinds API produces for credential forms. */
export type FieldSchema = {
  type?: string;
  title?: string;
  description?: string;
  format?: string;
  items?: FieldSchema;
  maxLength?: number;
};

export type ObjectSchema = {
  type: "object";
  properties: Record<string, FieldSchema>;
  required?: string[];
};

export type CredentialKindDescription = {
  kind: string;
  label: string;
  description: string;
  secretSchema: ObjectSchema;
  settingsSchema: ObjectSchema;
};

export type CredentialInput = {
  name: string;
  kind: string;
  secret: Record<string, string>;
  settings: Record<string, unknown>;
};

export type CredentialChanges = {
  name?: string;
  settings?: Record<string, unknown>;
  secret?: Record<string, string>;
};

export const credentialKeys = {
  list: (slug: string) => ["org", slug, "credentials"] as const,
  kinds: (slug: string) => ["org", slug, "credential-kinds"] as const,
};

function invalidateAfterChange(queryClient: QueryClient, slug: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: credentialKeys.list(slug) }),
    queryClient.invalidateQueries({ queryKey: auditLogKeys.all(slug) }),
  ]);
}

/** Pass `enabled: false` for roles without credentials:read, so the endpoint is never called. */
export function useCredentials(slug: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: credentialKeys.list(slug),
    queryFn: () => apiFetch<{ credentials: Credential[] }>("/api/v1/credentials", { org: slug }),
    select: (data) => data.credentials,
    enabled,
  });
}

export function useCredentialKinds(slug: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: credentialKeys.kinds(slug),
    queryFn: () =>
      apiFetch<{ kinds: CredentialKindDescription[] }>("/api/v1/credential-kinds", { org: slug }),
    select: (data) => data.kinds,
    // The catalogue only changes with a deploy.
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

// Mutations carry secrets in their variables: keep no finished mutation in the cache.
const FORGET_VARIABLES = { gcTime: 0 } as const;

export function useCreateCredential(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    ...FORGET_VARIABLES,
    mutationFn: (input: CredentialInput) =>
      apiFetch<{ credential: Credential }>("/api/v1/credentials", {
        org: slug,
        method: "POST",
        body: input,
      }),
    onSuccess: () => invalidateAfterChange(queryClient, slug),
  });
}

export function useUpdateCredential(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    ...FORGET_VARIABLES,
    mutationFn: ({ id, changes }: { id: string; changes: CredentialChanges }) =>
      apiFetch<{ credential: Credential }>(`/api/v1/credentials/${encodeURIComponent(id)}`, {
        org: slug,
        method: "PATCH",
        body: changes,
      }),
    onSuccess: () => invalidateAfterChange(queryClient, slug),
  });
}

export function useDeleteCredential(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<{ deleted: string }>(`/api/v1/credentials/${encodeURIComponent(id)}`, {
        org: slug,
        method: "DELETE",
      }),
    onSettled: () => invalidateAfterChange(queryClient, slug),
  });
}
