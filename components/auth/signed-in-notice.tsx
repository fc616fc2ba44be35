import Link from "next/link";
import { Button } from "@/components/ui/button";
import { SignOutButton } from "./sign-out-button";

/** Shown on the sign-up page to someone already signed in: a new account needs signing out first. */
export function SignedInNotice({
  email,
  workspace,
}: {
  email: string;
  workspace: { name: string; href: string } | null;
}) {
  return (
    <div className="grid gap-4 text-sm">
      <p>
        You’re signed in as <span className="font-medium">{email}</span>.{" "}
        {workspace
          ? "To create another account, sign out first."
          : "You don’t belong to any organisation yet: ask a colleague to invite you, or sign out and create a new account."}
      </p>
      <div className="flex flex-wrap gap-2">
        {workspace && (
          <Button asChild>
            <Link href={workspace.href}>Go to {workspace.name}</Link>
          </Button>
        )}
        <SignOutButton variant="outline" callbackUrl="/sign-up" />
      </div>
    </div>
  );
}
