import { describe, expect, it } from "vitest";
import { durationMs, ZonedTimeError, zonedTimeToInstant } from "./zoned-time";

describe("zonedTimeToInstant", () => {
  it("converts a wall time in a zone to the UTC instant, in winter and in summer", () => {
    expect(zonedTimeToInstant("2026-12-01", "09:30", "Europe/Berlin").toISOString()).toBe(
      "2026-12-01T08:30:00.000Z",
    );
    expect(zonedTimeToInstant("2026-07-01", "09:30", "Europe/Berlin").toISOString()).toBe(
      "2026-07-01T07:30:00.000Z",
    );
    expect(zonedTimeToInstant("2026-12-01", "09:30", "America/New_York").toISOString()).toBe(
      "2026-12-01T14:30:00.000Z",
    );
    expect(zonedTimeToInstant("2026-12-01", "00:00", "UTC").toISOString()).toBe(
      "2026-12-01T00:00:00.000Z",
    );
  });

  it("is right on the day clocks change", () => {
    // Berlin springs forward at 02:00 local on 2026-03-29; 09:00 is already summer time.
    expect(zonedTimeToInstant("2026-03-29", "09:00", "Europe/Berlin").toISOString()).toBe(
      "2026-03-29T07:00:00.000Z",
    );
  });

  it("uses the date part of an ISO timestamp", () => {
    expect(zonedTimeToInstant("2026-12-01T17:00:00Z", "09:00", "UTC").toISOString()).toBe(
      "2026-12-01T09:00:00.000Z",
    );
  });

  it("names what is wrong", () => {
    expect(() => zonedTimeToInstant("next monday", "09:00", "UTC")).toThrow(/not a date/);
    expect(() => zonedTimeToInstant("2026-02-30", "09:00", "UTC")).toThrow(/not a real date/);
    expect(() => zonedTimeToInstant("2026-02-01", "25:00", "UTC")).toThrow(/not a time of day/);
    expect(() => zonedTimeToInstant("2026-02-01", "09:00", "Mars/Olympus")).toThrow(ZonedTimeError);
  });
});

describe("durationMs", () => {
  it("multiplies by the unit", () => {
    expect(durationMs({ amount: 2, unit: "hours" })).toBe(7_200_000);
    expect(durationMs({ amount: 3, unit: "days" })).toBe(259_200_000);
  });
});
