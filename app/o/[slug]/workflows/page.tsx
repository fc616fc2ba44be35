import { WorkflowIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/app-shell/empty-state";
import { PageHeader } from "@/components/app-shell/page-header";

export const metadata: Metadata = { title: "Workflows" };

export default function WorkflowsPage() {
  return (
    <>
      <PageHeader
        title="Workflows"
        description="Onboarding, offboarding and transfer workflows that run when a lifecycle event arrives."
      />
      <EmptyState
        icon={WorkflowIcon}
        title="No workflows yet"
        description="Workflows you design or start from a joiner, mover or leaver template will appear here, with their trigger and published version."
      />
    </>
  );
}
