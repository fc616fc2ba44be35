import { LayoutDashboardIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/app-shell/empty-state";
import { PageHeader } from "@/components/app-shell/page-header";

export const metadata: Metadata = { title: "Dashboard" };

export default function DashboardPage() {
  return (
    <>
      <PageHeader
        title="Dashboard"
        description="How your workflows are doing: volume, success rate and duration."
      />
      <EmptyState
        icon={LayoutDashboardIcon}
        title="Nothing to chart yet"
        description="Runs per day, success rate, p50/p95 durations and failures by step will appear here once your workflows have run."
      />
    </>
  );
}
