import type { ApprovalForLink } from "@/lib/approvals/service";

// What an approval link's page may offer: a decision only while the approval
// is pending, unexpired and this link unused; otherwise why not, read-only.

export type ApprovalLinkState =
  | { kind: "open" }
  | { kind: "decided-here"; decision: "approved" | "rejected"; comment: string | null }
  | { kind: "decided"; decision: "approved" | "rejected"; decidedBy: string | null }
  | { kind: "closed" }
  | { kind: "expired" };

export function approvalLinkState(found: ApprovalForLink, now: Date): ApprovalLinkState {
  const { approval } = found;
  if (approval.status === "approved" || approval.status === "rejected") {
    return found.used && approval.decidedBy === found.approver
      ? { kind: "decided-here", decision: approval.status, comment: approval.comment }
      : { kind: "decided", decision: approval.status, decidedBy: approval.decidedBy };
  }
  // Timed out, or its run was cancelled: closed without a decision.
  if (approval.status !== "pending") return { kind: "closed" };
  if (approval.expiresAt.getTime() <= now.getTime()) return { kind: "expired" };
  // A used link on a pending approval means the decision did not go through; the service refuses it again.
  if (found.used) return { kind: "closed" };
  return { kind: "open" };
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/**
 * "in 2 days" / "3 hours ago": rendered on the server, which cannot know the
 * reader's time zone, so the absolute time beside it is given in UTC.
 */
export function relativeTime(date: Date, now: Date): string {
  const difference = date.getTime() - now.getTime();
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(difference) >= size) return format.format(Math.round(difference / size), unit);
  }
  return difference >= 0 ? "in less than a minute" : "just now";
}

export function utcTime(date: Date): string {
  return `${new Intl.DateTimeFormat("en-GB", {
    dateStyle: "medium",
    timeStyle: "short",
    timeZone: "UTC",
  }).format(date)} UTC`;
}
