import type { Metadata } from "next";
import { PageHeader } from "@/components/app-shell/page-header";
import { RunList } from "@/components/runs/run-list";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <PageHeader
        title="Runs"
        description="Every execution of a workflow, with its status and a timeline of its steps."
      />
      <RunList />
    </>
  );
}
