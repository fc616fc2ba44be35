import { describe, expect, it } from "vitest";
import { elapsedMs, formatDuration } from "./duration";

describe("run durations", () => {
  it("reads as milliseconds, seconds, minutes, hours or days", () => {
    expect(formatDuration(null)).toBe("—");
    expect(formatDuration(850)).toBe("850 ms");
    expect(formatDuration(1234)).toBe("1.2 s");
    expect(formatDuration(42_400)).toBe("42 s");
    expect(formatDuration(185_000)).toBe("3 min 5 s");
    expect(formatDuration(7_800_000)).toBe("2 h 10 min");
    expect(formatDuration(273_600_000)).toBe("3 d 4 h");
  });

  it("counts an unfinished span up to now, and has none before the start", () => {
    const start = "2026-01-01T00:00:00.000Z";
    expect(elapsedMs(null, null)).toBeNull();
    expect(elapsedMs(start, "2026-01-01T00:00:02.500Z")).toBe(2500);
    expect(elapsedMs(start, null, Date.parse(start) + 900)).toBe(900);
    expect(elapsedMs("not a date", null)).toBeNull();
  });
});
