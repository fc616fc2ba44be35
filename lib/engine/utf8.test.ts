import { afterEach, describe, expect, it, vi } from "vitest";
import { utf8ByteLength } from "./utf8";

describe("utf8ByteLength", () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  const samples = [
    "",
    "plain ascii",
    "Grüße",
    "€100",
    "日本語",
    "👋🏽 team",
    "lone \ud800 high",
    "lone \udc00 low",
    "end \ud83d",
  ];

  it("without Node's Buffer (in the browser) counts what Buffer.byteLength counts", () => {
    const expected = samples.map((text) => Buffer.byteLength(text));
    vi.stubGlobal("Buffer", undefined);
    expect(samples.map((text) => utf8ByteLength(text))).toEqual(expected);
  });
});
