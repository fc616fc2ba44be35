import Link from "next/link";
import { Button } from "@/components/ui/button";
import { DEMO_SIGN_IN_PATH } from "./demo-workspace";

export function CallToAction() {
  return (
    <section aria-labelledby="cta-heading" className="mx-auto max-w-6xl px-6 pb-20">
      <div className="flex flex-col items-start justify-between gap-6 rounded-2xl bg-primary px-8 py-10 text-primary-foreground md:flex-row md:items-center">
        <div className="space-y-2">
          <h2 id="cta-heading" className="text-2xl font-semibold tracking-tight">
            See it with a sample company
          </h2>
          <p className="max-w-xl text-primary-foreground/80">
            The Acme workspace comes with joiner, mover and leaver workflows ready to explore.
          </p>
        </div>
        <Button asChild size="lg" variant="secondary">
          <Link href={DEMO_SIGN_IN_PATH}>Explore the Acme workspace</Link>
        </Button>
      </div>
    </section>
  );
}
