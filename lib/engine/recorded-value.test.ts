import { describe, expect, it } from "vitest";
import { isTruncatedValue, recordedJson, recordedValue, scrubSecrets } from "./recorded-value";

describe("recordedValue", () => {
  it("replaces decrypted secret values wherever they appear", () => {
    const value = { url: "https://x.test/?token=s3cr3t-value", nested: ["Bearer s3cr3t-value"] };
    expect(recordedValue(value, ["s3cr3t-value"])).toEqual({
      url: "https://x.test/?token=[redacted]",
      nested: ["Bearer [redacted]"],
    });
  });

  it("masks secret-looking keys such as an Authorization header", () => {
    expect(recordedValue({ headers: { Authorization: "Basic abc", accept: "json" } })).toEqual({
      headers: { Authorization: "[redacted]", accept: "json" },
    });
  });

  it("cuts a large value to a preview that says how big it was", () => {
    const huge = { body: "x".repeat(200_000) };
    const recorded = recordedValue(huge);
    expect(isTruncatedValue(recorded)).toBe(true);
    expect(recorded).toMatchObject({ truncated: true, bytes: 200_011 });
    expect(JSON.stringify(recorded).length).toBeLessThan(20_000);
  });

  it("keeps binary-looking strings as JSON text and never throws on cycles", () => {
    expect(recordedValue({ data: "\u0000\u0001\uFFFD" })).toEqual({ data: "\u0000\u0001\uFFFD" });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(JSON.stringify(recordedValue(cyclic))).toContain("[too deep]");
  });

  it("ignores secrets too short to redact safely", () => {
    expect(scrubSecrets("a b c", ["a"])).toBe("a b c");
  });
});

describe("recordedJson", () => {
  it("is recordedValue as JSON text", () => {
    const values: unknown[] = [
      undefined,
      null,
      "text with s3cr3t-value",
      { headers: { Authorization: "Basic abc" }, token: "" },
      { body: "x".repeat(200_000) },
    ];
    for (const value of values)
      expect(JSON.parse(recordedJson(value, ["s3cr3t-value"]))).toEqual(
        recordedValue(value, ["s3cr3t-value"]),
      );
  });
});
