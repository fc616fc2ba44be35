import { describe, expect, it } from "vitest";
import { uuidV7 } from "./uuid-v7";

describe("uuidV7", () => {
  it("is a version 7, RFC variant UUID", () => {
    expect(uuidV7()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });

  it("starts with the creation time in milliseconds, so later ids sort after earlier ones", () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    expect(Number.parseInt(uuidV7(at).replace(/-/g, "").slice(0, 12), 16)).toBe(at);
    const ids = [at, at + 1, at + 1000, at + 86_400_000].map((time) => uuidV7(time));
    expect([...ids].sort()).toEqual(ids);
  });

  it("differs between ids made in the same millisecond", () => {
    const at = Date.now();
    expect(new Set(Array.from({ length: 100 }, () => uuidV7(at))).size).toBe(100);
  });
});
