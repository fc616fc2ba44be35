"use client";

import { InboxIcon } from "lucide-react";
import { useId, useState } from "react";
import { EmptyState } from "@/components/app-shell/empty-state";
import { useOrg } from "@/components/org/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Label } from "@/components/ui/label";
import { LoadError, LoadingState } from "@/components/ui/query-state";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { DeliveryDetailDialog, DeliveryStatusBadge } from "./delivery-detail";
import {
  DELIVERY_STATUSES,
  type DeliveryStatus,
  type DeliverySummary,
  useDeliveries,
} from "./delivery-queries";

// An endpoint's delivery log: every POST to its URL, newest first, with
// whether it verified (and why not), how many lifecycle events it became and
// how many runs those started. Selecting one opens it (mirrored in
// ?delivery= so a reload or a shared link lands on it).

export type DeliveryLogEndpoint = {
  id: string;
  name: string;
  sourceLabel: string;
  url: string;
  enabled: boolean;
};

/** The statuses ingest writes; the filter offers these. */
const FILTERABLE: DeliveryStatus[] = ["dispatched", "pending_dispatch", "received", "rejected"];

function mirrorSelection(deliveryId: string | null) {
  const url = new URL(window.location.href);
  if (deliveryId) url.searchParams.set("delivery", deliveryId);
  else url.searchParams.delete("delivery");
  window.history.replaceState(window.history.state, "", url);
}

export function DeliveryLog({
  endpoint,
  initialDeliveryId,
}: {
  endpoint: DeliveryLogEndpoint;
  initialDeliveryId: string | null;
}) {
  const { organization } = useOrg();
  const ids = useId();
  const [status, setStatus] = useState<DeliveryStatus | null>(null);
  const [selected, setSelected] = useState<string | null>(initialDeliveryId);
  const log = useDeliveries(organization.slug, endpoint.id, status);
  const deliveries = log.data?.pages.flatMap((page) => page.deliveries) ?? [];
  const statusLabel = DELIVERY_STATUSES.find((entry) => entry.value === status)?.label;

  function select(deliveryId: string | null) {
    setSelected(deliveryId);
    mirrorSelection(deliveryId);
  }

  return (
    <div className="flex min-w-0 flex-col gap-4">
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <Badge variant="secondary">{endpoint.sourceLabel}</Badge>
        <Badge variant={endpoint.enabled ? "completed" : "cancelled"}>
          {endpoint.enabled ? "Enabled" : "Disabled"}
        </Badge>
        <code
          className="min-w-0 break-all rounded bg-muted px-1.5 py-0.5 text-xs"
          title="Where the sender posts"
        >
          {endpoint.url}
        </code>
      </div>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div className="grid gap-1.5">
          <Label htmlFor={`${ids}-status`}>Status</Label>
          <select
            id={`${ids}-status`}
            value={status ?? ""}
            onChange={(event) => setStatus((event.target.value || null) as DeliveryStatus | null)}
            className="h-9 w-52 rounded-md border border-input bg-background px-2.5 text-sm shadow-xs focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40"
          >
            <option value="">All deliveries</option>
            {DELIVERY_STATUSES.filter((entry) => FILTERABLE.includes(entry.value)).map((entry) => (
              <option key={entry.value} value={entry.value}>
                {entry.label}
              </option>
            ))}
          </select>
        </div>
        <p className="text-sm text-muted-foreground" aria-live="polite">
          {log.isSuccess &&
            (log.isPlaceholderData
              ? "Updating…"
              : `Showing ${deliveries.length} ${deliveries.length === 1 ? "delivery" : "deliveries"}${
                  log.hasNextPage ? " (more available)" : ""
                } · refreshes every 5 s`)}
        </p>
      </div>
      {log.isPending ? (
        <LoadingState label="Loading deliveries…" />
      ) : log.isError ? (
        <LoadError
          title="Could not load the deliveries"
          error={log.error}
          onRetry={() => log.refetch()}
        />
      ) : deliveries.length === 0 ? (
        <EmptyState
          icon={InboxIcon}
          title={statusLabel ? `No deliveries with status “${statusLabel}”` : "No deliveries yet"}
          description={
            statusLabel
              ? "Choose another status to see the rest of the log."
              : "Deliveries posted to this endpoint's URL appear here within seconds, valid or not."
          }
        />
      ) : (
        <div className="rounded-xl border bg-card shadow-xs">
          <DeliveryTable deliveries={deliveries} selected={selected} onSelect={select} />
          {log.hasNextPage && (
            <div className="flex justify-center border-t p-3">
              <Button
                variant="outline"
                onClick={() => log.fetchNextPage()}
                disabled={log.isFetchingNextPage}
              >
                {log.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          )}
        </div>
      )}
      <DeliveryDetailDialog
        endpoint={endpoint}
        deliveryId={selected}
        onClose={() => select(null)}
      />
    </div>
  );
}

function DeliveryTable({
  deliveries,
  selected,
  onSelect,
}: {
  deliveries: DeliverySummary[];
  selected: string | null;
  onSelect: (deliveryId: string) => void;
}) {
  return (
    <Table>
      <caption className="sr-only">Deliveries to this endpoint, newest first</caption>
      <TableHeader>
        <TableRow>
          <TableHead>Received</TableHead>
          <TableHead>Status</TableHead>
          <TableHead>Delivery id</TableHead>
          <TableHead className="text-right">Events</TableHead>
          <TableHead className="text-right">Runs</TableHead>
          <TableHead>
            <span className="sr-only">Details</span>
          </TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {deliveries.map((delivery) => (
          <TableRow
            key={delivery.id}
            data-testid="delivery-row"
            className={cn("align-top", selected === delivery.id && "bg-muted/60")}
          >
            <TableCell className="whitespace-nowrap text-muted-foreground">
              <DateTime value={delivery.receivedAt} format="precise" />
            </TableCell>
            <TableCell className="max-w-72 whitespace-normal">
              <DeliveryStatusBadge status={delivery.status} />
              {delivery.rejectionReason && (
                <p
                  className="mt-1 line-clamp-2 text-xs text-muted-foreground"
                  title={delivery.rejectionReason}
                >
                  {delivery.rejectionReason}
                </p>
              )}
            </TableCell>
            <TableCell>
              {delivery.status === "rejected" ? (
                // A rejected delivery was never verified, so its id was never trusted.
                <span className="text-muted-foreground" title="Not verified">
                  —
                </span>
              ) : (
                <code className="block max-w-56 truncate text-xs" title={delivery.deliveryKey}>
                  {delivery.deliveryKey}
                </code>
              )}
            </TableCell>
            <TableCell className="text-right tabular-nums">{delivery.eventCount}</TableCell>
            <TableCell className="text-right tabular-nums">{delivery.runCount}</TableCell>
            <TableCell className="text-right">
              <Button variant="outline" size="sm" onClick={() => onSelect(delivery.id)}>
                View
                <span className="sr-only">
                  {" "}
                  delivery received <DateTime value={delivery.receivedAt} format="precise" />
                </span>
              </Button>
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
