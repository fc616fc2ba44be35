"use client";

import { LockIcon, WebhookIcon } from "lucide-react";
import Link from "next/link";
import { useOrg } from "@/components/org/org-context";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { LoadError, LoadingState } from "@/components/ui/query-state";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { toast } from "@/components/ui/toast";
import { cn } from "@/lib/cn";
import { ConfirmDialog } from "./confirm-dialog";
import { CreateWebhookEndpointDialog, sourceLabel } from "./webhook-endpoint-dialog";
import {
  useDeleteWebhookEndpoint,
  useUpdateWebhookEndpoint,
  useWebhookEndpoints,
  type WebhookEndpoint,
} from "./webhook-queries";
import { RotateSecretDialog } from "./webhook-rotate-dialog";
import { CopyButton } from "./webhook-secret-panel";

// Settings → Webhooks: the addresses the organisation's HR systems post
// lifecycle events to. Owners and admins only (webhooks:manage), for reads
// too: an endpoint's settings map the organisation's integrations. Secrets
// appear once, in the create and rotate dialogs; the list shows a hint.

export function WebhookEndpointsSettings() {
  const { organization, can } = useOrg();
  const allowed = can("webhooks:manage");
  const endpoints = useWebhookEndpoints(organization.slug, { enabled: allowed });

  if (!allowed) {
    return (
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <LockIcon aria-hidden="true" className="size-4 text-muted-foreground" />
            Webhooks are managed by owners and admins
          </CardTitle>
          <CardDescription>
            Webhook endpoints let HR systems such as BambooHR start {organization.name}&apos;s
            workflows. Ask an owner or admin to connect one.
          </CardDescription>
        </CardHeader>
      </Card>
    );
  }

  return (
    <Card>
      <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1.5">
          <CardTitle>Webhooks</CardTitle>
          <CardDescription>
            Endpoints your HR systems post joiner, mover and leaver events to. Each delivery is
            checked against the endpoint&apos;s signing secret before a workflow starts.
          </CardDescription>
        </div>
        <CreateWebhookEndpointDialog />
      </CardHeader>
      <CardContent>
        {endpoints.isPending ? (
          <LoadingState label="Loading webhook endpoints…" />
        ) : endpoints.isError ? (
          <LoadError
            title="Could not load the webhook endpoints"
            error={endpoints.error}
            onRetry={() => endpoints.refetch()}
          />
        ) : endpoints.data.length === 0 ? (
          <p className="flex items-center gap-2 py-6 text-sm text-muted-foreground">
            <WebhookIcon aria-hidden="true" className="size-4" />
            No webhook endpoints yet.
          </p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Endpoint</TableHead>
                <TableHead>Source</TableHead>
                <TableHead>Secret</TableHead>
                <TableHead>Enabled</TableHead>
                <TableHead>Last delivery</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {endpoints.data.map((endpoint) => (
                <EndpointRow key={endpoint.id} endpoint={endpoint} />
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function EndpointRow({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { organization } = useOrg();
  const remove = useDeleteWebhookEndpoint(organization.slug);
  const who = <span className="sr-only"> {endpoint.name}</span>;

  return (
    <TableRow data-testid="webhook-endpoint-row">
      <TableCell className="min-w-64 whitespace-normal">
        <div className="grid gap-1">
          <Link
            href={`/o/${organization.slug}/settings/webhooks/${endpoint.id}`}
            // The delivery log is opened rarely; don't fetch one per row in advance.
            prefetch={false}
            className="font-medium text-primary underline-offset-4 hover:underline"
          >
            {endpoint.name}
            <span className="sr-only"> — delivery log</span>
          </Link>
          <div className="flex items-start gap-2">
            <code
              className="min-w-0 break-all rounded bg-muted px-1.5 py-0.5 text-xs"
              data-testid="webhook-endpoint-url"
            >
              {endpoint.url}
            </code>
            <CopyButton
              value={endpoint.url}
              label={`Copy URL of ${endpoint.name}`}
              what="URL"
              size="sm"
              iconOnly
            />
          </div>
        </div>
      </TableCell>
      <TableCell>
        <Badge variant="secondary">{sourceLabel(endpoint.sourceType)}</Badge>
      </TableCell>
      <TableCell className="whitespace-normal">
        <code
          className="whitespace-nowrap rounded bg-muted px-1.5 py-0.5 text-xs"
          title="Masked; the secret is shown only once"
        >
          {endpoint.secretHint}
        </code>
        {endpoint.previousSecretExpiresAt && (
          <p className="mt-1 text-xs text-muted-foreground">
            Old secret valid until <DateTime value={endpoint.previousSecretExpiresAt} />
          </p>
        )}
      </TableCell>
      <TableCell>
        <EnabledSwitch endpoint={endpoint} />
      </TableCell>
      <TableCell className="whitespace-normal text-muted-foreground">
        {endpoint.lastDeliveryAt ? <DateTime value={endpoint.lastDeliveryAt} /> : "Never"}
      </TableCell>
      <TableCell>
        <div className="flex flex-wrap justify-end gap-2">
          <RotateSecretDialog
            endpoint={endpoint}
            trigger={
              <Button variant="outline" size="sm">
                Rotate secret{who}
              </Button>
            }
          />
          <ConfirmDialog
            trigger={
              <Button variant="outline" size="sm">
                Delete{who}
              </Button>
            }
            title={`Delete “${endpoint.name}”?`}
            description="Deliveries to its URL will be refused and its delivery log is deleted. Workflow runs it started are kept. This cannot be undone."
            confirmLabel="Delete endpoint"
            pending={remove.isPending}
            onConfirm={() =>
              remove.mutateAsync(endpoint.id).then(
                () => toast({ title: `Endpoint “${endpoint.name}” deleted`, variant: "success" }),
                (error: Error) =>
                  toast({
                    title: "Could not delete the endpoint",
                    description: error.message,
                    variant: "destructive",
                  }),
              )
            }
          />
        </div>
      </TableCell>
    </TableRow>
  );
}

/** A switch (role="switch"): on accepts deliveries, off refuses them and keeps the settings. */
function EnabledSwitch({ endpoint }: { endpoint: WebhookEndpoint }) {
  const { organization } = useOrg();
  const update = useUpdateWebhookEndpoint(organization.slug);
  // Show the requested state while the change is on its way.
  const on = update.isPending ? Boolean(update.variables?.changes.enabled) : endpoint.enabled;

  function toggle() {
    update.mutate(
      { id: endpoint.id, changes: { enabled: !endpoint.enabled } },
      {
        onSuccess: ({ endpoint: saved }) =>
          toast({
            title: `Endpoint “${saved.name}” ${saved.enabled ? "enabled" : "disabled"}`,
            variant: "success",
          }),
        onError: (error) =>
          toast({
            title: "Could not change the endpoint",
            description: error.message,
            variant: "destructive",
          }),
      },
    );
  }

  return (
    <div className="flex items-center gap-2">
      <button
        type="button"
        role="switch"
        aria-checked={on}
        aria-label={`Accept deliveries for ${endpoint.name}`}
        disabled={update.isPending}
        onClick={toggle}
        className={cn(
          "relative inline-flex h-5 w-9 shrink-0 items-center rounded-full border-2 border-transparent transition-colors focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring focus-visible:ring-offset-2 focus-visible:ring-offset-background disabled:opacity-60",
          on ? "bg-primary" : "bg-input",
        )}
      >
        <span
          aria-hidden="true"
          className={cn(
            "block size-4 rounded-full bg-background shadow-sm transition-transform",
            on ? "translate-x-4" : "translate-x-0",
          )}
        />
      </button>
      <span className="text-xs text-muted-foreground" aria-hidden="true">
        {on ? "On" : "Off"}
      </span>
    </div>
  );
}
