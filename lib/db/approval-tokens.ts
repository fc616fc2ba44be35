import "server-only";
import { db } from "@/lib/db/client";

// An approval link is opened by someone who need not be signed in, so its
// token (not a session) says which organisation it belongs to. This lookup is
// therefore not tenant-scoped; everything after it is, via forOrg().

export async function findApprovalToken(tokenHash: string) {
  const token = await db().approvalToken.findUnique({
    where: { tokenHash },
    select: {
      approver: true,
      usedAt: true,
      organizationId: true,
      organization: { select: { name: true } },
      approval: {
        select: {
          id: true,
          title: true,
          message: true,
          status: true,
          expiresAt: true,
          decidedBy: true,
          comment: true,
          run: {
            select: {
              employeeName: true,
              workflow: { select: { name: true } },
            },
          },
        },
      },
    },
  });
  if (!token) return null;
  const { run, ...approval } = token.approval;
  return {
    organizationId: token.organizationId,
    organizationName: token.organization.name,
    approver: token.approver,
    used: token.usedAt !== null,
    approval,
    employeeName: run.employeeName,
    workflowName: run.workflow.name,
  };
}
