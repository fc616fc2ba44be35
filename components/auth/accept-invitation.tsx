"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api-client";
import { FormAlert } from "./form-alert";
import { formErrorsFrom } from "./form-errors";
import { InvitationAccountForm } from "./invitation-account-form";
import { SignOutButton } from "./sign-out-button";

/** The answer of POST /api/invitations/accept. */
export type AcceptedInvitation = {
  organization: { slug: string; name: string };
  createdAccount: boolean;
  email?: string;
};

/**
 * Who is looking at the invitation decides what they can do:
 * - "accept": signed in as the invited address;
 * - "wrong-account": signed in as someone else;
 * - "sign-in": signed out, and the invited address already has an account;
 * - "create-account": signed out, and there is no account yet.
 */
export type InvitationViewerState =
  | { kind: "accept" }
  | { kind: "wrong-account"; signedInEmail: string }
  | { kind: "sign-in" }
  | { kind: "create-account" };

export type AcceptInvitationProps = {
  token: string;
  email: string;
  organizationName: string;
  viewer: InvitationViewerState;
};

export function AcceptInvitation({
  token,
  email,
  organizationName,
  viewer,
}: AcceptInvitationProps) {
  const invitationPath = `/invitations/${encodeURIComponent(token)}`;
  switch (viewer.kind) {
    case "accept":
      return <AcceptButton token={token} organizationName={organizationName} />;
    case "wrong-account":
      return (
        <div className="grid gap-4 text-sm">
          <p>
            You’re signed in as <span className="font-medium">{viewer.signedInEmail}</span>, but
            this invitation is for <span className="font-medium">{email}</span>. Sign out, then sign
            in with the invited address to accept it.
          </p>
          <SignOutButton variant="outline" callbackUrl={invitationPath} className="w-fit">
            Sign out and switch account
          </SignOutButton>
        </div>
      );
    case "sign-in":
      return (
        <div className="grid gap-4 text-sm">
          <p>
            An account for <span className="font-medium">{email}</span> already exists. Sign in with
            it to accept the invitation.
          </p>
          <Button asChild className="w-full">
            <Link href={`/sign-in?callbackUrl=${encodeURIComponent(invitationPath)}`}>
              Sign in to accept
            </Link>
          </Button>
        </div>
      );
    case "create-account":
      return <InvitationAccountForm token={token} email={email} />;
  }
}

function AcceptButton({ token, organizationName }: { token: string; organizationName: string }) {
  const router = useRouter();
  const [accepting, setAccepting] = useState(false);
  const [error, setError] = useState<string>();

  async function accept() {
    setAccepting(true);
    setError(undefined);
    try {
      const accepted = await apiFetch<AcceptedInvitation>("/api/invitations/accept", {
        body: { token },
      });
      router.push(`/o/${encodeURIComponent(accepted.organization.slug)}/workflows`);
    } catch (caught) {
      setError(formErrorsFrom(caught, {}).form);
      setAccepting(false);
    }
  }

  return (
    <div className="grid gap-4">
      {error && <FormAlert>{error}</FormAlert>}
      <Button onClick={accept} disabled={accepting} className="w-full">
        {accepting ? "Joining…" : "Accept invitation"}
      </Button>
      <p className="text-center text-xs text-muted-foreground">
        You’ll join {organizationName} and can switch between organisations from the top bar.
      </p>
    </div>
  );
}
