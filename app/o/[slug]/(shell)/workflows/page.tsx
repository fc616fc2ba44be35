import type { Metadata } from "next";
import { PageHeader } from "@/components/app-shell/page-header";
import { NewWorkflowDialog } from "@/components/workflows/new-workflow-dialog";
import { WorkflowList } from "@/components/workflows/workflow-list";

export const metadata: Metadata = { title: "Workflows" };

export default function WorkflowsPage() {
  return (
    <>
      <PageHeader
        title="Workflows"
        description="Onboarding, offboarding and transfer workflows that run when a lifecycle event arrives."
        actions={<NewWorkflowDialog />}
      />
      <WorkflowList />
    </>
  );
}
