"use client";

import { KeySquareIcon, LockIcon, PlusIcon } from "lucide-react";
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
import { ConfirmDialog } from "./confirm-dialog";
import { CredentialDialog } from "./credential-dialog";
import {
  type Credential,
  type CredentialKindDescription,
  useCredentialKinds,
  useCredentials,
  useDeleteCredential,
} from "./credential-queries";

// Settings → Credentials: what the organisation's workflows can sign in
// with. Editors and above see the list (metadata and a masked hint, never a
// secret); owners and admins add, edit, replace secrets and delete.

export function CredentialsSettings() {
  const { organization, can } = useOrg();
  const readable = can("credentials:read");
  const manageable = can("credentials:manage");
  const credentials = useCredentials(organization.slug, { enabled: readable });
  const kinds = useCredentialKinds(organization.slug, { enabled: readable });

  if (!readable) {
    return (
      <Card>
        <CardHeader>
          <CardTitle className="flex items-center gap-2">
            <LockIcon aria-hidden="true" className="size-4 text-muted-foreground" />
            Credentials are visible to editors, admins and owners
          </CardTitle>
          <CardDescription>
            Credentials let {organization.name}&apos;s workflows use Slack, email, AI and other
            services. Ask an owner or admin if a workflow needs one.
          </CardDescription>
        </CardHeader>
      </Card>
    );
  }

  const query = credentials.isError ? credentials : kinds;
  return (
    <Card>
      <CardHeader className="sm:flex-row sm:items-start sm:justify-between">
        <div className="grid gap-1.5">
          <CardTitle>Credentials</CardTitle>
          <CardDescription>
            Secrets your workflows use to reach other services. They are encrypted, and after saving
            only a masked hint is ever shown.
          </CardDescription>
        </div>
        {manageable && kinds.data && (
          <CredentialDialog
            mode={{ type: "create" }}
            kinds={kinds.data}
            trigger={
              <Button>
                <PlusIcon aria-hidden="true" />
                Add credential
              </Button>
            }
          />
        )}
      </CardHeader>
      <CardContent>
        {credentials.isPending || kinds.isPending ? (
          <LoadingState label="Loading credentials…" />
        ) : credentials.isError || kinds.isError ? (
          <LoadError
            title="Could not load the credentials"
            error={query.error}
            onRetry={() => {
              void credentials.refetch();
              void kinds.refetch();
            }}
          />
        ) : credentials.data.length === 0 ? (
          <p className="flex items-center gap-2 py-6 text-sm text-muted-foreground">
            <KeySquareIcon aria-hidden="true" className="size-4" />
            No credentials yet.
          </p>
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead>Secret</TableHead>
                <TableHead>Allowed hosts</TableHead>
                <TableHead>Updated</TableHead>
                {manageable && (
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                )}
              </TableRow>
            </TableHeader>
            <TableBody>
              {credentials.data.map((credential) => (
                <CredentialRow
                  key={credential.id}
                  credential={credential}
                  kinds={kinds.data}
                  manageable={manageable}
                />
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function allowedHostsOf(credential: Credential): string[] | null {
  const hosts = credential.settings.allowedHosts;
  return Array.isArray(hosts)
    ? hosts.filter((host): host is string => typeof host === "string")
    : null;
}

function CredentialRow({
  credential,
  kinds,
  manageable,
}: {
  credential: Credential;
  kinds: CredentialKindDescription[];
  manageable: boolean;
}) {
  const { organization } = useOrg();
  const remove = useDeleteCredential(organization.slug);
  const kind = kinds.find((candidate) => candidate.kind === credential.kind);
  const hosts = allowedHostsOf(credential);
  const who = <span className="sr-only"> {credential.name}</span>;

  return (
    <TableRow data-testid="credential-row">
      <TableCell className="font-medium">{credential.name}</TableCell>
      <TableCell>
        <Badge variant="secondary">{kind?.label ?? credential.kind}</Badge>
      </TableCell>
      <TableCell>
        <code
          className="rounded bg-muted px-1.5 py-0.5 text-xs"
          title="Masked; the secret is never shown"
        >
          {credential.hint}
        </code>
      </TableCell>
      <TableCell className="max-w-56 text-muted-foreground">
        {hosts ? (
          <span className="break-words font-mono text-xs">{hosts.join(", ")}</span>
        ) : (
          <span>{kind?.label ?? credential.kind} steps only</span>
        )}
      </TableCell>
      <TableCell className="whitespace-nowrap text-muted-foreground">
        <DateTime value={credential.updatedAt} />
      </TableCell>
      {manageable && (
        <TableCell>
          <div className="flex justify-end gap-2">
            <CredentialDialog
              mode={{ type: "edit", credential }}
              kinds={kinds}
              trigger={
                <Button variant="outline" size="sm">
                  Edit{who}
                </Button>
              }
            />
            <CredentialDialog
              mode={{ type: "replace-secret", credential }}
              kinds={kinds}
              trigger={
                <Button variant="outline" size="sm">
                  Replace secret{who}
                </Button>
              }
            />
            <ConfirmDialog
              trigger={
                <Button variant="outline" size="sm">
                  Delete{who}
                </Button>
              }
              title={`Delete “${credential.name}”?`}
              description="Workflow steps that use it will fail until they are given another credential. The secret is destroyed; this cannot be undone."
              confirmLabel="Delete credential"
              pending={remove.isPending}
              onConfirm={() =>
                remove.mutateAsync(credential.id).then(
                  () =>
                    toast({ title: `Credential “${credential.name}” deleted`, variant: "success" }),
                  (error: Error) =>
                    toast({
                      title: "Could not delete the credential",
                      description: error.message,
                      variant: "destructive",
                    }),
                )
              }
            />
          </div>
        </TableCell>
      )}
    </TableRow>
  );
}
