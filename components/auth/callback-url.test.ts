import { describe, expect, it } from "vitest";
import { DEFAULT_AFTER_SIGN_IN, safeCallbackUrl } from "./callback-url";

describe("safeCallbackUrl", () => {
  it("keeps a same-site path with its query and fragment", () => {
    expect(safeCallbackUrl("/o/acme/workflows")).toBe("/o/acme/workflows");
    expect(safeCallbackUrl("/invitations/abc?x=1#top")).toBe("/invitations/abc?x=1#top");
  });

  it.each([
    "//evil.example/path",
    "/\\evil.example",
    "/\t/evil.example",
    "https://evil.example/o/acme",
    "javascript:alert(1)",
    "o/acme",
    "",
  ])("refuses %j and falls back to the default", (value) => {
    expect(safeCallbackUrl(value)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("falls back when the value is missing or not a string", () => {
    expect(safeCallbackUrl(undefined)).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl(42)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it("uses the first of repeated query parameters", () => {
    expect(safeCallbackUrl(["/o/acme/runs", "//evil.example"])).toBe("/o/acme/runs");
  });

  it("does not send a signed-in user back to the sign-in or sign-up page", () => {
    expect(safeCallbackUrl("/sign-in?callbackUrl=/x")).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl("/sign-up")).toBe(DEFAULT_AFTER_SIGN_IN);
  });
});
