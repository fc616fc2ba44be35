import { describe, expect, it } from "vitest";
import { parseEventIdSeed, seededUlid, sha1Hex, ulid } from "./ids";

describe("event ids", () => {
  it("are 26-character ULIDs that sort by time", () => {
    const early = ulid(1_000);
    const late = ulid(2_000);
    expect(early).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(early < late).toBe(true);
  });

  it("are the same for the same id seed and index, so an SDK retry is recognised", () => {
    const seed = parseEventIdSeed(`1700000000000,${Buffer.alloc(10, 7).toString("base64")}`);
    expect(seed).toBeDefined();
    if (!seed) return;
    expect(seededUlid(seed, 0)).toBe(seededUlid(seed, 0));
    expect(seededUlid(seed, 0)).not.toBe(seededUlid(seed, 1));
    expect(seededUlid(seed, 3).slice(0, 10)).toBe(ulid(1_700_000_000_000).slice(0, 10));
  });

  it("ignore a malformed seed header", () => {
    expect(parseEventIdSeed("nonsense")).toBeUndefined();
    expect(parseEventIdSeed("123,AAAA")).toBeUndefined();
    expect(parseEventIdSeed(undefined)).toBeUndefined();
  });
});

describe("step ids", () => {
  it("hash like the SDK (sha1 of the user's id)", () => {
    expect(sha1Hex("a")).toBe("86f7e437faa5a7fce15d1ddcb9eaeaea377667b8");
    expect(sha1Hex("nap").startsWith("c2640f79")).toBe(true);
  });
});
