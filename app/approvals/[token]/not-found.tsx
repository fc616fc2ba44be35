import { LinkIcon } from "lucide-react";
import Link from "next/link";
import { AuthLayout } from "@/components/auth/auth-layout";
import { Button } from "@/components/ui/button";

export default function ApprovalLinkNotFound() {
  return (
    <AuthLayout title="This approval link isn’t valid">
      <div className="grid gap-4 text-sm">
        <div className="flex items-start gap-3">
          <span className="flex size-9 shrink-0 items-center justify-center rounded-full bg-muted text-muted-foreground">
            <LinkIcon aria-hidden="true" className="size-4" />
          </span>
          <p className="text-muted-foreground">
            Check that you opened the whole link from the email. If it still doesn’t work, the
            request may have been replaced; ask the person who runs the workflow.
          </p>
        </div>
        <Button asChild variant="outline" className="w-fit">
          <Link href="/">Go to the home page</Link>
        </Button>
      </div>
    </AuthLayout>
  );
}
