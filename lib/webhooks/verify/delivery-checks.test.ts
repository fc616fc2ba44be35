import { describe, expect, it } from "vitest";
import {
  bytesEqual,
  checkTolerance,
  decodeBase64,
  decodeHex,
  matchesAny,
  parseTimestamp,
} from "./delivery-checks";

describe("parseTimestamp", () => {
  it.each([
    ["1614265330", "2021-02-25T15:02:10.000Z"],
    ["1614265330123", "2021-02-25T15:02:10.123Z"],
    ["2026-01-31T18:42:00+0000", "2026-01-31T18:42:00.000Z"],
    ["2026-01-31T18:42:00Z", "2026-01-31T18:42:00.000Z"],
    ["2026-01-31T19:42:00.5+01:00", "2026-01-31T18:42:00.500Z"],
    ["2026-01-31T13:42:00-0500", "2026-01-31T18:42:00.000Z"],
  ])("reads %j as %s", (value, iso) => {
    expect(parseTimestamp(value)?.toISOString()).toBe(iso);
  });

  it.each([
    "",
    "now",
    "161426533012", // 12 digits: neither seconds nor milliseconds
    "2026-02-30T00:00:00Z", // Date.parse would roll this over to March 2
    "2026-01-31T24:00:00Z",
    "2026-01-31T18:42:00", // no zone: ambiguous
    "2026-01-31 18:42:00Z",
    "2026-01-31T18:42:00+2500",
  ])("refuses %j", (value) => {
    expect(parseTimestamp(value)).toBeNull();
  });
});

describe("checkTolerance", () => {
  const now = new Date("2026-03-27T08:26:40Z");
  it("accepts up to 300 s either way and rejects beyond", () => {
    expect(checkTolerance(new Date(now.getTime() - 300_000), now)).toBeNull();
    expect(checkTolerance(new Date(now.getTime() + 300_000), now)).toBeNull();
    expect(checkTolerance(new Date(now.getTime() - 300_001), now)).toMatchObject({ status: 401 });
    expect(checkTolerance(new Date(now.getTime() + 300_001), now)).toMatchObject({ status: 401 });
  });
});

describe("constant-time comparison", () => {
  it("compares buffers of different lengths without throwing", () => {
    expect(bytesEqual(Buffer.alloc(32), Buffer.alloc(31))).toBe(false);
    expect(bytesEqual(Buffer.alloc(0), Buffer.alloc(32))).toBe(false);
    expect(bytesEqual(Buffer.alloc(32, 1), Buffer.alloc(32, 1))).toBe(true);
    expect(matchesAny([Buffer.alloc(3)], [Buffer.alloc(32)])).toBe(false);
  });

  it("decodes only well-formed signatures of the expected length", () => {
    expect(decodeHex("ab".repeat(32), 32)).toHaveLength(32);
    expect(decodeHex(`${"ab".repeat(31)}zz`, 32)).toBeNull(); // Buffer.from would stop at "zz"
    expect(decodeBase64(Buffer.alloc(32, 5).toString("base64"), 32)).toHaveLength(32);
    expect(
      decodeBase64(Buffer.alloc(32, 5).toString("base64").replace(/=+$/, ""), 32),
    ).toHaveLength(32);
    expect(decodeBase64("not base64!", 32)).toBeNull();
    expect(decodeBase64("", 32)).toBeNull();
  });
});
