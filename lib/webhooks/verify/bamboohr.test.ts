import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "@/lib/sha256";
import { signBambooHr, verifyBambooHr } from "./bamboohr";
import { hmac } from "./delivery-checks";
import type { IncomingDelivery, VerifyResult } from "./types";

// An independent vector: sgerrand/ex_bamboo_hr pins this signature, computed
// with Python's hmac over body ‖ timestamp (test/bamboo_hr/webhooks_test.exs,
// https://github.com/sgerrand/ex_bamboo_hr); we recomputed it the same way.
const KAT = {
  key: "private-key-123",
  body: '{"employees":[{"id":"123"}]}',
  timestamp: "2024-02-01T11:05:12Z",
  signature: "2e5fcc0ed9bfc4b23327543cafb3f59a552b8f8039e0ad24f6b86498f3557801",
};

const SECRET = "3f9c1b7e5d2a4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5a6";
const PREVIOUS_SECRET = "bamboo-private-key-before-rotation";
const NOW_SECONDS = 1_774_600_000; // 2026-03-27T08:26:40Z
const FIXTURES = path.join(path.dirname(new URL(import.meta.url).pathname), "..", "fixtures");

function delivery(
  headers: Record<string, string>,
  body: string | Buffer,
  now: Date = new Date(NOW_SECONDS * 1000),
): IncomingDelivery {
  return {
    headers: new Headers(headers),
    rawBody: typeof body === "string" ? Buffer.from(body) : body,
    now,
  };
}

function signed(body: string | Buffer, timestamp = String(NOW_SECONDS), secret = SECRET) {
  return {
    "X-BambooHR-Timestamp": timestamp,
    "X-BambooHR-Signature": signBambooHr(secret, timestamp, body),
  };
}

function expectRejected(result: VerifyResult, status: 400 | 401, reason: string | RegExp) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.status).toBe(status);
  if (typeof reason === "string") expect(result.reason).toBe(reason);
  else expect(result.reason).toMatch(reason);
  expect(result.reason).not.toContain(SECRET);
  expect(result.reason).not.toContain(PREVIOUS_SECRET);
}

describe("verifyBambooHr: the signature layout", () => {
  it("matches an independently computed vector (body ‖ timestamp, HMAC-SHA256, hex)", () => {
    expect(signBambooHr(KAT.key, KAT.timestamp, KAT.body)).toBe(KAT.signature);
    const result = verifyBambooHr(
      delivery(
        { "X-BambooHR-Timestamp": KAT.timestamp, "X-BambooHR-Signature": KAT.signature },
        KAT.body,
        new Date(KAT.timestamp),
      ),
      [KAT.key],
    );
    expect(result).toEqual({
      ok: true,
      deliveryId: sha256Hex(`${KAT.timestamp}.${KAT.body}`),
      timestamp: new Date(KAT.timestamp),
    });
  });

  it("accepts the signature in upper-case hex", () => {
    const headers = {
      "X-BambooHR-Timestamp": KAT.timestamp,
      "X-BambooHR-Signature": KAT.signature.toUpperCase(),
    };
    expect(verifyBambooHr(delivery(headers, KAT.body, new Date(KAT.timestamp)), [KAT.key]).ok).toBe(
      true,
    );
  });

  it("rejects the Stripe-style `timestamp.body` layout that some third-party guides describe", () => {
    const stripeStyle = hmac("sha256", Buffer.from(SECRET), `${NOW_SECONDS}.`, KAT.body).toString(
      "hex",
    );
    const headers = {
      "X-BambooHR-Timestamp": String(NOW_SECONDS),
      "X-BambooHR-Signature": stripeStyle,
    };
    expectRejected(
      verifyBambooHr(delivery(headers, KAT.body), [SECRET]),
      401,
      "signature does not match",
    );
  });

  it("reads header names case-insensitively", () => {
    const { "X-BambooHR-Timestamp": timestamp, "X-BambooHR-Signature": signature } = signed(
      KAT.body,
    );
    const headers = { "x-bamboohr-timestamp": timestamp, "X-BAMBOOHR-SIGNATURE": signature };
    expect(verifyBambooHr(delivery(headers, KAT.body), [SECRET]).ok).toBe(true);
  });
});

describe("verifyBambooHr: timestamps in the forms BambooHR may send", () => {
  it.each([
    ["Unix seconds", String(NOW_SECONDS)],
    ["Unix milliseconds", String(NOW_SECONDS * 1000 + 250)],
    ["ISO-8601 with Z", "2026-03-27T08:26:40Z"],
    ["ISO-8601 with +0000 as in BambooHR bodies", "2026-03-27T08:26:40+0000"],
    ["ISO-8601 with an offset and fraction", "2026-03-27T09:26:40.123+01:00"],
  ])("accepts %s and signs the header as received", (_, timestamp) => {
    const result = verifyBambooHr(delivery(signed(KAT.body, timestamp), KAT.body), [SECRET]);
    expect(result).toMatchObject({ ok: true, deliveryId: sha256Hex(`${timestamp}.${KAT.body}`) });
    if (result.ok) {
      expect(Math.abs((result.timestamp?.getTime() ?? 0) - NOW_SECONDS * 1000)).toBeLessThan(1000);
    }
  });

  it.each([
    "yesterday",
    "2026-02-30T00:00:00Z",
    "2026-03-27 08:26:40",
    "2026-03-27T08:26:40",
    "1774600000.5",
  ])("answers 400 to the unparseable timestamp %j", (timestamp) => {
    expectRejected(
      verifyBambooHr(delivery(signed(KAT.body, timestamp), KAT.body), [SECRET]),
      400,
      /X-BambooHR-Timestamp is neither Unix time nor an ISO-8601 date-time/,
    );
  });
});

describe("verifyBambooHr: rejections", () => {
  it("rejects a tampered timestamp, even one still inside the tolerance (401)", () => {
    const headers = { ...signed(KAT.body), "X-BambooHR-Timestamp": String(NOW_SECONDS - 1) };
    expectRejected(
      verifyBambooHr(delivery(headers, KAT.body), [SECRET]),
      401,
      "signature does not match",
    );
  });

  it("rejects a tampered body (401)", () => {
    const headers = signed(KAT.body);
    expectRejected(
      verifyBambooHr(delivery(headers, KAT.body.replace("123", "124")), [SECRET]),
      401,
      "signature does not match",
    );
  });

  it("rejects an expired delivery and one from the future (401)", () => {
    for (const timestamp of [NOW_SECONDS - 301, NOW_SECONDS + 301]) {
      expectRejected(
        verifyBambooHr(delivery(signed(KAT.body, String(timestamp)), KAT.body), [SECRET]),
        401,
        "timestamp outside the 5-minute tolerance",
      );
    }
    expect(
      verifyBambooHr(delivery(signed(KAT.body, String(NOW_SECONDS - 299)), KAT.body), [SECRET]).ok,
    ).toBe(true);
  });

  it.each(["X-BambooHR-Timestamp", "X-BambooHR-Signature"])(
    "answers 400 naming %s when it is missing",
    (name) => {
      const headers: Record<string, string> = signed(KAT.body);
      delete headers[name];
      expectRejected(
        verifyBambooHr(delivery(headers, KAT.body), [SECRET]),
        400,
        `missing ${name} header`,
      );
    },
  );

  it.each([
    ["empty-ish", "0"],
    ["63 hex characters", "a".repeat(63)],
    ["65 hex characters", "a".repeat(65)],
    ["not hex", "z".repeat(64)],
    ["base64 instead of hex", Buffer.alloc(32, 1).toString("base64")],
  ])("answers 401 to a malformed signature (%s) without throwing", (_, signature) => {
    const headers = { ...signed(KAT.body), "X-BambooHR-Signature": signature };
    expectRejected(
      verifyBambooHr(delivery(headers, KAT.body), [SECRET]),
      401,
      /not a SHA-256 HMAC in hex/,
    );
  });

  it("answers 401 when no secret is configured, and ignores empty secrets", () => {
    expectRejected(
      verifyBambooHr(delivery(signed(KAT.body), KAT.body), []),
      401,
      /no signing secret/,
    );
    expectRejected(
      verifyBambooHr(delivery(signed(KAT.body), KAT.body), [""]),
      401,
      /no signing secret/,
    );
  });
});

describe("verifyBambooHr: delivery ids and rotation", () => {
  it("gives a resend of the same body and timestamp the same id, and a new timestamp a new one", () => {
    const first = verifyBambooHr(delivery(signed(KAT.body), KAT.body), [SECRET]);
    const resend = verifyBambooHr(delivery(signed(KAT.body), KAT.body), [SECRET]);
    const later = String(NOW_SECONDS + 60);
    const next = verifyBambooHr(delivery(signed(KAT.body, later), KAT.body), [SECRET]);
    expect(first.ok && resend.ok && next.ok).toBe(true);
    if (!first.ok || !resend.ok || !next.ok) return;
    expect(resend.deliveryId).toBe(first.deliveryId);
    expect(next.deliveryId).not.toBe(first.deliveryId);
    expect(first.deliveryId).toBe(sha256Hex(`${NOW_SECONDS}.${KAT.body}`));
  });

  it("accepts a delivery signed with the previous key while both are configured", () => {
    const headers = signed(KAT.body, String(NOW_SECONDS), PREVIOUS_SECRET);
    expect(verifyBambooHr(delivery(headers, KAT.body), [SECRET, PREVIOUS_SECRET]).ok).toBe(true);
    expectRejected(
      verifyBambooHr(delivery(headers, KAT.body), [SECRET]),
      401,
      "signature does not match",
    );
  });
});

describe("BambooHR fixtures", () => {
  it.each([
    "bamboohr-new-hire.json",
    "bamboohr-new-hire-details.json",
    "bamboohr-termination.json",
    "bamboohr-job-change.json",
  ])("%s has the documented field-based shape and verifies when signed as stored", (file) => {
    const raw = readFileSync(path.join(FIXTURES, file));
    const body = JSON.parse(raw.toString("utf8")) as { employees: Record<string, unknown>[] };
    expect(body.employees.length).toBeGreaterThan(0);
    for (const employee of body.employees) {
      expect(Object.keys(employee).sort()).toEqual([
        "action",
        "changedFields",
        "fields",
        "id",
        "timestamp",
      ]);
      expect(["Created", "Updated", "Deleted"]).toContain(employee.action);
      expect(typeof employee.id).toBe("string");
    }
    expect(verifyBambooHr(delivery(signed(raw), raw), [SECRET])).toMatchObject({ ok: true });
  });
});
