import type { Metadata } from "next";
import { AcceptInvitation, type InvitationViewerState } from "@/components/auth/accept-invitation";
import { AuthLayout } from "@/components/auth/auth-layout";
import {
  InvitationProblem,
  type InvitationProblemKind,
} from "@/components/auth/invitation-problem";
import { currentUser } from "@/lib/auth/session";
import { Conflict, Gone, NotFound } from "@/lib/errors";
import { describeInvitation } from "@/lib/invitations/accept";

export const metadata: Metadata = {
  title: "Invitation",
  robots: { index: false },
  // The token in this page's URL is a credential: never send it to another site as a Referer.
  referrer: "no-referrer",
};

const DAY_MS = 86_400_000;

function problemKind(error: unknown): InvitationProblemKind | null {
  if (error instanceof NotFound) return "unknown";
  if (error instanceof Conflict) return "used";
  if (error instanceof Gone) return "unavailable";
  return null;
}

function expiresIn(expiresAt: Date): string {
  const days = Math.ceil((expiresAt.getTime() - Date.now()) / DAY_MS);
  if (days <= 1) return "It expires within a day.";
  return `It expires in ${days} days.`;
}

const ARTICLE: Record<string, string> = { owner: "an", admin: "an", editor: "an", viewer: "a" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let invitation: Awaited<ReturnType<typeof describeInvitation>>;
  try {
    invitation = await describeInvitation(token);
  } catch (error) {
    const kind = problemKind(error);
    if (!kind) throw error;
    return <InvitationProblem kind={kind} message={(error as Error).message} />;
  }

  const user = await currentUser();
  const viewer: InvitationViewerState = user
    ? user.email.toLowerCase() === invitation.email.toLowerCase()
      ? { kind: "accept" }
      : { kind: "wrong-account", signedInEmail: user.email }
    : invitation.existingUser
      ? { kind: "sign-in" }
      : { kind: "create-account" };

  return (
    <AuthLayout
      title={`Join ${invitation.organization.name} on OfficeFlow`}
      description={
        <>
          {invitation.organization.name} invited{" "}
          <span className="font-medium text-foreground">{invitation.email}</span> as{" "}
          {ARTICLE[invitation.role] ?? "a"}{" "}
          <span className="font-medium text-foreground">{invitation.role}</span>.{" "}
          {expiresIn(invitation.expiresAt)}
        </>
      }
    >
      <AcceptInvitation
        token={token}
        email={invitation.email}
        organizationName={invitation.organization.name}
        viewer={viewer}
      />
    </AuthLayout>
  );
}
