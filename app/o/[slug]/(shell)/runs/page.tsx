import { ActivityIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/app-shell/empty-state";
import { PageHeader } from "@/components/app-shell/page-header";

export const metadata: Metadata = { title: "Runs" };

export default function RunsPage() {
  return (
    <>
      <PageHeader
        title="Runs"
        description="Every execution of a workflow, with its status and a timeline of its steps."
      />
      <EmptyState
        icon={ActivityIcon}
        title="No runs yet"
        description="Runs will appear here as soon as an HR system webhook, a schedule or a test run starts a workflow."
      />
    </>
  );
}
