"use client";

import { LogOutIcon, UserMinusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
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
import { canGrant } from "@/lib/permissions";
import { ConfirmDialog } from "./confirm-dialog";
import { type Member, useChangeMemberRole, useMembers, useRemoveMember } from "./queries";
import { RoleSelect } from "./role-select";
import { grantableRoles, ROLE_LABELS } from "./roles";

export function MembersSettings() {
  const { organization } = useOrg();
  const members = useMembers(organization.slug);

  return (
    <Card>
      <CardHeader>
        <CardTitle>Members</CardTitle>
        <CardDescription>
          Everyone with access to {organization.name}, and what their role lets them do.
        </CardDescription>
      </CardHeader>
      <CardContent>
        {members.isPending ? (
          <LoadingState label="Loading members…" />
        ) : members.isError ? (
          <LoadError
            title="Could not load the members"
            error={members.error}
            onRetry={() => members.refetch()}
          />
        ) : (
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead>Email</TableHead>
                <TableHead>Role</TableHead>
                <TableHead>Joined</TableHead>
                <TableHead>
                  <span className="sr-only">Actions</span>
                </TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {members.data.map((member) => (
                <MemberRow key={member.id} member={member} />
              ))}
            </TableBody>
          </Table>
        )}
      </CardContent>
    </Card>
  );
}

function MemberRow({ member }: { member: Member }) {
  const router = useRouter();
  const { organization, role: myRole, user, can } = useOrg();
  const changeRole = useChangeMemberRole(organization.slug);
  const remove = useRemoveMember(organization.slug);

  const isYou = member.user.id === user.id;
  // Your own role is changed by another owner or admin, so one click cannot lock you out.
  const mayChangeRole = !isYou && can("members:update") && canGrant(myRole, member.role);
  const mayRemove = !isYou && can("members:remove") && canGrant(myRole, member.role);
  const displayName = member.user.name ?? member.user.email;
  const shownRole =
    changeRole.isPending && changeRole.variables ? changeRole.variables.role : member.role;

  function reportFailure(title: string) {
    return (error: Error) => toast({ title, description: error.message, variant: "destructive" });
  }

  return (
    <TableRow data-testid={`member-${member.user.email}`}>
      <TableCell className="font-medium">
        {member.user.name ?? <span className="text-muted-foreground">—</span>}
        {isYou && <span className="ml-1.5 font-normal text-muted-foreground">(you)</span>}
      </TableCell>
      <TableCell>{member.user.email}</TableCell>
      <TableCell>
        {mayChangeRole ? (
          <RoleSelect
            aria-label={`Role for ${member.user.email}`}
            value={shownRole}
            roles={grantableRoles(myRole)}
            disabled={changeRole.isPending}
            onValueChange={(role) =>
              changeRole.mutate(
                { membershipId: member.id, role },
                {
                  onSuccess: () =>
                    toast({
                      title: "Role changed",
                      description: `${member.user.email} is now ${ROLE_LABELS[role].toLowerCase()}.`,
                      variant: "success",
                    }),
                  onError: reportFailure("Could not change the role"),
                },
              )
            }
          />
        ) : (
          <Badge variant="outline">{ROLE_LABELS[member.role]}</Badge>
        )}
      </TableCell>
      <TableCell className="text-muted-foreground">
        <DateTime value={member.createdAt} format="date" />
      </TableCell>
      <TableCell className="text-right">
        {isYou ? (
          <ConfirmDialog
            trigger={
              <Button variant="outline" size="sm">
                <LogOutIcon aria-hidden="true" />
                Leave organisation
              </Button>
            }
            title={`Leave ${organization.name}?`}
            description="You will lose access to its workflows, runs and settings until someone invites you again."
            confirmLabel="Leave organisation"
            pending={remove.isPending}
            onConfirm={() =>
              remove.mutateAsync(member.id).then(() => {
                toast({ title: `You left ${organization.name}` });
                router.replace("/app");
                router.refresh();
              }, reportFailure("Could not leave the organisation"))
            }
          />
        ) : (
          mayRemove && (
            <ConfirmDialog
              trigger={
                <Button variant="outline" size="sm">
                  <UserMinusIcon aria-hidden="true" />
                  Remove
                </Button>
              }
              title={`Remove ${displayName}?`}
              description={`${member.user.email} will lose access to ${organization.name} immediately.`}
              confirmLabel="Remove member"
              pending={remove.isPending}
              onConfirm={() =>
                // Promise callbacks, not mutate options: the row unmounts once the list refetches.
                remove
                  .mutateAsync(member.id)
                  .then(
                    () => toast({ title: `Removed ${member.user.email}`, variant: "success" }),
                    reportFailure("Could not remove the member"),
                  )
              }
            />
          )
        )}
      </TableCell>
    </TableRow>
  );
}
