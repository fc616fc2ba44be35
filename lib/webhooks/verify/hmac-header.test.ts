import { describe, expect, it } from "vitest";
import { ZodError } from "zod";
import { sha256Hex } from "@/lib/sha256";
import {
  HMAC_PRESETS,
  type HmacHeaderConfigInput,
  hmacHeaderConfigSchema,
  signHmacHeader,
  verifyHmacHeader,
} from "./hmac-header";
import type { IncomingDelivery, VerifyResult } from "./types";

const SECRET = "middleware-shared-secret";
const PREVIOUS_SECRET = "middleware-secret-before-rotation";
const NOW_SECONDS = 1_774_600_000;
const BODY = '{"event":"hire","worker":{"workerId":"E1"}}';

function delivery(
  headers: Record<string, string>,
  body: string = BODY,
  nowSeconds = NOW_SECONDS,
): IncomingDelivery {
  return {
    headers: new Headers(headers),
    rawBody: Buffer.from(body),
    now: new Date(nowSeconds * 1000),
  };
}

function expectRejected(result: VerifyResult, status: 400 | 401, reason: string | RegExp) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.status).toBe(status);
  if (typeof reason === "string") expect(result.reason).toBe(reason);
  else expect(result.reason).toMatch(reason);
  expect(result.reason).not.toContain(SECRET);
}

describe("verifyHmacHeader: independently computed vectors", () => {
  it("HiBob preset: HMAC-SHA512 of the body, base64, in Bob-Signature", () => {
    // python3: base64(hmac.new(b"hibob-webhook-secret", body, sha512).digest())
    const body = '{"type":"employee.joined","data":{"employeeId":"3332883804594373380"}}';
    const signature =
      "fNRx8AVySGSntZoiMsZezlSVwuEij1ScrkZcy1WODM9ULvIjKT/SrnZPNVWtaVgTUJt0Kg5otkYkpfDr4sn9Gw==";
    expect(signHmacHeader("hibob-webhook-secret", HMAC_PRESETS.hibob, body)).toBe(signature);
    expect(
      verifyHmacHeader(
        delivery({ "Bob-Signature": signature }, body),
        ["hibob-webhook-secret"],
        HMAC_PRESETS.hibob,
      ),
    ).toEqual({ ok: true, deliveryId: sha256Hex(body), timestamp: null });
  });

  it("sha256=-prefixed hex over timestamp, dot, body", () => {
    // python3: hmac.new(b"middleware-shared-secret", b"1774600000." + body, sha256).hexdigest()
    const config = {
      signatureHeader: "X-Signature",
      prefix: "sha256=",
      timestampHeader: "X-Timestamp",
    };
    const signature = "sha256=51560c30d66390476d95211aedb922839a834ed73f75b05eccfdc568524c565f";
    expect(signHmacHeader(SECRET, config, BODY, String(NOW_SECONDS))).toBe(signature);
    const headers = { "X-Signature": signature, "X-Timestamp": String(NOW_SECONDS) };
    expect(verifyHmacHeader(delivery(headers), [SECRET], config)).toEqual({
      ok: true,
      deliveryId: sha256Hex(`${NOW_SECONDS}.${BODY}`),
      timestamp: new Date(NOW_SECONDS * 1000),
    });
  });
});

// Every combination of the options: algorithm × encoding × prefix × timestamp × delivery id.
const combinations: HmacHeaderConfigInput[] = [];
for (const algorithm of ["sha256", "sha512"] as const) {
  for (const encoding of ["hex", "base64"] as const) {
    for (const prefix of [undefined, "sha256="]) {
      for (const timestampHeader of [undefined, "X-Webhook-Timestamp"]) {
        for (const deliveryIdHeader of [undefined, "X-Delivery-Id"]) {
          combinations.push({
            signatureHeader: "X-Webhook-Signature",
            algorithm,
            encoding,
            ...(prefix ? { prefix } : {}),
            ...(timestampHeader ? { timestampHeader } : {}),
            ...(deliveryIdHeader ? { deliveryIdHeader } : {}),
          });
        }
      }
    }
  }
}

function headersFor(
  config: HmacHeaderConfigInput,
  body = BODY,
  secret = SECRET,
): Record<string, string> {
  const timestamp = config.timestampHeader ? String(NOW_SECONDS) : undefined;
  return {
    [config.signatureHeader]: signHmacHeader(secret, config, body, timestamp),
    ...(config.timestampHeader ? { [config.timestampHeader]: String(NOW_SECONDS) } : {}),
    ...(config.deliveryIdHeader ? { [config.deliveryIdHeader]: "evt_01HX7Q2" } : {}),
  };
}

describe.each(combinations.map((config) => [JSON.stringify(config), config] as const))(
  "verifyHmacHeader with %s",
  (_, config) => {
    it("accepts what a sender configured the same way signs", () => {
      const result = verifyHmacHeader(delivery(headersFor(config)), [SECRET], config);
      const signed = config.timestampHeader ? `${NOW_SECONDS}.${BODY}` : BODY;
      expect(result).toEqual({
        ok: true,
        deliveryId: config.deliveryIdHeader ? "evt_01HX7Q2" : sha256Hex(signed),
        timestamp: config.timestampHeader ? new Date(NOW_SECONDS * 1000) : null,
      });
    });

    it("rejects the body with one byte changed (401)", () => {
      expectRejected(
        verifyHmacHeader(delivery(headersFor(config), BODY.replace("E1", "E2")), [SECRET], config),
        401,
        "signature does not match",
      );
    });

    it("accepts a signature made with the previous secret while both are configured", () => {
      const headers = headersFor(config, BODY, PREVIOUS_SECRET);
      expect(verifyHmacHeader(delivery(headers), [SECRET, PREVIOUS_SECRET], config).ok).toBe(true);
      expectRejected(
        verifyHmacHeader(delivery(headers), [SECRET], config),
        401,
        "signature does not match",
      );
    });
  },
);

describe("verifyHmacHeader: defaults, prefix and encodings", () => {
  it("defaults to sha256 and hex", () => {
    expect(hmacHeaderConfigSchema.parse({ signatureHeader: "X-Signature" })).toEqual({
      signatureHeader: "X-Signature",
      algorithm: "sha256",
      encoding: "hex",
    });
    const config = { signatureHeader: "X-Signature" };
    const expected = signHmacHeader(
      SECRET,
      { ...config, algorithm: "sha256", encoding: "hex" },
      BODY,
    );
    expect(expected).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyHmacHeader(delivery({ "x-signature": expected }), [SECRET], config).ok).toBe(true);
  });

  it("accepts upper-case hex", () => {
    const config = { signatureHeader: "X-Signature" };
    const signature = signHmacHeader(SECRET, config, BODY).toUpperCase();
    expect(verifyHmacHeader(delivery({ "X-Signature": signature }), [SECRET], config).ok).toBe(
      true,
    );
  });

  it("answers 401 naming the prefix when the header lacks it", () => {
    const config = { signatureHeader: "X-Hub-Signature-256", prefix: "sha256=" };
    const bare = signHmacHeader(SECRET, { signatureHeader: "X-Hub-Signature-256" }, BODY);
    expectRejected(
      verifyHmacHeader(delivery({ "X-Hub-Signature-256": bare }), [SECRET], config),
      401,
      'X-Hub-Signature-256 does not start with "sha256="',
    );
  });

  it("answers 401 when a prefix arrives that the config does not expect", () => {
    const config = { signatureHeader: "X-Hub-Signature-256" };
    const prefixed = `sha256=${signHmacHeader(SECRET, config, BODY)}`;
    expectRejected(
      verifyHmacHeader(delivery({ "X-Hub-Signature-256": prefixed }), [SECRET], config),
      401,
      /is not a SHA256 HMAC in hex/,
    );
  });

  it.each([
    ["sha256 hex, too short", { signatureHeader: "X-S" }, "ab".repeat(31)],
    [
      "sha512 hex given a sha256-length value",
      { signatureHeader: "X-S", algorithm: "sha512" as const },
      "ab".repeat(32),
    ],
    [
      "base64 that is hex",
      { signatureHeader: "X-S", encoding: "base64" as const },
      "ab".repeat(32),
    ],
    ["sha512 base64 of 32 bytes", HMAC_PRESETS.hibob, Buffer.alloc(32).toString("base64")],
    ["empty after the prefix", { signatureHeader: "X-S", prefix: "v1=" }, "v1="],
  ])(
    "answers 401 to a wrong-length or wrongly encoded signature (%s) without throwing",
    (_, config, value) => {
      const name = config.signatureHeader;
      expectRejected(
        verifyHmacHeader(delivery({ [name]: value }), [SECRET], config),
        401,
        /is not a SHA(256|512) HMAC/,
      );
    },
  );
});

describe("verifyHmacHeader: timestamp and delivery-id headers", () => {
  const config = {
    signatureHeader: "X-Signature",
    timestampHeader: "X-Timestamp",
    deliveryIdHeader: "X-Delivery-Id",
  };

  it.each(["X-Signature", "X-Timestamp", "X-Delivery-Id"])(
    "answers 400 naming %s when it is missing",
    (name) => {
      const headers = headersFor(config);
      delete headers[name];
      expectRejected(
        verifyHmacHeader(delivery(headers), [SECRET], config),
        400,
        `missing ${name} header`,
      );
    },
  );

  it("answers 400 to an unparseable timestamp", () => {
    const headers = { ...headersFor(config), "X-Timestamp": "soon" };
    expectRejected(
      verifyHmacHeader(delivery(headers), [SECRET], config),
      400,
      /X-Timestamp is neither Unix time/,
    );
  });

  it("rejects a timestamp outside the 5-minute tolerance (401) and a tampered one (401)", () => {
    for (const now of [NOW_SECONDS + 301, NOW_SECONDS - 301]) {
      expectRejected(
        verifyHmacHeader(delivery(headersFor(config), BODY, now), [SECRET], config),
        401,
        "timestamp outside the 5-minute tolerance",
      );
    }
    const tampered = { ...headersFor(config), "X-Timestamp": String(NOW_SECONDS + 1) };
    expectRejected(
      verifyHmacHeader(delivery(tampered), [SECRET], config),
      401,
      "signature does not match",
    );
  });

  it("answers 400 to a delivery id too long to store", () => {
    const headers = { ...headersFor(config), "X-Delivery-Id": "d".repeat(256) };
    expectRejected(
      verifyHmacHeader(delivery(headers), [SECRET], config),
      400,
      /X-Delivery-Id must be 1 to 255/,
    );
  });

  it("answers 401 when no secret is configured", () => {
    expectRejected(
      verifyHmacHeader(delivery(headersFor(config)), [], config),
      401,
      /no signing secret/,
    );
  });
});

describe("hmacHeaderConfigSchema: malformed config is a zod error naming the field", () => {
  function issueFor(value: unknown) {
    const result = hmacHeaderConfigSchema.safeParse(value);
    expect(result.success).toBe(false);
    return result.error?.issues[0];
  }

  it.each([
    ["a missing signatureHeader", {}, "signatureHeader", /signatureHeader is required/],
    [
      "a header name with a space",
      { signatureHeader: "X Signature" },
      "signatureHeader",
      /signatureHeader must be an HTTP header name/,
    ],
    [
      "a header name with a colon",
      { signatureHeader: "X-Signature:" },
      "signatureHeader",
      /signatureHeader must be an HTTP header name/,
    ],
    [
      "a non-string header name",
      { signatureHeader: 42 },
      "signatureHeader",
      /signatureHeader must be a string/,
    ],
    [
      "an unknown algorithm",
      { signatureHeader: "X-S", algorithm: "md5" },
      "algorithm",
      /algorithm must be sha256 or sha512/,
    ],
    [
      "an unknown encoding",
      { signatureHeader: "X-S", encoding: "base32" },
      "encoding",
      /encoding must be hex or base64/,
    ],
    ["an empty prefix", { signatureHeader: "X-S", prefix: "" }, "prefix", /prefix/],
    [
      "a prefix with a newline",
      { signatureHeader: "X-S", prefix: "a\nb" },
      "prefix",
      /prefix must be printable ASCII/,
    ],
    [
      "a bad timestampHeader",
      { signatureHeader: "X-S", timestampHeader: "X Time" },
      "timestampHeader",
      /timestampHeader must be an HTTP header name/,
    ],
    [
      "a bad deliveryIdHeader",
      { signatureHeader: "X-S", deliveryIdHeader: "" },
      "deliveryIdHeader",
      /deliveryIdHeader must not be empty/,
    ],
    [
      "the timestamp in the signature's header",
      { signatureHeader: "X-S", timestampHeader: "x-s" },
      "timestampHeader",
      /timestampHeader must be a different header/,
    ],
    [
      "the delivery id in the timestamp's header",
      { signatureHeader: "X-S", timestampHeader: "X-T", deliveryIdHeader: "X-T" },
      "deliveryIdHeader",
      /deliveryIdHeader must be a different header/,
    ],
  ])("rejects %s", (_, value, field, message) => {
    const issue = issueFor(value);
    expect(issue?.path).toEqual([field]);
    expect(issue?.message).toMatch(message);
  });

  it("rejects unknown keys (strict), naming them", () => {
    const issue = issueFor({ signatureHeader: "X-S", signatureHeaders: "X-T" });
    expect(issue?.code).toBe("unrecognized_keys");
    expect(issue?.message).toContain("signatureHeaders");
  });

  it("makes verifyHmacHeader throw rather than blame the sender for a config that does not parse", () => {
    expect(() =>
      verifyHmacHeader(delivery({ "X-S": "00" }), [SECRET], { signatureHeader: "X S" }),
    ).toThrow(ZodError);
  });
});

describe("signHmacHeader", () => {
  it("requires a timestamp exactly when the config signs one", () => {
    expect(() =>
      signHmacHeader(SECRET, { signatureHeader: "X-S", timestampHeader: "X-T" }, BODY),
    ).toThrow(/timestamp is required/);
    expect(() => signHmacHeader(SECRET, { signatureHeader: "X-S" }, BODY, "1")).toThrow(
      /only signed/,
    );
    expect(() => signHmacHeader("", { signatureHeader: "X-S" }, BODY)).toThrow(RangeError);
  });
});
