"use client";

import { KeyRoundIcon, LockIcon } from "lucide-react";
import Link from "next/link";
import { useOrg } from "@/components/org/org-context";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
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
import { ConfirmDialog } from "./confirm-dialog";
import { CreateApiKeyDialog } from "./create-api-key-dialog";
import { type ApiKey, useApiKeys, useRevokeApiKey } from "./queries";
import { ROLE_LABELS } from "./roles";

type KeyStatus = "active" | "expired" | "revoked";

const STATUS_BADGES: Record<KeyStatus, { label: string; variant: BadgeVariant }> = {
  active: { label: "Active", variant: "completed" },
  expired: { label: "Expired", variant: "queued" },
  revoked: { label: "Revoked", variant: "cancelled" },
};

function statusOf(key: ApiKey, now = Date.now()): KeyStatus {
  if (key.revokedAt) return "revoked";
  if (key.expiresAt && new Date(key.expiresAt).getTime() <= now) return "expired";
  return "active";
}

const docsLink = (
  <Link href="/docs/api" className="font-medium text-primary underline-offset-4 hover:underline">
    API documentation
  </Link>
);

export function ApiKeysSettings() {
  const { organization, can } = useOrg();
  const allowed = can("api-keys:manage");
  const apiKeys = useApiKeys(organization.slug, { enabled: allowed });

  if (!allowed) {
    return (
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <LockIcon aria-hidden="true" className="size-4 text-muted-foreground" />
            API keys are managed by owners and admins
          </CardTitle>
          <CardDescription>
            API keys let your own systems, such as an HR platform, call the OfficeFlow REST API for{" "}
            {organization.name}. Ask an owner or admin if you need one. See the {docsLink}.
          </CardDescription>
        </CardHeader>
      </Card>
    );
  }

  return (
    <Card>
      <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1.5">
          <CardTitle>API keys</CardTitle>
          <CardDescription>
            Keys for calling the REST API from your own systems. See the {docsLink}.
          </CardDescription>
        </div>
        <CreateApiKeyDialog />
      </CardHeader>
      <CardContent>
        {apiKeys.isPending ? (
          <LoadingState label="Loading API keys…" />
        ) : apiKeys.isError ? (
          <LoadError
            title="Could not load the API keys"
            error={apiKeys.error}
            onRetry={() => apiKeys.refetch()}
          />
        ) : apiKeys.data.length === 0 ? (
          <p className="flex items-center gap-2 py-6 text-sm text-muted-foreground">
            <KeyRoundIcon aria-hidden="true" className="size-4" />
            No API keys yet.
          </p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Key</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Last used</TableHead>
                <TableHead>Expires</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {apiKeys.data.map((apiKey) => (
                <ApiKeyRow key={apiKey.id} apiKey={apiKey} />
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function ApiKeyRow({ apiKey }: { apiKey: ApiKey }) {
  const { organization } = useOrg();
  const revoke = useRevokeApiKey(organization.slug);
  const status = statusOf(apiKey);
  const badge = STATUS_BADGES[status];

  return (
    <TableRow data-testid={`api-key-${apiKey.prefix}`}>
      <TableCell className="font-medium">{apiKey.name}</TableCell>
      <TableCell>
        <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{apiKey.prefix}…</code>
      </TableCell>
      <TableCell>{ROLE_LABELS[apiKey.role]}</TableCell>
      <TableCell className="text-muted-foreground">
        {apiKey.lastUsedAt ? <DateTime value={apiKey.lastUsedAt} /> : "Never"}
      </TableCell>
      <TableCell className="text-muted-foreground">
        {apiKey.expiresAt ? <DateTime value={apiKey.expiresAt} format="date" /> : "Never"}
      </TableCell>
      <TableCell>
        <Badge variant={badge.variant}>{badge.label}</Badge>
      </TableCell>
      <TableCell className="text-right">
        {status !== "revoked" && (
          <ConfirmDialog
            trigger={
              <Button variant="outline" size="sm">
                Revoke
              </Button>
            }
            title={`Revoke “${apiKey.name}”?`}
            description={`Requests using ${apiKey.prefix}… will be refused immediately. This cannot be undone.`}
            confirmLabel="Revoke key"
            pending={revoke.isPending}
            onConfirm={() =>
              revoke.mutateAsync(apiKey.id).then(
                () => toast({ title: `API key “${apiKey.name}” revoked`, variant: "success" }),
                (error: Error) =>
                  toast({
                    title: "Could not revoke the key",
                    description: error.message,
                    variant: "destructive",
                  }),
              )
            }
          />
        )}
      </TableCell>
    </TableRow>
  );
}
