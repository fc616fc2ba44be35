import { randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import {
  headerValue,
  isBlank,
  lowerCased,
  parseControl,
  pause,
  presentHeaders,
  readBody,
} from "./fake-http";

// A stand-in for the Resend API (https://api.resend.com) that the real `resend`
// SDK can talk to, so tests and the Playwright e2e exercise the production code
// path without the internet. It implements only what OfficeFlow uses:
//
// POST /emails — https://resend.com/docs/api-reference/emails/send-email
//   Body: from, to (string | string[], max 50), subject (required), html and/or
//   text, plus optional cc, bcc, reply_to, headers, tags. 200 → { "id": "<uuid>" }.
//   The `Idempotency-Key` header (1–256 chars) makes a retry return the same
//   response without sending again; the same key with a different payload is a
//   409 `invalid_idempotent_request`
//   (https://resend.com/docs/dashboard/emails/idempotency-keys).
//
// Errors — https://resend.com/docs/api-reference/errors — are JSON
//   { "statusCode": number, "message": string, "name": string }, the shape the
//   SDK's ErrorResponse type reads: missing key → 401 `missing_api_key`, wrong
//   key → 403 `invalid_api_key`, missing field → 422 `missing_required_field`,
//   unknown path → 404 `not_found`, wrong method → 405 `method_not_allowed`.
//
// Scripted trouble, for retry and timeout tests: `failNext(status, body?, { headers })`
//   makes the next POST /emails answer `status`; `failTimes(n, …)` does so for the
//   next n. A 429 defaults to Resend's `rate_limit_exceeded` body with `Retry-After: 1`
//   (https://resend.com/docs/api-reference/rate-limit); the SDK returns
//   response headers with its `error`, so callers can read `headers["retry-after"]`.
//   `hangNext(ms)` delays the next request by `ms` before handling it normally: like
//   a slow provider that already has the request, it still sends the email after the
//   delay even if the client gave up waiting — the ambiguous outcome idempotency keys
//   exist for. Each request consumes one scripted entry, in order.
//
// Test-only endpoints for out-of-process callers (the e2e):
//   GET /_test/emails → the received emails as a JSON array; DELETE /_test/emails resets.
//   POST /_test/fail  { status, body?, headers?, times?, delayMs? } → failTimes.
//   POST /_test/hang  { ms } → hangNext.

export const FAKE_RESEND_API_KEY = "re_test_officeflow_fake_key";

export type ResendErrorBody = { statusCode: number; message: string; name: string };

export type ReceivedEmail = {
  id: string;
  from: string;
  to: string[];
  subject: string;
  html: string | null;
  text: string | null;
  tags: { name: string; value: string }[];
  /** The HTTP request headers, lower-cased, with Authorization removed. */
  headers: Record<string, string>;
  idempotencyKey: string | null;
  receivedAt: string;
};

export type FailOptions = {
  /** Extra response headers; `null` removes a default (e.g. a 429's `retry-after`). */
  headers?: Record<string, string | null>;
  /** Wait this long before answering. */
  delayMs?: number;
};

export type FakeResend = {
  /** Base URL for the SDK: pass as RESEND_BASE_URL (no trailing slash). */
  url: string;
  apiKey: string;
  emails(): ReceivedEmail[];
  /** The next POST /emails answers `status` with `body` (default: a Resend-style error). */
  failNext(status: number, body?: unknown, options?: FailOptions): void;
  /** The next `times` POST /emails answer `status`, as failNext. */
  failTimes(times: number, status: number, body?: unknown, options?: FailOptions): void;
  /** The next POST /emails waits `ms` before it is handled (and still succeeds). */
  hangNext(ms: number): void;
  reset(): void;
  close(): Promise<void>;
};

type Failure = { status: number; body: unknown; headers: Record<string, string | null> };
type Scripted = { delayMs: number; failure: Failure | null };

export async function startFakeResend(
  options: { apiKey?: string; port?: number } = {},
): Promise<FakeResend> {
  const apiKey = options.apiKey ?? FAKE_RESEND_API_KEY;
  const received: ReceivedEmail[] = [];
  const byIdempotencyKey = new Map<string, { payload: string; id: string }>();
  const script: Scripted[] = [];
  const closing = new AbortController();

  const server = http.createServer(async (request, response) => {
    const send = (status: number, body: unknown, headers: Record<string, string | null> = {}) => {
      response.writeHead(status, {
        "content-type": "application/json",
        ...presentHeaders(headers),
      });
      response.end(JSON.stringify(body));
    };
    const fail = (statusCode: number, name: string, message: string) =>
      send(statusCode, { statusCode, message, name } satisfies ResendErrorBody);

    const path = new URL(request.url ?? "/", "http://fake").pathname;
    try {
      if (path === "/_test/emails") {
        if (request.method === "GET") return send(200, received);
        if (request.method === "DELETE") {
          reset();
          return send(200, { cleared: true });
        }
        return fail(405, "method_not_allowed", "Method is not allowed for the requested path.");
      }
      if (path === "/_test/fail" || path === "/_test/hang") {
        if (request.method !== "POST") {
          return fail(405, "method_not_allowed", "Method is not allowed for the requested path.");
        }
        const control = parseControl<Control>(await readBody(request));
        if (path === "/_test/hang") hangNext(control.ms ?? 0);
        else failTimes(control.times ?? 1, control.status ?? 500, control.body, control);
        return send(200, { scheduled: true });
      }
      if (path !== "/emails") {
        return fail(404, "not_found", "The requested endpoint does not exist.");
      }
      if (request.method !== "POST") {
        return fail(405, "method_not_allowed", "Method is not allowed for the requested path.");
      }

      const bodyText = await readBody(request);

      const scripted = script.shift();
      if (scripted && scripted.delayMs > 0 && !(await pause(scripted.delayMs, closing.signal))) {
        return;
      }
      if (scripted?.failure) {
        const { status, body, headers } = scripted.failure;
        return send(status, body, headers);
      }

      const authorization = request.headers.authorization;
      if (!authorization?.startsWith("Bearer ") || authorization === "Bearer ") {
        return fail(401, "missing_api_key", "Missing API key in the authorization header.");
      }
      if (authorization.slice("Bearer ".length) !== apiKey) {
        return fail(403, "invalid_api_key", "API key is invalid.");
      }

      const idempotencyKey = headerValue(request.headers["idempotency-key"]);
      if (idempotencyKey !== null && (idempotencyKey.length < 1 || idempotencyKey.length > 256)) {
        return fail(400, "invalid_idempotency_key", "The key must be between 1-256 chars.");
      }

      let body: Record<string, unknown>;
      try {
        const parsed: unknown = JSON.parse(bodyText);
        if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
          throw new Error("not an object");
        }
        body = parsed as Record<string, unknown>;
      } catch {
        return fail(400, "validation_error", "The request body must be a JSON object.");
      }

      const missing = ["from", "to", "subject"].filter((field) => isBlank(body[field]));
      if (isBlank(body.html) && isBlank(body.text)) missing.push("html or text");
      if (missing.length > 0) {
        return fail(
          422,
          "missing_required_field",
          `Missing required field(s): ${missing.map((field) => `\`${field}\``).join(", ")}.`,
        );
      }
      const to = Array.isArray(body.to) ? body.to : [body.to];
      if (!to.every((address) => typeof address === "string" && address.length > 0)) {
        return fail(422, "validation_error", "`to` must be a string or an array of strings.");
      }
      if (to.length > 50) {
        return fail(422, "validation_error", "`to` accepts at most 50 recipients.");
      }

      if (idempotencyKey !== null) {
        const previous = byIdempotencyKey.get(idempotencyKey);
        if (previous) {
          if (previous.payload !== bodyText) {
            return fail(
              409,
              "invalid_idempotent_request",
              "Same idempotency key used with a different request payload.",
            );
          }
          return send(200, { id: previous.id });
        }
      }

      const id = randomUUID();
      const { authorization: _secret, ...headers } = request.headers;
      received.push({
        id,
        from: String(body.from),
        to: to as string[],
        subject: String(body.subject),
        html: typeof body.html === "string" ? body.html : null,
        text: typeof body.text === "string" ? body.text : null,
        tags: Array.isArray(body.tags) ? (body.tags as ReceivedEmail["tags"]) : [],
        headers: Object.fromEntries(
          Object.entries(headers).map(([name, value]) => [name, headerValue(value) ?? ""]),
        ),
        idempotencyKey,
        receivedAt: new Date().toISOString(),
      });
      if (idempotencyKey !== null) byIdempotencyKey.set(idempotencyKey, { payload: bodyText, id });
      return send(200, { id });
    } catch (error) {
      return fail(500, "internal_server_error", `Fake Resend failed: ${String(error)}`);
    }
  });

  function reset() {
    received.length = 0;
    byIdempotencyKey.clear();
    script.length = 0;
  }

  function failTimes(times: number, status: number, body?: unknown, options: FailOptions = {}) {
    const failure: Failure = {
      status,
      body: body ?? defaultErrorBody(status),
      headers: {
        ...(status === 429 ? { "retry-after": "1" } : {}),
        ...lowerCased(options.headers),
      },
    };
    for (let i = 0; i < times; i++) script.push({ delayMs: options.delayMs ?? 0, failure });
  }

  function hangNext(ms: number) {
    script.push({ delayMs: ms, failure: null });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    emails: () => received.map((email) => structuredClone(email)),
    failNext: (status, body, options) => failTimes(1, status, body, options),
    failTimes,
    hangNext,
    reset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        closing.abort();
        // The SDK's fetch keeps connections alive; without this, close() waits for them to idle out.
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function defaultErrorBody(status: number): ResendErrorBody {
  if (status === 429) {
    return {
      statusCode: 429,
      message: "Too many requests. You can only make 2 requests per second.",
      name: "rate_limit_exceeded",
    };
  }
  return {
    statusCode: status,
    message: "Internal server error. We are unable to process your request right now.",
    name: "internal_server_error",
  };
}

type Control = FailOptions & { status?: number; body?: unknown; times?: number; ms?: number };

// `tsx test/support/fake-resend.ts`: serve until SIGTERM, for the Playwright e2e.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fake = await startFakeResend({
    port: process.env.FAKE_RESEND_PORT ? Number(process.env.FAKE_RESEND_PORT) : 0,
    apiKey: process.env.FAKE_RESEND_API_KEY || undefined,
  });
  console.log(`fake resend listening on ${fake.url}`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
