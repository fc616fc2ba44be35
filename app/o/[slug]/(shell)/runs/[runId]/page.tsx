import { ArrowLeftIcon } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { RunDetail } from "@/components/runs/run-detail";

export const metadata: Metadata = { title: "Run" };

type RunPageProps = { params: Promise<{ slug: string; runId: string }> };

export default async function RunPage({ params }: RunPageProps) {
  const { slug, runId } = await params;
  return (
    <>
      <Link
        href={`/o/${encodeURIComponent(slug)}/runs`}
        className="mb-4 inline-flex items-center gap-1.5 text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
      >
        <ArrowLeftIcon aria-hidden="true" className="size-4" />
        Runs
      </Link>
      <RunDetail runId={runId} />
    </>
  );
}
