import { ArrowLeftIcon, CompassIcon } from "lucide-react";
import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { Button } from "@/components/ui/button";

export default function NotFound() {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center gap-6 px-6 text-center">
      <Logo />
      <span className="flex size-14 items-center justify-center rounded-full bg-primary/10 text-primary">
        <CompassIcon aria-hidden="true" className="size-7" />
      </span>
      <div className="space-y-2">
        <p className="text-sm font-medium text-primary">404</p>
        <h1 className="text-2xl font-semibold tracking-tight">We couldn’t find that page</h1>
        <p className="max-w-md text-sm text-muted-foreground">
          The link may be out of date, or the workspace may not exist. Check the address, or start
          again from the home page.
        </p>
      </div>
      <Button asChild variant="outline">
        <Link href="/">
          <ArrowLeftIcon aria-hidden="true" />
          Back to the home page
        </Link>
      </Button>
    </main>
  );
}
