"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/api-client";

export type WorkflowSummary = {
  id: string;
  name: string;
  description: string | null;
  status: "draft" | "active" | "archived";
  draftRevision: number;
  activeVersionId: string | null;
  triggerType: "lifecycle_event" | "schedule" | "manual" | "webhook" | null;
  triggerEvent: string | null;
  latestVersion: number | null;
  updatedAt: string;
};

export const workflowKeys = {
  all: (slug: string) => ["org", slug, "workflows"] as const,
};

export function useWorkflows(slug: string) {
  return useQuery({
    queryKey: workflowKeys.all(slug),
    queryFn: () =>
      apiFetch<{ workflows: WorkflowSummary[] }>("/api/v1/workflows", { org: slug }).then(
        (body) => body.workflows,
      ),
  });
}
