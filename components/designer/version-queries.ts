"use client";

import { type QueryClient, useQuery } from "@tanstack/react-query";
import { workflowKeys } from "@/components/workflows/queries";
import { apiFetch } from "@/lib/api-client";

// The published versions of a workflow, for the designer's Versions tab. The
// keys sit under the workflow list's key, so publishing (which invalidates
// that) refreshes the list too. A version never changes once published, so its
// definition is fetched once and kept.

export type WorkflowVersionSummary = {
  id: string;
  version: number;
  notes: string | null;
  publishedAt: string;
  publishedById: string | null;
  definitionHash: string;
  active: boolean;
};

export type WorkflowVersionDetail = {
  id: string;
  version: number;
  notes: string | null;
  publishedAt: string;
  definition: unknown;
  definitionHash: string;
};

export const versionKeys = {
  list: (slug: string, workflowId: string) =>
    [...workflowKeys.all(slug), workflowId, "versions"] as const,
  detail: (slug: string, workflowId: string, versionId: string) =>
    [...versionKeys.list(slug, workflowId), versionId] as const,
};

const versionsPath = (workflowId: string) =>
  `/api/v1/workflows/${encodeURIComponent(workflowId)}/versions`;

/** Published versions, newest first (the API's order). */
export function useWorkflowVersions(slug: string, workflowId: string) {
  return useQuery({
    queryKey: versionKeys.list(slug, workflowId),
    queryFn: () =>
      apiFetch<{ versions: WorkflowVersionSummary[] }>(versionsPath(workflowId), {
        org: slug,
      }).then((body) => body.versions),
  });
}

/** One version with its definition, from the cache when it was fetched before. */
export function fetchWorkflowVersion(
  queryClient: QueryClient,
  slug: string,
  workflowId: string,
  versionId: string,
): Promise<WorkflowVersionDetail> {
  return queryClient.fetchQuery({
    queryKey: versionKeys.detail(slug, workflowId, versionId),
    queryFn: () =>
      apiFetch<{ version: WorkflowVersionDetail }>(
        `${versionsPath(workflowId)}/${encodeURIComponent(versionId)}`,
        { org: slug },
      ).then((body) => body.version),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export async function rollBackToVersion(
  slug: string,
  workflowId: string,
  versionId: string,
): Promise<{ id: string; version: number }> {
  const body = await apiFetch<{ version: { id: string; version: number } }>(
    `${versionsPath(workflowId)}/${encodeURIComponent(versionId)}/rollback`,
    { org: slug, method: "POST" },
  );
  return body.version;
}
