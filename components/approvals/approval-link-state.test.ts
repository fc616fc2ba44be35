import { describe, expect, it } from "vitest";
import type { ApprovalForLink } from "@/lib/approvals/service";
import { approvalLinkState, relativeTime, utcTime } from "./approval-link-state";

const now = new Date("2026-12-01T12:00:00Z");

function link(approval: Partial<ApprovalForLink["approval"]> = {}, used = false): ApprovalForLink {
  return {
    approval: {
      id: "a1",
      title: "Approve a laptop",
      message: "",
      status: "pending",
      expiresAt: new Date("2026-12-03T12:00:00Z"),
      decidedBy: null,
      comment: null,
      ...approval,
    },
    approver: "manager@acme.example",
    used,
    organizationName: "Acme",
    employeeName: "Dana Scully",
    workflowName: "Onboarding",
  };
}

describe("approval link state", () => {
  it("offers a decision only while pending, unexpired and unused", () => {
    expect(approvalLinkState(link(), now)).toEqual({ kind: "open" });
    expect(approvalLinkState(link({ expiresAt: now }), now)).toEqual({ kind: "expired" });
    expect(approvalLinkState(link({}, true), now)).toEqual({ kind: "closed" });
    expect(approvalLinkState(link({ status: "timeout" }), now)).toEqual({ kind: "closed" });
  });

  it("tells the approver who used this link what they decided, and others who decided", () => {
    expect(
      approvalLinkState(
        link({ status: "approved", decidedBy: "manager@acme.example", comment: "Fine" }, true),
        now,
      ),
    ).toEqual({ kind: "decided-here", decision: "approved", comment: "Fine" });
    expect(
      approvalLinkState(link({ status: "rejected", decidedBy: "API key HR system" }), now),
    ).toEqual({ kind: "decided", decision: "rejected", decidedBy: "API key HR system" });
  });

  it("words times relative to now, with the absolute time in UTC", () => {
    expect(relativeTime(new Date("2026-12-03T12:00:00Z"), now)).toBe("in 2 days");
    expect(relativeTime(new Date("2026-12-01T09:00:00Z"), now)).toBe("3 hours ago");
    expect(relativeTime(new Date("2026-12-01T12:00:20Z"), now)).toBe("in less than a minute");
    expect(utcTime(new Date("2026-12-03T15:30:00Z"))).toBe("3 Dec 2026, 15:30 UTC");
  });
});
