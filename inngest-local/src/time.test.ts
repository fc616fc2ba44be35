import { describe, expect, it } from "vitest";
import { delayUntil, parseRetryAfter, retryDelayMs } from "./time";

describe("delayUntil", () => {
  it("reads the SDK's duration strings", () => {
    expect(delayUntil("1s")).toBe(1_000);
    expect(delayUntil("1w2d3h4m5s")).toBe(((7 + 2) * 24 * 3_600 + 3 * 3_600 + 4 * 60 + 5) * 1_000);
    expect(delayUntil("250ms")).toBe(250);
  });

  it("reads dates as the time left until them, never negative", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(delayUntil("2026-01-01T00:00:10Z", now)).toBe(10_000);
    expect(delayUntil("2025-12-31T00:00:00Z", now)).toBe(0);
  });

  it("refuses anything else with a message naming the value", () => {
    expect(() => delayUntil("soon")).toThrow(/"soon" is neither a duration/);
  });
});

describe("retry delays", () => {
  it("follow Inngest's table plus up to 30 s of jitter", () => {
    expect(retryDelayMs("inngest", 0, () => 0)).toBe(15_000);
    expect(retryDelayMs("inngest", 1, () => 0.5)).toBe(45_000);
    expect(retryDelayMs("inngest", 4, () => 0)).toBe(300_000);
    expect(retryDelayMs("inngest", 50, () => 0)).toBe(7_200_000);
  });

  it("stay under a second in fast mode", () => {
    for (let attempt = 0; attempt < 10; attempt++)
      expect(retryDelayMs("fast", attempt)).toBeLessThanOrEqual(1_000);
  });

  it("honour Retry-After in seconds or as a date, clamped to 1 s – 24 h", () => {
    const now = Date.parse("2026-01-01T00:00:00Z");
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("0", now)).toBe(1_000);
    expect(parseRetryAfter("999999", now)).toBe(24 * 3_600_000);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:01:00 GMT", now)).toBe(60_000);
    expect(parseRetryAfter("garbage", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
