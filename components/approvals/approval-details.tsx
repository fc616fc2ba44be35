import type { ApprovalForLink } from "@/lib/approvals/service";
import { relativeTime, utcTime } from "./approval-link-state";

/** Who asks, about whom, and until when: the facts an approver decides on. */
export function ApprovalDetails({
  found,
  now,
  showExpiry,
}: {
  found: ApprovalForLink;
  now: Date;
  /** Once decided, when the request would have expired no longer matters. */
  showExpiry: boolean;
}) {
  const expired = found.approval.expiresAt.getTime() <= now.getTime();
  const { approval } = found;
  const rows: [string, string][] = [
    ["Organisation", found.organizationName],
    ["Workflow", found.workflowName],
    ...(found.employeeName ? ([["Employee", found.employeeName]] as [string, string][]) : []),
    ["Sent to", found.approver],
  ];
  return (
    <div className="grid gap-4 text-sm">
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-2">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-muted-foreground">{label}</dt>
            <dd className="min-w-0 break-words font-medium">{value}</dd>
          </div>
        ))}
        {showExpiry && (
          <div className="contents">
            <dt className="text-muted-foreground">{expired ? "Expired" : "Expires"}</dt>
            <dd className="min-w-0">
              <time dateTime={approval.expiresAt.toISOString()} className="font-medium">
                {relativeTime(approval.expiresAt, now)}
              </time>{" "}
              <span className="text-muted-foreground">({utcTime(approval.expiresAt)})</span>
            </dd>
          </div>
        )}
      </dl>
      {approval.message.trim() && (
        <div className="rounded-md border bg-muted/40 px-3 py-2">
          <h2 className="sr-only">Message</h2>
          <p className="whitespace-pre-wrap break-words">{approval.message}</p>
        </div>
      )}
    </div>
  );
}
