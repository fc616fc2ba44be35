import { describe, expect, it } from "vitest";
import { APPROVAL_FIRST_RECHECK_MS, APPROVAL_RECHECK_MS, approvalWaitSlices } from "./approval";

describe("approvalWaitSlices", () => {
  it("re-checks soon after the request, then hourly, and adds up to the timeout", () => {
    const threeDays = 3 * 24 * 60 * 60_000;
    const slices = approvalWaitSlices(threeDays);
    expect(slices[0]).toBe(APPROVAL_FIRST_RECHECK_MS);
    expect(slices.slice(1, -1).every((slice) => slice === APPROVAL_RECHECK_MS)).toBe(true);
    expect(slices.reduce((sum, slice) => sum + slice, 0)).toBe(threeDays);
    expect(slices.every((slice) => slice > 0)).toBe(true);
  });

  it("waits once for a timeout shorter than the first re-check", () => {
    expect(approvalWaitSlices(5_000)).toEqual([5_000]);
    expect(approvalWaitSlices(APPROVAL_FIRST_RECHECK_MS + 1)).toEqual([
      APPROVAL_FIRST_RECHECK_MS,
      1,
    ]);
  });
});
