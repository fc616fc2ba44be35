import { describe, expect, expectTypeOf, it } from "vitest";
import { ZodError } from "zod";
import { WebhookSourceType as PrismaWebhookSourceType } from "@/lib/generated/prisma/enums";
import { signBambooHr } from "./bamboohr";
import { signHmacHeader } from "./hmac-header";
import { VERIFIERS, verifyDelivery, type WebhookSourceType } from "./index";
import { signStandardWebhook } from "./standard-webhooks";
import type { IncomingDelivery } from "./types";

const NOW_SECONDS = 1_774_600_000;
const BODY = '{"type":"employee.onboard","employee":{"id":"E1"}}';
const STANDARD_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const SECRET = "endpoint-secret-0123456789abcdef";

function delivery(headers: Record<string, string>): IncomingDelivery {
  return {
    headers: new Headers(headers),
    rawBody: Buffer.from(BODY),
    now: new Date(NOW_SECONDS * 1000),
  };
}

describe("the verifier registry", () => {
  it("has one verifier per value of the Prisma enum WebhookSourceType", () => {
    expect(Object.keys(VERIFIERS).sort()).toEqual(Object.values(PrismaWebhookSourceType).sort());
    expectTypeOf<WebhookSourceType>().toEqualTypeOf<PrismaWebhookSourceType>();
  });

  it("routes standard_webhooks deliveries to the Standard Webhooks verifier", () => {
    const headers = {
      "webhook-id": "msg_1",
      "webhook-timestamp": String(NOW_SECONDS),
      "webhook-signature": signStandardWebhook(STANDARD_SECRET, "msg_1", NOW_SECONDS, BODY),
    };
    expect(
      verifyDelivery("standard_webhooks", delivery(headers), [STANDARD_SECRET], {}),
    ).toMatchObject({
      ok: true,
      deliveryId: "msg_1",
    });
  });

  it("routes bamboohr deliveries to the BambooHR verifier, ignoring config", () => {
    const timestamp = String(NOW_SECONDS);
    const headers = {
      "X-BambooHR-Timestamp": timestamp,
      "X-BambooHR-Signature": signBambooHr(SECRET, timestamp, BODY),
    };
    expect(verifyDelivery("bamboohr", delivery(headers), [SECRET], { mapping: "$" }).ok).toBe(true);
  });

  it("routes hmac_header deliveries with the endpoint's config, ignoring settings other layers own", () => {
    const config = {
      signatureHeader: "X-Signature",
      algorithm: "sha512" as const,
      encoding: "base64" as const,
    };
    const headers = { "X-Signature": signHmacHeader(SECRET, config, BODY) };
    const stored = { ...config, mapping: "{ 'type': type }", eventTypes: ["employee.onboard"] };
    expect(verifyDelivery("hmac_header", delivery(headers), [SECRET], stored).ok).toBe(true);
    // A sender cannot change the scheme: a wrong-algorithm signature fails.
    expect(
      verifyDelivery("hmac_header", delivery(headers), [SECRET], {
        signatureHeader: "X-Signature",
      }),
    ).toMatchObject({
      ok: false,
      status: 401,
    });
  });

  it("throws on a stored hmac_header config that does not parse (a server-side fault, not a 4xx)", () => {
    expect(() =>
      verifyDelivery("hmac_header", delivery({}), [SECRET], { algorithm: "sha256" }),
    ).toThrow(ZodError);
    expect(() => verifyDelivery("hmac_header", delivery({}), [SECRET], null)).toThrow(ZodError);
  });

  it("throws on a source type it does not know", () => {
    expect(() => verifyDelivery("zapier" as WebhookSourceType, delivery({}), [SECRET], {})).toThrow(
      TypeError,
    );
  });
});
