"use client";

import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
} from "@tanstack/react-query";
import { auditLogKeys } from "@/components/audit/queries";
import type { BadgeVariant } from "@/components/ui/badge";
import { apiFetch } from "@/lib/api-client";

// React Query hooks for an endpoint's delivery log. Deliveries arrive while
// the page is open, so the list and the open delivery refetch every few
// seconds (only while the tab is visible: React Query's default).

export type DeliveryStatus =
  | "received"
  | "rejected"
  | "duplicate"
  | "pending_dispatch"
  | "dispatched"
  | "failed";

export const DELIVERY_STATUSES: { value: DeliveryStatus; label: string; badge: BadgeVariant }[] = [
  { value: "dispatched", label: "Dispatched", badge: "completed" },
  { value: "pending_dispatch", label: "Pending dispatch", badge: "waiting" },
  { value: "received", label: "Received, no event", badge: "queued" },
  { value: "rejected", label: "Rejected", badge: "failed" },
  { value: "duplicate", label: "Duplicate", badge: "queued" },
  { value: "failed", label: "Failed", badge: "failed" },
];

export type DeliverySummary = {
  id: string;
  deliveryKey: string;
  status: DeliveryStatus;
  rejectionReason: string | null;
  receivedAt: string;
  dispatchedAt: string | null;
  dispatchAttempts: number;
  eventCount: number;
  runCount: number;
};

export type RunStatus = "queued" | "running" | "waiting" | "completed" | "failed" | "cancelled";

export type DeliveryEvent = {
  id: string;
  type: string;
  sequence: number;
  occurredAt: string;
  createdAt: string;
  dispatchedAt: string | null;
  employee: { id: string; name: string; email: string; department: string | null } | null;
  data: Record<string, unknown>;
  replay: { at: string; by: string } | null;
  runs: {
    id: string;
    status: RunStatus;
    isTest: boolean;
    createdAt: string;
    workflow: { id: string; name: string };
  }[];
};

export type DeliveryDetail = DeliverySummary & {
  headers: Record<string, string>;
  body: string;
  bodyBytes: number;
  bodyTruncated: boolean;
  replayable: boolean;
  events: DeliveryEvent[];
};

export type ReplayResult = {
  delivery: { id: string; status: DeliveryStatus };
  events: { id: string; type: string; sequence: number }[];
  dispatched: boolean;
};

type DeliveryPage = { deliveries: DeliverySummary[]; nextCursor: string | null };

const REFRESH_MS = 5_000;

export const deliveryKeys = {
  all: (slug: string, endpointId: string) =>
    ["org", slug, "webhook-endpoints", endpointId, "deliveries"] as const,
  list: (slug: string, endpointId: string, status: DeliveryStatus | null) =>
    [...deliveryKeys.all(slug, endpointId), "list", status] as const,
  one: (slug: string, endpointId: string, deliveryId: string) =>
    [...deliveryKeys.all(slug, endpointId), "one", deliveryId] as const,
};

const base = (endpointId: string) =>
  `/api/v1/webhook-endpoints/${encodeURIComponent(endpointId)}/deliveries`;

export function useDeliveries(slug: string, endpointId: string, status: DeliveryStatus | null) {
  return useInfiniteQuery({
    queryKey: deliveryKeys.list(slug, endpointId, status),
    queryFn: ({ pageParam }) =>
      apiFetch<DeliveryPage>(base(endpointId), {
        org: slug,
        query: { status: status ?? undefined, cursor: pageParam },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    // Keep the current rows on screen while another filter loads.
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });
}

export function useDelivery(slug: string, endpointId: string, deliveryId: string | null) {
  return useQuery({
    queryKey: deliveryKeys.one(slug, endpointId, deliveryId ?? ""),
    queryFn: () =>
      apiFetch<{ delivery: DeliveryDetail }>(
        `${base(endpointId)}/${encodeURIComponent(deliveryId ?? "")}`,
        { org: slug },
      ),
    select: (data) => data.delivery,
    enabled: deliveryId !== null,
    refetchInterval: REFRESH_MS,
  });
}

export function useReplayDelivery(slug: string, endpointId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (deliveryId: string) =>
      apiFetch<ReplayResult>(`${base(endpointId)}/${encodeURIComponent(deliveryId)}/replay`, {
        org: slug,
        method: "POST",
      }),
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: deliveryKeys.all(slug, endpointId) }),
        queryClient.invalidateQueries({ queryKey: auditLogKeys.all(slug) }),
      ]),
  });
}
