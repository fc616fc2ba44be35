import { ArrowRightIcon } from "lucide-react";
import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { DEMO_SIGN_IN_PATH } from "./demo-workspace";
import { RunTimelinePreview } from "./run-timeline-preview";

export function Hero() {
  return (
    <section aria-labelledby="hero-heading" className="relative overflow-hidden">
      <div
        aria-hidden="true"
        className="pointer-events-none absolute inset-x-0 -top-40 -z-10 h-[36rem] bg-[radial-gradient(ellipse_at_top,var(--accent),transparent_65%)]"
      />
      <div className="mx-auto grid max-w-6xl items-center gap-12 px-6 pt-16 pb-20 lg:grid-cols-[1.1fr_1fr] lg:pt-24">
        <div className="space-y-6">
          <Badge variant="outline" className="bg-background px-3 py-1 text-muted-foreground">
            HR &amp; IT lifecycle automation
          </Badge>
          <h1
            id="hero-heading"
            className="text-4xl font-semibold tracking-tight text-balance sm:text-5xl lg:text-6xl"
          >
            Automate every joiner, mover and leaver
          </h1>
          <p className="max-w-xl text-lg text-pretty text-muted-foreground">
            When your HR system says someone starts, moves or leaves, OfficeFlow runs the right
            workflow: accounts created, groups joined, welcome sent, access revoked in the right
            order. Every step is durable, retried when it fails and recorded for audit.
          </p>
          <div className="flex flex-col gap-3 sm:flex-row">
            <Button asChild size="lg">
              <Link href={DEMO_SIGN_IN_PATH}>
                Open the demo workspace
                <ArrowRightIcon aria-hidden="true" />
              </Link>
            </Button>
            <Button asChild size="lg" variant="outline">
              <a href="#how-it-works">See how it works</a>
            </Button>
          </div>
          <p className="text-sm text-muted-foreground">
            Works with BambooHR, Workday, Personio, HiBob, or anything that can POST JSON.
          </p>
        </div>
        <RunTimelinePreview />
      </div>
    </section>
  );
}
