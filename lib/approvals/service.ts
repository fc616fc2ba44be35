import "server-only";
import { createHmac, randomUUID } from "node:crypto";
import { z } from "zod";
import { inngest } from "@/inngest/client";
import type { OrgContext } from "@/lib/api/org-route";
import { type Actor, recordAudit } from "@/lib/audit";
import { authSecret } from "@/lib/auth/secret";
import { findApprovalToken } from "@/lib/db/approval-tokens";
import { forOrg, type TenantTx } from "@/lib/db/tenant";
import { Conflict, Gone, NotFound } from "@/lib/errors";
import type { Approval } from "@/lib/generated/prisma/client";
import { APPROVAL_DECIDED_EVENT } from "@/lib/nodes/approval";
import type { ApprovalDecision, ApprovalPort } from "@/lib/nodes/services";
import { sha256Hex } from "@/lib/sha256";

// Approvals: the approval node asks (one signed link per approver), people
// decide through the link or the API, and the decision is written to Postgres
// before the decision event is sent, so the waiting run can always find it.
//
// Link tokens are HMAC-SHA256(server secret, token row id): 256 bits nobody can
// guess without the server secret, reproducible when the node's step is
// retried (so a re-sent email carries the same link), stored only as sha256,
// and single-use.

export const decisionInputSchema = z
  .object({
    decision: z.enum(["approved", "rejected"], { error: 'must be "approved" or "rejected"' }),
    comment: z.string().trim().max(2000, "must be at most 2000 characters").optional(),
  })
  .strict();
export type DecisionInput = z.infer<typeof decisionInputSchema>;

function linkToken(tokenId: string): string {
  const secret = authSecret();
  if (!secret) throw new Error("AUTH_SECRET is required to sign approval links");
  return createHmac("sha256", secret).update(`approval-link:${tokenId}`).digest("base64url");
}

function toDecision(approval: Approval): ApprovalDecision | null {
  if (approval.status === "pending") return null;
  return {
    decision: approval.status,
    decidedBy: approval.decidedBy,
    comment: approval.comment,
    decidedAt: (approval.decidedAt ?? approval.updatedAt).toISOString(),
  };
}

export function approvalPort(organizationId: string, appUrl: string): ApprovalPort {
  const db = forOrg(organizationId);
  return {
    async request({ runId, nodeId, title, message, approvers, expiresAt }) {
      const approval = await db.$transaction(async (tx) => {
        const existing = await tx.approval.findUnique({
          where: { runId_nodeId: { runId, nodeId } },
        });
        const row =
          existing ??
          (await tx.approval.create({
            data: { organizationId, runId, nodeId, title, message, approvers, expiresAt },
          }));
        // An early decision (made before the node asked) has no approvers yet.
        if (existing && existing.approvers.length === 0)
          await tx.approval.update({
            where: { id: existing.id },
            data: { title, message, approvers, expiresAt },
          });
        for (const approver of approvers) {
          const token = await tx.approvalToken.findUnique({
            where: { approvalId_approver: { approvalId: row.id, approver } },
          });
          if (token) continue;
          // The id is chosen first so the row is written once, with its link's hash.
          const id = randomUUID();
          await tx.approvalToken.create({
            data: {
              id,
              organizationId,
              approvalId: row.id,
              approver,
              tokenHash: sha256Hex(linkToken(id)),
            },
          });
        }
        return row;
      });
      const tokens = await db.approvalToken.findMany({
        where: { approvalId: approval.id },
        orderBy: { approver: "asc" },
      });
      return {
        approvalId: approval.id,
        decided: toDecision(approval),
        links: tokens.map((token) => ({
          approver: token.approver,
          url: `${appUrl}/approvals/${linkToken(token.id)}`,
        })),
      };
    },
    async decision(approvalId) {
      const approval = await db.approval.findUnique({ where: { id: approvalId } });
      return approval ? toDecision(approval) : null;
    },
    async expire(approvalId) {
      await db.approval.updateMany({
        where: { id: approvalId, status: "pending" },
        data: { status: "timeout", decidedAt: new Date() },
      });
      const approval = await db.approval.findUniqueOrThrow({ where: { id: approvalId } });
      return toDecision(approval) as ApprovalDecision;
    },
  };
}

async function applyDecision(
  tx: TenantTx,
  approval: Approval,
  input: DecisionInput & { decidedBy: string; via: "link" | "api" },
  audit: {
    organizationId: string;
    actor: Actor;
    meta: { ip: string | null; userAgent: string | null };
  },
) {
  if (approval.status !== "pending")
    throw new Conflict(`This approval was already ${approval.status}.`);
  if (approval.expiresAt.getTime() < Date.now() && approval.approvers.length > 0)
    throw new Gone("This approval has expired.");
  const updated = await tx.approval.updateMany({
    where: { id: approval.id, status: "pending" },
    data: {
      status: input.decision,
      decidedBy: input.decidedBy,
      decidedVia: input.via,
      comment: input.comment ?? null,
      decidedAt: new Date(),
    },
  });
  if (updated.count !== 1) throw new Conflict("This approval was decided meanwhile.");
  await recordAudit(tx, audit, {
    action: `approval.${input.decision}`,
    targetType: "workflow_run",
    targetId: approval.runId,
    summary: { node: approval.nodeId, via: input.via, by: input.decidedBy },
  });
}

/**
 * Wakes the waiting run. The decision is already stored, so if the engine
 * cannot be reached the run still finds it at its next re-check.
 */
async function announce(approval: { id: string; runId: string; nodeId: string }, decision: string) {
  try {
    await inngest.send({
      id: `approval-decided-${approval.id}`,
      name: APPROVAL_DECIDED_EVENT,
      data: { approvalId: approval.id, runId: approval.runId, nodeId: approval.nodeId, decision },
    });
  } catch (error) {
    console.warn(
      JSON.stringify({
        level: "warn",
        msg: "approval decided but the engine could not be told; the run re-checks",
        approvalId: approval.id,
        error: String(error),
      }),
    );
  }
}

export type ApprovalForLink = {
  approval: Pick<
    Approval,
    "id" | "title" | "message" | "status" | "expiresAt" | "decidedBy" | "comment"
  >;
  approver: string;
  used: boolean;
  organizationName: string;
  employeeName: string | null;
  workflowName: string;
};

/** What the one-click link page shows; NotFound for an unknown token. */
export async function approvalForLink(token: string): Promise<ApprovalForLink> {
  const found = await findApprovalToken(sha256Hex(token));
  if (!found) throw new NotFound("Approval");
  return found;
}

/** Decides through a link: the token is the proof, and it works once. */
export async function decideByLink(
  token: string,
  input: DecisionInput,
  meta: { ip: string | null; userAgent: string | null },
) {
  const found = await findApprovalToken(sha256Hex(token));
  if (!found) throw new NotFound("Approval");
  const db = forOrg(found.organizationId);
  const approval = await db.$transaction(async (tx) => {
    const used = await tx.approvalToken.updateMany({
      where: { tokenHash: sha256Hex(token), usedAt: null },
      data: { usedAt: new Date() },
    });
    if (used.count !== 1) throw new Gone("This link has already been used.");
    const row = await tx.approval.findUniqueOrThrow({ where: { id: found.approval.id } });
    await applyDecision(
      tx,
      row,
      { ...input, decidedBy: found.approver, via: "link" },
      {
        organizationId: found.organizationId,
        actor: { type: "system", label: `Approver ${found.approver} (email link)` },
        meta,
      },
    );
    return row;
  });
  await announce(approval, input.decision);
  return { decision: input.decision };
}

/**
 * Decides through the API. A decision may arrive before the run reaches the
 * approval node (an HR system answering at once); it is stored and the node
 * finds it when it asks.
 */
export async function decideByApi(
  context: OrgContext,
  runId: string,
  nodeId: string,
  input: DecisionInput,
) {
  const run = await context.db.workflowRun.findUnique({
    where: { id: runId },
    select: { id: true, status: true, workflowVersion: { select: { definition: true } } },
  });
  if (!run) throw new NotFound("Run");
  const nodes =
    (run.workflowVersion.definition as { nodes?: { id: string; kind: string }[] }).nodes ?? [];
  if (!nodes.some((node) => node.id === nodeId && node.kind === "approval"))
    throw new NotFound("Approval node");
  if (["completed", "failed", "cancelled"].includes(run.status))
    throw new Conflict(`The run is already ${run.status}.`);
  const approval = await context.db.$transaction(async (tx) => {
    const row =
      (await tx.approval.findUnique({ where: { runId_nodeId: { runId, nodeId } } })) ??
      (await tx.approval.create({
        data: {
          organizationId: context.organization.id,
          runId,
          nodeId,
          title: "",
          approvers: [],
          expiresAt: new Date(Date.now() + 365 * 86_400_000),
        },
      }));
    await applyDecision(
      tx,
      row,
      { ...input, decidedBy: context.actor.label, via: "api" },
      context.audit,
    );
    return row;
  });
  await announce(approval, input.decision);
  return { approvalId: approval.id, decision: input.decision };
}
