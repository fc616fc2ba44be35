import { afterEach, describe, expect, it } from "vitest";
import { clientAddress } from "./client-address";

const saved = process.env.TRUST_PROXY;
afterEach(() => {
  if (saved === undefined) delete process.env.TRUST_PROXY;
  else process.env.TRUST_PROXY = saved;
});

describe("clientAddress", () => {
  it("ignores X-Forwarded-For unless a trusted proxy is declared (anyone can send it)", () => {
    process.env.TRUST_PROXY = "0";
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.7" }))).toBeNull();
  });

  it("takes the first forwarded address behind a trusted proxy", () => {
    process.env.TRUST_PROXY = "1";
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.7, 10.0.0.1" }))).toBe(
      "203.0.113.7",
    );
    expect(clientAddress({ "x-forwarded-for": "198.51.100.2" })).toBe("198.51.100.2");
    expect(clientAddress(new Headers())).toBeNull();
  });
});
