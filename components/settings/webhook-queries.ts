"use client";

import { type QueryClient, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { auditLogKeys } from "@/components/audit/queries";
import { apiFetch } from "@/lib/api-client";

// React Query hooks for Settings → Webhooks. Reads never carry a secret;
// create and rotate answer one (when OfficeFlow generated it) exactly once,
// so those mutations keep nothing in the cache after they settle.

export type WebhookSourceType = "standard_webhooks" | "bamboohr" | "hmac_header";

export type WebhookEndpoint = {
  id: string;
  name: string;
  sourceType: WebhookSourceType;
  config: Record<string, unknown>;
  enabled: boolean;
  url: string;
  /** Masked, e.g. "whsec_…a1b2". */
  secretHint: string;
  keyId: string;
  /** Until when the secret replaced by the last rotation still verifies. */
  previousSecretExpiresAt: string | null;
  lastDeliveryAt: string | null;
  createdAt: string;
  updatedAt: string;
};

/** `secret` is present only when OfficeFlow generated it; a pasted secret is not sent back. */
export type WebhookEndpointWithSecret = { endpoint: WebhookEndpoint; secret?: string };

export type WebhookEndpointInput = {
  name: string;
  sourceType: WebhookSourceType;
  config: Record<string, unknown>;
  secret?: string;
};

export type WebhookEndpointChanges = {
  name?: string;
  enabled?: boolean;
  config?: Record<string, unknown>;
};

export const webhookKeys = {
  endpoints: (slug: string) => ["org", slug, "webhook-endpoints"] as const,
};

const path = (id: string) => `/api/v1/webhook-endpoints/${encodeURIComponent(id)}`;

function invalidateAfterChange(queryClient: QueryClient, slug: string) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: webhookKeys.endpoints(slug) }),
    queryClient.invalidateQueries({ queryKey: auditLogKeys.all(slug) }),
  ]);
}

/** Pass `enabled: false` for roles without webhooks:manage, so the endpoint is never called. */
export function useWebhookEndpoints(slug: string, { enabled = true }: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: webhookKeys.endpoints(slug),
    queryFn: () =>
      apiFetch<{ endpoints: WebhookEndpoint[] }>("/api/v1/webhook-endpoints", { org: slug }),
    select: (data) => data.endpoints,
    enabled,
  });
}

// Variables and results carry secrets: keep no finished mutation in the cache.
const FORGET = { gcTime: 0 } as const;

export function useCreateWebhookEndpoint(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    ...FORGET,
    mutationFn: (input: WebhookEndpointInput) =>
      apiFetch<WebhookEndpointWithSecret>("/api/v1/webhook-endpoints", {
        org: slug,
        method: "POST",
        body: input,
      }),
    onSuccess: () => invalidateAfterChange(queryClient, slug),
  });
}

export function useUpdateWebhookEndpoint(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: WebhookEndpointChanges }) =>
      apiFetch<{ endpoint: WebhookEndpoint }>(path(id), {
        org: slug,
        method: "PATCH",
        body: changes,
      }),
    onSettled: () => invalidateAfterChange(queryClient, slug),
  });
}

export function useRotateWebhookSecret(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    ...FORGET,
    mutationFn: ({
      id,
      overlapMinutes,
      secret,
    }: {
      id: string;
      overlapMinutes: number;
      secret?: string;
    }) =>
      apiFetch<WebhookEndpointWithSecret>(`${path(id)}/rotate-secret`, {
        org: slug,
        method: "POST",
        body: { overlapMinutes, ...(secret === undefined ? {} : { secret }) },
      }),
    onSuccess: () => invalidateAfterChange(queryClient, slug),
  });
}

export function useDeleteWebhookEndpoint(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<{ deleted: string }>(path(id), { org: slug, method: "DELETE" }),
    onSettled: () => invalidateAfterChange(queryClient, slug),
  });
}
