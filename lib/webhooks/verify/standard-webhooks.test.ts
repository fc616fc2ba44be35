import { describe, expect, it } from "vitest";
import { signStandardWebhook, verifyStandardWebhook } from "./standard-webhooks";
import type { IncomingDelivery, VerifyResult } from "./types";

// Known-answer vector from the Standard Webhooks JS library's test "sign
// function works" (RELIABILITY.md §1.1):
// https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/webhook.test.ts
const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
const TS = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

const OLD_SECRET = "whsec_dGhlIG9sZCBzZWNyZXQsIHJldGlyZWQgc29vbg==";
const NEW_SECRET = "whsec_dGhlIG5ldyBzZWNyZXQgYWZ0ZXIgcm90YXRpb24=";

function delivery(
  headers: Record<string, string>,
  body: string | Buffer = BODY,
  nowSeconds = TS,
): IncomingDelivery {
  return {
    headers: new Headers(headers),
    rawBody: typeof body === "string" ? Buffer.from(body) : body,
    now: new Date(nowSeconds * 1000),
  };
}

function standardHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    "webhook-id": ID,
    "webhook-timestamp": String(TS),
    "webhook-signature": SIGNATURE,
    ...overrides,
  };
}

function expectRejected(result: VerifyResult, status: 400 | 401, reason?: string | RegExp) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.status).toBe(status);
  if (typeof reason === "string") expect(result.reason).toBe(reason);
  if (reason instanceof RegExp) expect(result.reason).toMatch(reason);
  // A reason is stored and shown: never a secret or the expected signature.
  for (const secret of [SECRET, SECRET.slice(6), OLD_SECRET, NEW_SECRET]) {
    expect(result.reason).not.toContain(secret);
  }
  expect(result.reason).not.toContain(SIGNATURE.slice(3));
}

describe("verifyStandardWebhook: the known-answer vector", () => {
  it("accepts the vector with the whsec_ prefix, clock frozen at its timestamp", () => {
    expect(verifyStandardWebhook(delivery(standardHeaders()), [SECRET])).toEqual({
      ok: true,
      deliveryId: ID,
      timestamp: new Date(TS * 1000),
    });
  });

  it("accepts the vector with the secret's whsec_ prefix left off", () => {
    const result = verifyStandardWebhook(delivery(standardHeaders()), [SECRET.slice(6)]);
    expect(result).toMatchObject({ ok: true, deliveryId: ID });
  });

  it("signs the vector to the published signature, with or without the prefix", () => {
    expect(signStandardWebhook(SECRET, ID, TS, BODY)).toBe(SIGNATURE);
    expect(signStandardWebhook(SECRET.slice(6), ID, TS, Buffer.from(BODY))).toBe(SIGNATURE);
  });

  it("reads header names case-insensitively", () => {
    const headers = {
      "Webhook-Id": ID,
      "WEBHOOK-TIMESTAMP": String(TS),
      "Webhook-Signature": SIGNATURE,
    };
    expect(verifyStandardWebhook(delivery(headers), [SECRET]).ok).toBe(true);
  });

  it("accepts the svix-id, svix-timestamp and svix-signature names Svix sends", () => {
    const headers = { "svix-id": ID, "svix-timestamp": String(TS), "svix-signature": SIGNATURE };
    expect(verifyStandardWebhook(delivery(headers), [SECRET])).toMatchObject({
      ok: true,
      deliveryId: ID,
    });
  });
});

describe("verifyStandardWebhook: tampering", () => {
  it("rejects the body with one byte changed (401)", () => {
    const body = Buffer.from(BODY);
    body.writeUInt8(body.readUInt8(body.length - 2) ^ 0x01, body.length - 2); // "4" → "5"
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders(), body), [SECRET]),
      401,
      "signature does not match",
    );
  });

  it("rejects the body after JSON.parse and JSON.stringify (401): only the raw bytes verify", () => {
    const reserialized = JSON.stringify(JSON.parse(BODY));
    expect(reserialized).not.toBe(BODY);
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders(), reserialized), [SECRET]),
      401,
      "signature does not match",
    );
  });

  it("rejects another id or timestamp under the same signature (401)", () => {
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders({ "webhook-id": "msg_other" })), [SECRET]),
      401,
      "signature does not match",
    );
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders({ "webhook-timestamp": String(TS + 1) })), [
        SECRET,
      ]),
      401,
      "signature does not match",
    );
  });

  it("rejects a delivery signed with another secret (401)", () => {
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders()), [NEW_SECRET]),
      401,
      "signature does not match",
    );
  });
});

describe("verifyStandardWebhook: malformed headers get a clear 400/401, never an exception", () => {
  it.each(["webhook-id", "webhook-timestamp", "webhook-signature"])(
    "answers 400 naming %s when it is missing",
    (name) => {
      const headers = standardHeaders();
      delete headers[name];
      expectRejected(
        verifyStandardWebhook(delivery(headers), [SECRET]),
        400,
        `missing ${name} header`,
      );
    },
  );

  it("treats an empty header as missing", () => {
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders({ "webhook-id": "" })), [SECRET]),
      400,
      "missing webhook-id header",
    );
  });

  it.each(["abc", "1614265330.5", "-1614265330", "1e9", " 1614265330x", "0x603826f2"])(
    "answers 400 to the non-numeric timestamp %j",
    (timestamp) => {
      expectRejected(
        verifyStandardWebhook(delivery(standardHeaders({ "webhook-timestamp": timestamp })), [
          SECRET,
        ]),
        400,
        /webhook-timestamp/,
      );
    },
  );

  it("answers 401 to `v1,` with nothing after the comma", () => {
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders({ "webhook-signature": "v1," })), [SECRET]),
      401,
      /no well-formed v1 signature/,
    );
  });

  it.each([
    ["too short", "v1,AAAA"],
    ["one byte short", `v1,${Buffer.alloc(31).toString("base64")}`],
    ["one byte long", `v1,${Buffer.alloc(33).toString("base64")}`],
    ["not base64", "v1,!!!!not-base64!!!!"],
    ["no comma", "v1"],
  ])("answers 401 to a wrong-length or malformed signature (%s)", (_, value) => {
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders({ "webhook-signature": value })), [SECRET]),
      401,
      /no well-formed v1 signature/,
    );
  });

  it("answers 401 saying v1a is not supported when only v1a entries are sent", () => {
    const value = `v1a,${Buffer.alloc(64, 7).toString("base64")} v1a,${Buffer.alloc(64, 9).toString("base64")}`;
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders({ "webhook-signature": value })), [SECRET]),
      401,
      /only v1a \(ed25519\) signatures/,
    );
  });

  it("ignores v1a entries next to a matching v1 entry", () => {
    const value = `v1a,${Buffer.alloc(64, 7).toString("base64")} ${SIGNATURE}`;
    expect(
      verifyStandardWebhook(delivery(standardHeaders({ "webhook-signature": value })), [SECRET]).ok,
    ).toBe(true);
  });

  it("answers 401 when no entry is v1", () => {
    expectRejected(
      verifyStandardWebhook(
        delivery(standardHeaders({ "webhook-signature": `v2,${SIGNATURE.slice(3)}` })),
        [SECRET],
      ),
      401,
      "webhook-signature has no v1 signature",
    );
  });

  it("answers 400 to an id that is too long or not printable ASCII to key a delivery by", () => {
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders({ "webhook-id": "m".repeat(256) })), [SECRET]),
      400,
      /webhook-id must be 1 to 255 printable ASCII/,
    );
  });

  it("answers 401 when the endpoint has no usable secret", () => {
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders()), []),
      401,
      /no signing secret/,
    );
    expectRejected(
      verifyStandardWebhook(delivery(standardHeaders()), ["", "whsec_"]),
      401,
      /no signing secret/,
    );
  });

  it("never throws, whatever the headers hold", () => {
    const values = [
      "",
      " ",
      ",",
      "v1,,",
      "v1, ",
      "v1,=",
      "v1,====",
      "v1,\t",
      "v1a",
      ",v1",
      "v1 v1 v1",
    ];
    for (const value of values) {
      const result = verifyStandardWebhook(
        delivery(standardHeaders({ "webhook-signature": value || "x" })),
        [SECRET],
      );
      expect(result.ok).toBe(false);
      if (!result.ok) expect([400, 401]).toContain(result.status);
    }
  });
});

describe("verifyStandardWebhook: the 5-minute tolerance", () => {
  function signedAt(timestamp: number) {
    return standardHeaders({
      "webhook-timestamp": String(timestamp),
      "webhook-signature": signStandardWebhook(SECRET, ID, timestamp, BODY),
    });
  }

  it.each([
    ["301 s old", TS - 301],
    ["301 s in the future", TS + 301],
  ])("rejects a delivery %s (401)", (_, timestamp) => {
    expectRejected(
      verifyStandardWebhook(delivery(signedAt(timestamp)), [SECRET]),
      401,
      "timestamp outside the 5-minute tolerance",
    );
  });

  it.each([
    ["299 s old", TS - 299],
    ["299 s in the future", TS + 299],
    ["exactly 300 s old", TS - 300],
    ["exactly 300 s in the future", TS + 300],
  ])("accepts a delivery %s", (_, timestamp) => {
    expect(verifyStandardWebhook(delivery(signedAt(timestamp)), [SECRET])).toEqual({
      ok: true,
      deliveryId: ID,
      timestamp: new Date(timestamp * 1000),
    });
  });
});

describe("verifyStandardWebhook: secret rotation", () => {
  const oldSignature = signStandardWebhook(OLD_SECRET, ID, TS, BODY);
  const newSignature = signStandardWebhook(NEW_SECRET, ID, TS, BODY);
  const bothSigned = standardHeaders({ "webhook-signature": `${oldSignature} ${newSignature}` });

  it("accepts `v1,<old> v1,<new>` with either secret configured, or both", () => {
    for (const secrets of [[OLD_SECRET], [NEW_SECRET], [NEW_SECRET, OLD_SECRET]]) {
      expect(verifyStandardWebhook(delivery(bothSigned), secrets).ok).toBe(true);
    }
  });

  it("accepts only `v1,<old>` while the old secret is still configured next to the new one", () => {
    const oldOnly = standardHeaders({ "webhook-signature": oldSignature });
    expect(verifyStandardWebhook(delivery(oldOnly), [NEW_SECRET, OLD_SECRET]).ok).toBe(true);
  });

  it("rejects only `v1,<old>` once only the new secret is configured (401)", () => {
    const oldOnly = standardHeaders({ "webhook-signature": oldSignature });
    expectRejected(
      verifyStandardWebhook(delivery(oldOnly), [NEW_SECRET]),
      401,
      "signature does not match",
    );
  });

  it("tolerates extra spaces between entries", () => {
    const spaced = standardHeaders({ "webhook-signature": `${oldSignature}   ${newSignature}` });
    expect(verifyStandardWebhook(delivery(spaced), [NEW_SECRET]).ok).toBe(true);
  });
});

describe("signStandardWebhook", () => {
  it("refuses a timestamp that is not whole seconds and a secret with no key in it", () => {
    expect(() => signStandardWebhook(SECRET, ID, 1614265330.5, BODY)).toThrow(RangeError);
    expect(() => signStandardWebhook("whsec_", ID, TS, BODY)).toThrow(RangeError);
  });
});
