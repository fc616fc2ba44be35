import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import type { WorkflowDetail } from "@/components/designer/designer";
import { WorkflowDesigner } from "@/components/designer/designer";
import { requireOrgMember } from "@/lib/auth/org-page";
import { forOrg } from "@/lib/db/tenant";
import { NotFound } from "@/lib/errors";
import { getWorkflow } from "@/lib/workflows/service";

export const metadata: Metadata = { title: "Workflow designer" };

// The draft comes with the page, so the canvas draws on hydration instead of
// after a second round trip (a 500-node draft is a few hundred KB).
export default async function WorkflowDesignerPage({
  params,
}: {
  params: Promise<{ slug: string; workflowId: string }>;
}) {
  const { slug, workflowId } = await params;
  const { organization } = await requireOrgMember(
    slug,
    `/o/${encodeURIComponent(slug)}/workflows/${encodeURIComponent(workflowId)}`,
  );
  if (!z.uuid().safeParse(workflowId).success) notFound();
  let workflow: WorkflowDetail;
  try {
    // The API's JSON shape (dates as strings), as the designer's query caches it.
    workflow = JSON.parse(
      JSON.stringify(
        await getWorkflow({ db: forOrg(organization.id) }, workflowId, { withProblems: false }),
      ),
    );
  } catch (error) {
    if (error instanceof NotFound) notFound();
    throw error;
  }
  return (
    <main id="main-content" className="min-w-0 flex-1">
      <WorkflowDesigner workflow={workflow} />
    </main>
  );
}
