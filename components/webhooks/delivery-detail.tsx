"use client";

import { RotateCcwIcon } from "lucide-react";
import Link from "next/link";
import { useOrg } from "@/components/org/org-context";
import { ConfirmDialog } from "@/components/settings/confirm-dialog";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { LoadError, LoadingState } from "@/components/ui/query-state";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { toast } from "@/components/ui/toast";
import {
  DELIVERY_STATUSES,
  type DeliveryDetail,
  type DeliveryEvent,
  type DeliveryStatus,
  useDelivery,
  useReplayDelivery,
} from "./delivery-queries";

// One delivery, opened from the log: what the sender sent (headers, body),
// what OfficeFlow made of it (lifecycle events) and what that started
// (runs). Owners and admins can replay a verified delivery, which starts
// the matching workflows again.

export function DeliveryStatusBadge({ status }: { status: DeliveryStatus }) {
  const known = DELIVERY_STATUSES.find((candidate) => candidate.value === status);
  return <Badge variant={known?.badge ?? "outline"}>{known?.label ?? status}</Badge>;
}

type DeliveryDetailDialogProps = {
  endpoint: { id: string; enabled: boolean };
  /** The delivery to show; null closes the dialog. */
  deliveryId: string | null;
  onClose: () => void;
};

export function DeliveryDetailDialog({ endpoint, deliveryId, onClose }: DeliveryDetailDialogProps) {
  const { organization } = useOrg();
  const delivery = useDelivery(organization.slug, endpoint.id, deliveryId);
  return (
    <Dialog open={deliveryId !== null} onOpenChange={(open) => !open && onClose()}>
      <DialogContent className="max-w-4xl sm:max-w-4xl">
        {delivery.isPending ? (
          <>
            <DialogTitle className="sr-only">Delivery</DialogTitle>
            <LoadingState label="Loading the delivery…" />
          </>
        ) : delivery.isError ? (
          <>
            <DialogTitle className="sr-only">Delivery</DialogTitle>
            <LoadError
              title="Could not load the delivery"
              error={delivery.error}
              onRetry={() => delivery.refetch()}
              className="mt-6"
            />
          </>
        ) : (
          <DeliveryDetailBody delivery={delivery.data} endpoint={endpoint} />
        )}
      </DialogContent>
    </Dialog>
  );
}

function DeliveryDetailBody({
  delivery,
  endpoint,
}: {
  delivery: DeliveryDetail;
  endpoint: { id: string; enabled: boolean };
}) {
  return (
    <>
      <DialogHeader className="pr-8">
        <div className="flex flex-wrap items-start justify-between gap-3">
          <div className="grid min-w-0 gap-1.5">
            <DialogTitle className="flex flex-wrap items-center gap-2">
              Delivery
              <DeliveryStatusBadge status={delivery.status} />
            </DialogTitle>
            <DialogDescription className="grid gap-1">
              <span>
                Received <DateTime value={delivery.receivedAt} format="precise" />
                {delivery.dispatchedAt && (
                  <>
                    {" · "}
                    {delivery.dispatchAttempts > 1 ? "last sent" : "sent"} to the engine{" "}
                    <DateTime value={delivery.dispatchedAt} format="precise" />
                  </>
                )}
              </span>
              <code className="break-all text-xs" title="The sender's delivery id">
                {delivery.deliveryKey}
              </code>
            </DialogDescription>
          </div>
          <ReplayButton delivery={delivery} endpoint={endpoint} />
        </div>
        {delivery.rejectionReason && (
          <p
            role="note"
            className="rounded-md border border-destructive/30 bg-destructive/5 p-3 text-sm"
          >
            <span className="font-medium">Why it was rejected:</span> {delivery.rejectionReason}
          </p>
        )}
      </DialogHeader>
      <Tabs defaultValue="events" className="min-w-0">
        <TabsList>
          <TabsTrigger value="events">Events ({delivery.events.length})</TabsTrigger>
          <TabsTrigger value="body">Body</TabsTrigger>
          <TabsTrigger value="headers">
            Headers ({Object.keys(delivery.headers).length})
          </TabsTrigger>
        </TabsList>
        <TabsContent value="events">
          <DeliveryEvents delivery={delivery} />
        </TabsContent>
        <TabsContent value="body">
          <DeliveryBody delivery={delivery} />
        </TabsContent>
        <TabsContent value="headers">
          <DeliveryHeaders headers={delivery.headers} />
        </TabsContent>
      </Tabs>
    </>
  );
}

function ReplayButton({
  delivery,
  endpoint,
}: {
  delivery: DeliveryDetail;
  endpoint: { id: string; enabled: boolean };
}) {
  const { organization, can } = useOrg();
  const replay = useReplayDelivery(organization.slug, endpoint.id);
  if (!can("webhooks:manage")) return null;
  if (!delivery.replayable)
    return (
      <p className="max-w-56 text-xs text-muted-foreground">
        A rejected delivery was never verified and cannot be replayed.
      </p>
    );
  if (!endpoint.enabled)
    return (
      <p className="max-w-56 text-xs text-muted-foreground">
        Enable the endpoint to replay its deliveries.
      </p>
    );
  return (
    <ConfirmDialog
      trigger={
        <Button variant="outline" size="sm">
          <RotateCcwIcon aria-hidden="true" />
          Replay
        </Button>
      }
      title="Replay this delivery?"
      description={
        <>
          OfficeFlow reads the stored body again with this endpoint&apos;s current settings and
          stores the result as new lifecycle events.{" "}
          <strong>Every matching published workflow starts again</strong>: accounts, messages and
          emails its steps create or send are created or sent a second time.
        </>
      }
      confirmLabel="Replay and start workflows"
      pending={replay.isPending}
      onConfirm={() =>
        replay.mutateAsync(delivery.id).then(
          (result) =>
            toast({
              title: `Delivery replayed: ${result.events.length} new ${
                result.events.length === 1 ? "event" : "events"
              }`,
              description: result.dispatched
                ? "Matching workflows are starting."
                : "The workflow engine did not answer; the events are stored and will be sent within a minute.",
              variant: "success",
            }),
          (error: Error) =>
            toast({
              title: "Could not replay the delivery",
              description: error.message,
              variant: "destructive",
            }),
        )
      }
    />
  );
}

function DeliveryEvents({ delivery }: { delivery: DeliveryDetail }) {
  if (delivery.events.length === 0)
    return (
      <p className="py-4 text-sm text-muted-foreground">
        {delivery.status === "rejected"
          ? "A rejected delivery starts nothing."
          : "This delivery yielded no lifecycle event (the endpoint's accepted event types left none)."}
      </p>
    );
  return (
    <ol className="grid gap-3" aria-label="Lifecycle events">
      {delivery.events.map((event) => (
        <EventItem key={event.id} event={event} />
      ))}
    </ol>
  );
}

function EventItem({ event }: { event: DeliveryEvent }) {
  const { organization } = useOrg();
  return (
    <li className="grid gap-3 rounded-lg border p-3 text-sm" data-testid="delivery-event">
      <div className="flex flex-wrap items-center gap-2">
        <code className="rounded bg-muted px-1.5 py-0.5 text-xs font-medium">{event.type}</code>
        {event.replay ? (
          <Badge variant="secondary">
            Replay by {event.replay.by}, <DateTime value={event.replay.at} />
          </Badge>
        ) : (
          <Badge variant="outline">As received</Badge>
        )}
        <span className="text-xs text-muted-foreground">
          {event.dispatchedAt ? (
            <>
              Sent to the engine <DateTime value={event.dispatchedAt} format="precise" />
            </>
          ) : (
            "Waiting to be sent to the engine"
          )}
        </span>
      </div>
      {event.employee && (
        <p>
          <span className="font-medium">{event.employee.name}</span>{" "}
          <span className="text-muted-foreground">
            {event.employee.email} · id {event.employee.id}
            {event.employee.department && ` · ${event.employee.department}`}
          </span>
        </p>
      )}
      <div className="grid gap-1">
        <h3 className="text-xs font-medium text-muted-foreground">Runs started</h3>
        {event.runs.length === 0 ? (
          <p className="text-muted-foreground">
            {event.dispatchedAt ? "No published workflow matched this event." : "None yet."}
          </p>
        ) : (
          <ul className="grid gap-1">
            {event.runs.map((run) => (
              <li key={run.id} className="flex flex-wrap items-center gap-2">
                <Link
                  href={`/o/${organization.slug}/runs/${run.id}`}
                  prefetch={false}
                  className="font-medium text-primary underline-offset-4 hover:underline"
                >
                  {run.workflow.name}
                  <span className="sr-only"> run</span>
                </Link>
                <Badge variant={run.status}>{run.status}</Badge>
                <span className="text-xs text-muted-foreground">
                  <DateTime value={run.createdAt} format="precise" />
                </span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <details>
        <summary className="cursor-pointer text-xs text-muted-foreground">
          Normalised event data
        </summary>
        <pre className="mt-2 max-h-48 overflow-auto rounded-md bg-muted p-2 text-xs">
          {JSON.stringify(event.data, null, 2)}
        </pre>
      </details>
    </li>
  );
}

/** Pretty-printed when it is complete JSON; as received otherwise (a cut body does not parse). */
function displayBody(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

const kib = (bytes: number) => `${Math.ceil(bytes / 1024)} KiB`;

function DeliveryBody({ delivery }: { delivery: DeliveryDetail }) {
  if (delivery.status === "rejected")
    return (
      <p className="py-4 text-sm text-muted-foreground">
        The body of a rejected delivery is not kept: anyone who knows the URL can post to it.
      </p>
    );
  return (
    <div className="grid gap-2">
      {delivery.bodyTruncated && (
        <p role="note" className="text-xs text-muted-foreground">
          Showing the first {kib(new TextEncoder().encode(delivery.body).length)} of{" "}
          {kib(delivery.bodyBytes)}; the rest is stored but not shown.
        </p>
      )}
      <section
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll container must be focusable to scroll without a mouse
        tabIndex={0}
        aria-label="Raw body"
        className="max-h-[45vh] overflow-auto rounded-md bg-muted focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
      >
        <pre className="p-3 text-xs">{displayBody(delivery.body)}</pre>
      </section>
    </div>
  );
}

function DeliveryHeaders({ headers }: { headers: Record<string, string> }) {
  const entries = Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
  return (
    <div className="grid gap-2">
      <p className="text-xs text-muted-foreground">
        Signatures, secrets, tokens and cookies are never stored.
      </p>
      <dl className="grid grid-cols-[minmax(8rem,max-content)_1fr] gap-x-4 gap-y-1 text-xs">
        {entries.map(([name, value]) => (
          <div key={name} className="contents">
            <dt className="font-mono text-muted-foreground">{name}</dt>
            <dd className="min-w-0 break-all font-mono">{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
