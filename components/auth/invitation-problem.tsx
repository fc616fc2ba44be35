import { LinkIcon } from "lucide-react";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { AuthLayout } from "./auth-layout";

export type InvitationProblemKind = "unknown" | "used" | "unavailable";

const COPY: Record<InvitationProblemKind, { title: string; advice: string }> = {
  unknown: {
    title: "This invitation link isn’t valid",
    advice:
      "Check that you opened the whole link from the email. If it still doesn’t work, ask the person who invited you to send a new invitation.",
  },
  used: {
    title: "This invitation has already been used",
    advice: "If you accepted it, sign in to reach your organisation.",
  },
  unavailable: {
    title: "This invitation can no longer be used",
    advice: "Ask the person who invited you to send a new invitation.",
  },
};

/** Why an invitation link cannot be used, and what to do next. */
export function InvitationProblem({
  kind,
  message,
}: {
  kind: InvitationProblemKind;
  /** The server's own explanation, e.g. whether it expired or was revoked. */
  message?: string;
}) {
  const { title, advice } = COPY[kind];
  return (
    <AuthLayout title={title}>
      <div className="grid gap-4 text-sm">
        <div className="flex items-start gap-3">
          <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-muted text-muted-foreground">
            <LinkIcon aria-hidden="true" className="size-4" />
          </span>
          <div className="grid gap-1">
            {message && kind !== "unknown" && <p className="font-medium">{message}</p>}
            <p className="text-muted-foreground">{advice}</p>
          </div>
        </div>
        <div className="flex flex-wrap gap-2">
          {kind === "used" && (
            <Button asChild>
              <Link href="/sign-in">Sign in</Link>
            </Button>
          )}
          <Button asChild variant="outline">
            <Link href="/">Go to the home page</Link>
          </Button>
        </div>
      </div>
    </AuthLayout>
  );
}
