"use client";

import { useQuery } from "@tanstack/react-query";
import { ApiError, apiFetch } from "@/lib/api-client";

// React Query hooks for runs, with the shapes GET /api/v1/runs and
// GET /api/v1/runs/{runId} answer (lib/runs/service.ts listRuns, getRun).

export type RunStatus = "queued" | "running" | "waiting" | "completed" | "failed" | "cancelled";
export type StepStatus =
  | "pending"
  | "running"
  | "waiting"
  | "completed"
  | "failed"
  | "skipped"
  | "reused"
  | "cancelled";

export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set([
  "completed",
  "failed",
  "cancelled",
]);

export type StepRun = {
  id: string;
  nodeId: string;
  nodeKind: string;
  attempt: number;
  status: StepStatus;
  input: unknown;
  output: unknown;
  error: unknown;
  wouldSend: unknown;
  detail: unknown;
  startedAt: string | null;
  finishedAt: string | null;
};

export type WorkflowRun = {
  id: string;
  status: RunStatus;
  isTest: boolean;
  triggerType: string;
  employeeRef: string | null;
  employeeName: string | null;
  employeeEmail: string | null;
  error: unknown;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  workflow: { id: string; name: string };
  /** Negative versions are snapshots of a draft, made for a test run. */
  workflowVersion: { id: string; version: number };
  /** The version's nodes, in definition order. */
  nodes: { id: string; name: string; kind: string }[];
  stepRuns: StepRun[];
};

export type RunSummary = Pick<
  WorkflowRun,
  | "id"
  | "status"
  | "isTest"
  | "employeeName"
  | "employeeEmail"
  | "createdAt"
  | "startedAt"
  | "finishedAt"
  | "error"
  | "workflow"
> & { workflowVersion: { version: number } };

export const runKeys = {
  list: (slug: string) => ["org", slug, "runs"] as const,
  detail: (slug: string, runId: string) => ["org", slug, "runs", runId] as const,
};

/** Asking again will not help with a 4xx (a run that does not exist stays that way). */
const retryUnlessClientError = (count: number, error: unknown) =>
  !(error instanceof ApiError && error.status < 500) && count < 3;

/** One run with its steps, polled every second until it ends. */
export function useRun(slug: string, runId: string) {
  return useQuery({
    queryKey: runKeys.detail(slug, runId),
    queryFn: () =>
      apiFetch<{ run: WorkflowRun }>(`/api/v1/runs/${encodeURIComponent(runId)}`, {
        org: slug,
      }).then((body) => body.run),
    retry: retryUnlessClientError,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      if (query.state.status === "error") return false;
      return status && TERMINAL_RUN_STATUSES.has(status) ? false : 1000;
    },
  });
}

/** The latest runs, refreshed every few seconds while any of them is still going. */
export function useRuns(slug: string) {
  return useQuery({
    queryKey: runKeys.list(slug),
    queryFn: () =>
      apiFetch<{ runs: RunSummary[] }>("/api/v1/runs", {
        org: slug,
        query: { limit: "50" },
      }).then((body) => body.runs),
    refetchInterval: (query) =>
      query.state.data?.some((run) => !TERMINAL_RUN_STATUSES.has(run.status)) ? 5000 : false,
  });
}
