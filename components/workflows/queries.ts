"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
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

/** A ready-made workflow from GET /api/v1/workflow-templates. */
export type WorkflowTemplateSummary = {
  id: "joiner" | "mover" | "leaver";
  name: string;
  description: string;
  event: string;
  nodeCount: number;
};

export type NewWorkflow = {
  name: string;
  description?: string;
  templateId?: WorkflowTemplateSummary["id"];
};

export const workflowKeys = {
  all: (slug: string) => ["org", slug, "workflows"] as const,
  templates: (slug: string) => ["org", slug, "workflow-templates"] as const,
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

export function useWorkflowTemplates(slug: string) {
  return useQuery({
    queryKey: workflowKeys.templates(slug),
    queryFn: () =>
      apiFetch<{ templates: WorkflowTemplateSummary[] }>("/api/v1/workflow-templates", {
        org: slug,
      }).then((body) => body.templates),
    // The gallery is part of the app, not of the organisation's data: it only changes on deploy.
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCreateWorkflow(slug: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: NewWorkflow) =>
      apiFetch<{ workflow: { id: string } }>("/api/v1/workflows", { org: slug, body: input }).then(
        (body) => body.workflow,
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: workflowKeys.all(slug) }),
  });
}
