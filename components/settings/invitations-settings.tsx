"use client";

import { MailIcon, RotateCwIcon, XIcon } from "lucide-react";
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
import { canGrant } from "@/lib/permissions";
import { InviteForm } from "./invite-form";
import {
  type Invitation,
  type InvitationStatus,
  useInvitations,
  useResendInvitation,
  useRevokeInvitation,
} from "./queries";
import { ROLE_LABELS } from "./roles";

const STATUS_BADGES: Record<InvitationStatus, { label: string; variant: BadgeVariant }> = {
  pending: { label: "Pending", variant: "waiting" },
  accepted: { label: "Accepted", variant: "completed" },
  expired: { label: "Expired", variant: "queued" },
  revoked: { label: "Revoked", variant: "cancelled" },
};

export function InvitationsSettings() {
  const { organization, can } = useOrg();
  const invitations = useInvitations(organization.slug);

  return (
    <div className="flex min-w-0 flex-col gap-6">
      {can("members:invite") && (
        <Card>
          <CardHeader>
            <CardTitle>Invite someone</CardTitle>
            <CardDescription>
              They get an email with a link to join {organization.name}.
            </CardDescription>
          </CardHeader>
          <CardContent>
            <InviteForm />
          </CardContent>
        </Card>
      )}
      <Card>
        <CardHeader>
          <CardTitle>Invitations</CardTitle>
          <CardDescription>Sent invitations and whether they were accepted.</CardDescription>
        </CardHeader>
        <CardContent>
          {invitations.isPending ? (
            <LoadingState label="Loading invitations…" />
          ) : invitations.isError ? (
            <LoadError
              title="Could not load the invitations"
              error={invitations.error}
              onRetry={() => invitations.refetch()}
            />
          ) : invitations.data.length === 0 ? (
            <p className="flex items-center gap-2 py-6 text-sm text-muted-foreground">
              <MailIcon aria-hidden="true" className="size-4" />
              No invitations have been sent yet.
            </p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Email</TableHead>
                  <TableHead>Role</TableHead>
                  <TableHead>Status</TableHead>
                  <TableHead>Sent</TableHead>
                  <TableHead>Expires</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {invitations.data.map((invitation) => (
                  <InvitationRow key={invitation.id} invitation={invitation} />
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function InvitationRow({ invitation }: { invitation: Invitation }) {
  const { organization, role: myRole, can } = useOrg();
  const revoke = useRevokeInvitation(organization.slug);
  const resend = useResendInvitation(organization.slug);
  const status = STATUS_BADGES[invitation.status];
  const open = invitation.status === "pending" || invitation.status === "expired";
  const mayManage = open && can("members:invite") && canGrant(myRole, invitation.role);
  const busy = revoke.isPending || resend.isPending;

  const reportFailure = (title: string) => (error: Error) =>
    toast({ title, description: error.message, variant: "destructive" });

  return (
    <TableRow data-testid={`invitation-${invitation.email}`}>
      <TableCell className="font-medium">{invitation.email}</TableCell>
      <TableCell>{ROLE_LABELS[invitation.role]}</TableCell>
      <TableCell>
        <Badge variant={status.variant}>{status.label}</Badge>
      </TableCell>
      <TableCell className="text-muted-foreground">
        <DateTime value={invitation.createdAt} />
      </TableCell>
      <TableCell className="text-muted-foreground">
        {open ? <DateTime value={invitation.expiresAt} /> : "—"}
      </TableCell>
      <TableCell>
        {mayManage && (
          <div className="flex justify-end gap-2">
            <Button
              variant="outline"
              size="sm"
              disabled={busy}
              onClick={() =>
                resend.mutate(invitation.id, {
                  onSuccess: () =>
                    toast({
                      title: `Invitation sent again to ${invitation.email}`,
                      variant: "success",
                    }),
                  onError: reportFailure("Could not resend the invitation"),
                })
              }
            >
              <RotateCwIcon aria-hidden="true" />
              Resend
            </Button>
            <Button
              variant="outline"
              size="sm"
              disabled={busy}
              onClick={() =>
                revoke.mutate(invitation.id, {
                  onSuccess: () => toast({ title: `Invitation to ${invitation.email} revoked` }),
                  onError: reportFailure("Could not revoke the invitation"),
                })
              }
            >
              <XIcon aria-hidden="true" />
              Revoke
            </Button>
          </div>
        )}
      </TableCell>
    </TableRow>
  );
}
