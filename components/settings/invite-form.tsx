"use client";

import { SendIcon } from "lucide-react";
import { type FormEvent, useId, useRef, useState } from "react";
import { useOrg } from "@/components/org/org-context";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api-client";
import type { Role } from "@/lib/permissions";
import { useCreateInvitation } from "./queries";
import { RoleSelect } from "./role-select";
import { grantableRoles } from "./roles";

/** Rendered only for roles with members:invite; offers only the roles they may grant. */
export function InviteForm() {
  const { organization, role: myRole } = useOrg();
  const ids = useId();
  const roles = grantableRoles(myRole);
  const [email, setEmail] = useState("");
  // Least privilege by default; the inviter raises it deliberately.
  const [role, setRole] = useState<Role>("viewer");
  const emailInput = useRef<HTMLInputElement>(null);
  const invite = useCreateInvitation(organization.slug);

  const apiError = invite.error instanceof ApiError ? invite.error : null;
  const emailError = apiError?.issueFor("email");
  const roleError = apiError?.issueFor("role");

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const address = email.trim();
    invite.mutate(
      { email: address, role },
      {
        onSuccess: ({ invitation }) => {
          toast({ title: `Invitation sent to ${invitation.email}`, variant: "success" });
          setEmail("");
          emailInput.current?.focus();
        },
        onError: (error) => {
          if (error instanceof ApiError && (error.issueFor("email") || error.issueFor("role"))) {
            emailInput.current?.focus();
            return;
          }
          toast({
            title: "Could not send the invitation",
            description: error.message,
            variant: "destructive",
          });
        },
      },
    );
  }

  return (
    <form
      data-testid="invite-form"
      aria-label="Invite a member"
      onSubmit={onSubmit}
      noValidate
      className="flex flex-col gap-4 sm:flex-row sm:items-start"
    >
      <div className="grid flex-1 gap-2">
        <Label htmlFor={`${ids}-email`}>Email address</Label>
        <Input
          ref={emailInput}
          id={`${ids}-email`}
          type="email"
          name="email"
          autoComplete="off"
          placeholder="name@company.com"
          required
          value={email}
          onChange={(event) => {
            setEmail(event.target.value);
            if (invite.isError) invite.reset();
          }}
          aria-invalid={emailError ? true : undefined}
          aria-describedby={emailError ? `${ids}-email-error` : undefined}
        />
        <FieldError id={`${ids}-email-error`} label="The email address" message={emailError} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-role`}>Role</Label>
        <RoleSelect
          id={`${ids}-role`}
          name="role"
          value={role}
          roles={roles}
          onValueChange={setRole}
          aria-invalid={roleError ? true : undefined}
          aria-describedby={roleError ? `${ids}-role-error` : undefined}
        />
        <FieldError id={`${ids}-role-error`} label="The role" message={roleError} />
      </div>
      <Button type="submit" className="sm:mt-6" disabled={invite.isPending || !email.trim()}>
        <SendIcon aria-hidden="true" />
        {invite.isPending ? "Sending…" : "Send invitation"}
      </Button>
    </form>
  );
}
