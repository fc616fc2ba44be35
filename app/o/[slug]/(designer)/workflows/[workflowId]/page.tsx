import type { Metadata } from "next";
import { WorkflowDesigner } from "@/components/designer/designer";

export const metadata: Metadata = { title: "Workflow designer" };

export default async function WorkflowDesignerPage({
  params,
}: {
  params: Promise<{ workflowId: string }>;
}) {
  const { workflowId } = await params;
  return (
    <main id="main-content" className="min-w-0 flex-1">
      <WorkflowDesigner workflowId={workflowId} />
    </main>
  );
}
