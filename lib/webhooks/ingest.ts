import "server-only";
import { z } from "zod";
import { forOrg } from "@/lib/db/tenant";
import { storeDelivery, storedDeliveryId } from "@/lib/db/webhook-delivery-store";
import { NotFound, PayloadTooLarge, UnsupportedMediaType } from "@/lib/errors";
import { sha256Hex } from "@/lib/sha256";
import { endpointForIngest } from "./endpoint-cache";
import { verificationSecretsAt } from "./endpoint-secrets";
import { normalizeDelivery, type SourceConfig } from "./normalize";
import { verifyDelivery } from "./verify";

// The webhook pipeline up to the point of no return, in the request:
// size limit → endpoint → signature → JSON → normalise → one transaction that
// stores the delivery and its lifecycle events (a repeated delivery id hits
// the unique key and changes nothing). Dispatching to Inngest happens after
// the response (lib/webhooks/dispatch.ts), and a sweeper re-sends anything
// left undispatched, so a stored delivery is never lost.

export const MAX_WEBHOOK_BODY_BYTES = 256 * 1024;
const UUID = z.uuid();
const SECRET_HEADER = /signature|secret|token|authorization|cookie|api[-_]?key/i;

export type IngestOutcome = {
  status: 200 | 202 | 400 | 401;
  body: Record<string, unknown>;
  /** Lifecycle events stored by this request, to dispatch after responding. */
  toDispatch: { organizationId: string; lifecycleEventIds: string[]; deliveryId: string } | null;
};

async function readCappedBody(request: Request): Promise<Buffer> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_WEBHOOK_BODY_BYTES)
    throw new PayloadTooLarge(`The body must be at most ${MAX_WEBHOOK_BODY_BYTES} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  const reader = request.body?.getReader();
  if (!reader) return Buffer.alloc(0);
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_WEBHOOK_BODY_BYTES) {
      await reader.cancel();
      throw new PayloadTooLarge(`The body must be at most ${MAX_WEBHOOK_BODY_BYTES} bytes.`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** The request's headers as the delivery log keeps them: no signatures, secrets or cookies. */
function storableHeaders(headers: Headers, extraSecret?: string): Record<string, string> {
  const kept: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (SECRET_HEADER.test(name) || name === extraSecret?.toLowerCase()) return;
    kept[name] = value.slice(0, 500);
  });
  return kept;
}

export async function ingestWebhook(
  endpointId: string,
  request: Request,
  now = new Date(),
): Promise<IngestOutcome> {
  if (!UUID.safeParse(endpointId).success) throw new NotFound("Webhook endpoint");
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type))
    throw new UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.");
  const rawBody = await readCappedBody(request);
  const endpoint = await endpointForIngest(endpointId);
  if (!endpoint?.enabled) throw new NotFound("Webhook endpoint");

  const config = (endpoint.config ?? {}) as SourceConfig & { signatureHeader?: string };
  const headers = storableHeaders(request.headers, config.signatureHeader);
  const reject = async (
    status: 400 | 401,
    reason: string,
    field?: string,
  ): Promise<IngestOutcome> => {
    // Kept for the delivery log ("why was it rejected?"), without the body:
    // anyone who knows the URL can send garbage, and it is not worth storing.
    await forOrg(endpoint.organizationId).webhookDelivery.create({
      data: {
        organizationId: endpoint.organizationId,
        endpointId,
        deliveryKey: `rejected:${sha256Hex(`${now.getTime()}:${Math.random()}`)}`,
        status: "rejected",
        rejectionReason: reason.slice(0, 500),
        rawBody: "",
        headers,
      },
    });
    return {
      status,
      body: {
        error: {
          code: status === 401 ? "signature_invalid" : "validation_failed",
          message: reason,
          ...(field ? { issues: [{ field, message: reason }] } : {}),
        },
      },
      toDispatch: null,
    };
  };

  const verification = verifyDelivery(
    endpoint.sourceType,
    { headers: request.headers, rawBody, now },
    verificationSecretsAt(endpoint.secrets, now),
    endpoint.config,
  );
  if (!verification.ok) return reject(verification.status, verification.reason);

  let json: unknown;
  try {
    json = JSON.parse(rawBody.toString("utf8"));
  } catch {
    return reject(400, "the body is not valid JSON", "(body)");
  }
  const normalized = await normalizeDelivery(endpoint.sourceType, config, json);
  if (!normalized.ok)
    return reject(400, `${normalized.field}: ${normalized.message}`, normalized.field);

  const deliveryKey = verification.deliveryId.slice(0, 255);
  const stored = await storeDelivery({
    organizationId: endpoint.organizationId,
    endpointId,
    deliveryKey,
    rawBody: rawBody.toString("utf8"),
    headers,
    receivedAt: now,
    events: normalized.events.map((event) => ({
      type: event.type,
      employeeExternalId: event.employeeExternalId,
      payload: event.data,
      occurredAt: event.occurredAt ? new Date(event.occurredAt) : now,
    })),
  });
  if (!stored) {
    // The same delivery again (a sender retry, a replay): acknowledge, start nothing.
    return {
      status: 200,
      body: {
        deliveryId: await storedDeliveryId(endpoint.organizationId, endpointId, deliveryKey),
        duplicate: true,
      },
      toDispatch: null,
    };
  }
  return {
    status: 202,
    body: {
      deliveryId: stored.deliveryId,
      events: stored.lifecycleEventIds.length,
      duplicate: false,
    },
    toDispatch:
      stored.lifecycleEventIds.length > 0
        ? { organizationId: endpoint.organizationId, ...stored }
        : null,
  };
}
