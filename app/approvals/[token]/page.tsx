import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { ApprovalDecisionForm } from "@/components/approvals/approval-decision-form";
import { ApprovalDetails } from "@/components/approvals/approval-details";
import { approvalLinkState } from "@/components/approvals/approval-link-state";
import { ApprovalOutcome } from "@/components/approvals/approval-outcome";
import { AuthLayout } from "@/components/auth/auth-layout";
import { type ApprovalForLink, approvalForLink } from "@/lib/approvals/service";
import { NotFound } from "@/lib/errors";

export const metadata: Metadata = {
  title: "Approval request",
  robots: { index: false },
  // The token in this page's URL is a credential: never send it to another site as a Referer.
  referrer: "no-referrer",
};

// Opening the link only shows the request: mail scanners fetch links before
// people click them, so deciding is a POST from the buttons, never this GET.
export default async function ApprovalLinkPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  let found: ApprovalForLink;
  try {
    found = await approvalForLink(token);
  } catch (error) {
    if (error instanceof NotFound) notFound();
    throw error;
  }
  const now = new Date();
  const state = approvalLinkState(found, now);
  return (
    <AuthLayout
      title={found.approval.title || "Approval request"}
      description={`${found.organizationName} asks for your decision in the “${found.workflowName}” workflow.`}
    >
      <div className="grid gap-6">
        <ApprovalDetails
          found={found}
          now={now}
          showExpiry={state.kind !== "decided" && state.kind !== "decided-here"}
        />
        {state.kind === "open" ? (
          <ApprovalDecisionForm token={token} />
        ) : (
          <ApprovalOutcome state={state} />
        )}
      </div>
    </AuthLayout>
  );
}
