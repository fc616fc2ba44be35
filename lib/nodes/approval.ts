import { z } from "zod";
import { permanentFailure } from "@/lib/engine/node-error";
import { escapeHtml } from "@/lib/mail/escape-html";
import { durationMs } from "@/lib/time/zoned-time";
import { durationSchema } from "./delay";
import { defineDurableKind } from "./node-kind";
import type { ApprovalDecision } from "./services";

// Asks people to approve and waits for the decision, with a timeout. The
// decision is stored in Postgres before the decision event is sent, and the
// node checks the database between wait slices: an event that arrives before
// the wait is registered (inngest/inngest#1433) is never lost, it is found at
// the next check at the latest.

export const APPROVAL_DECIDED_EVENT = "officeflow/approval.decided";
/** Longest single wait before re-checking the database for a decision. */
export const APPROVAL_RECHECK_MS = 60 * 60_000;
/**
 * The first re-check comes soon: a decision made in the moment between the
 * request (which emails the link) and the wait taking hold in the executor
 * sends its event before anyone listens (waits have no look-back), and would
 * otherwise only be seen at the hourly re-check.
 */
export const APPROVAL_FIRST_RECHECK_MS = 15_000;

/** How long each wait of an approval lasts: a short first one, then hourly, up to the timeout. */
export function approvalWaitSlices(timeoutMs: number): number[] {
  const first = Math.min(APPROVAL_FIRST_RECHECK_MS, timeoutMs);
  const slices = [first];
  let left = timeoutMs - first;
  while (left > 0) {
    const slice = Math.min(APPROVAL_RECHECK_MS, left);
    slices.push(slice);
    left -= slice;
  }
  return slices;
}

const EMAIL = /^[^\s@<>,;]+@[^\s@<>,;]+\.[^\s@<>,;]+$/;

const config = z
  .object({
    /** Comma-separated emails or templates, e.g. `{{ employee.manager.email }}`. */
    approvers: z.string().trim().min(1, "is required").max(2000),
    title: z.string().trim().min(1, "is required").max(200),
    message: z.string().max(5000).default(""),
    timeout: durationSchema.default({ amount: 3, unit: "days" }),
  })
  .strict();

const decisionSchema = z.object({
  decision: z.enum(["approved", "rejected", "timeout"]),
  decidedBy: z.string().nullable(),
  comment: z.string().nullable(),
  decidedAt: z.string(),
});

type ApprovalPlan = {
  approvalId: string;
  decided: ApprovalDecision | null;
  timeoutMs: number;
};

export const approvalKind = defineDurableKind({
  kind: "approval",
  label: "Approval",
  description: "Asks one or more people to approve, then follows approved, rejected or timeout.",
  category: "people",
  config,
  output: decisionSchema.extend({ approvalId: z.string() }),
  sideEffects: true,
  longTextFields: ["message"],
  waitStatus: "waiting",
  branches: () => ["approved", "rejected", "timeout"],
  branchOf: (output) => output.decision,
  defaultConfig: {
    approvers: "{{ employee.manager.email }}",
    title: "Approve access for {{ employee.firstName }} {{ employee.lastName }}",
    message: "",
    timeout: { amount: 3, unit: "days" },
  },
  async begin({ config, run, node, services }): Promise<ApprovalPlan> {
    const approvers = [
      ...new Set(
        config.approvers
          .split(/[,;\s]+/)
          .map((entry) => entry.trim().toLowerCase())
          .filter(Boolean),
      ),
    ];
    const invalid = approvers.filter((entry) => !EMAIL.test(entry));
    if (approvers.length === 0) throw permanentFailure("approvers rendered to no email address");
    if (invalid.length > 0)
      throw permanentFailure(`approvers: "${invalid[0]}" is not an email address`);
    if (approvers.length > 20) throw permanentFailure("approvers: at most 20 people");
    const timeoutMs = durationMs(config.timeout);
    const request = await services.approvals.request({
      runId: run.id,
      nodeId: node.id,
      title: config.title,
      message: config.message,
      approvers,
      expiresAt: new Date(services.now().getTime() + timeoutMs),
    });
    if (!request.decided && !run.isTest) {
      for (const link of request.links) {
        const html = `<p>${escapeHtml(config.message || config.title)}</p><p><a href="${escapeHtml(
          link.url,
        )}">Review and decide</a></p>`;
        await services.sendEmail(
          {
            to: [link.approver],
            subject: config.title,
            html,
            text: `${config.message || config.title}\n\nReview and decide: ${link.url}\n`,
            idempotencyKey: `${run.id}:${node.id}:approval:${link.approver}`,
          },
          { apiKey: null, from: null },
        );
      }
    }
    return { approvalId: request.approvalId, decided: request.decided, timeoutMs };
  },
  async wait(plan, tools, { services }) {
    if (plan.decided) return plan.decided;
    for (const [slice, timeoutMs] of approvalWaitSlices(plan.timeoutMs).entries()) {
      const event = await tools.waitForEvent(`decision-${slice}`, {
        event: APPROVAL_DECIDED_EVENT,
        match: { approvalId: plan.approvalId },
        timeoutMs,
      });
      if (event) return null;
      const recorded = await tools.step(`check-${slice}`, () =>
        services.approvals.decision(plan.approvalId),
      );
      if (recorded) return recorded;
    }
    return null;
  },
  async finish({ services }, plan) {
    // The database is the record of the decision; the event only wakes us up.
    const decided =
      (await services.approvals.decision(plan.approvalId)) ??
      (await services.approvals.expire(plan.approvalId));
    return { ...decided, approvalId: plan.approvalId };
  },
});
