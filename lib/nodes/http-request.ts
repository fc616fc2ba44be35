import { z } from "zod";
import { allowsHost } from "@/lib/credentials/kinds";
import {
  NodeError,
  parseRetryAfter,
  permanentFailure,
  retriableFailure,
} from "@/lib/engine/node-error";
import { scrubSecrets } from "@/lib/engine/recorded-value";
import {
  OutboundRequestBlocked,
  OutboundTimeout,
  ResponseTooLarge,
} from "@/lib/net/outbound-errors";
import { defineActionKind } from "./node-kind";
import type { DecryptedCredential, OutboundHttpResponse } from "./services";

// Calls an HTTP API. Every request goes through the outbound HTTP port, whose
// implementation (lib/net/outbound-fetch) refuses private, loopback and
// metadata addresses at connect time, redirects included (RELIABILITY S2). A
// credential is bound to the hosts listed with it and is applied only when the
// URL's host is one of them (S3), so a workflow cannot send an organisation's
// token to a server of its choosing. Retries are the engine's: 5xx, 408, 429
// and network trouble are retriable (honouring Retry-After), other 4xx fail
// the node at once. Note that a retried POST is sent again: arbitrary HTTP has
// no idempotency key, so this node is at-least-once (RELIABILITY I3); APIs
// that accept one can be given a header such as `Idempotency-Key: {{ run.id }}`.

export const MAX_HEADERS = 30;
export const MAX_RESPONSE_KB = 5120;
/** Text bodies longer than this are cut in the output (the full body is never stored). */
export const MAX_TEXT_BODY_BYTES = 64 * 1024;
const SNIPPET_LENGTH = 300;
// The node's timeout (ctx.signal) is what limits a request; this only keeps
// the port's own transport limit from cutting in first.
const TRANSPORT_TIMEOUT_MS = 3_600_000;

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;
// Set by the HTTP client itself, or meaningful only hop by hop (RFC 9110 §7.6.1).
const FORBIDDEN_HEADERS = new Set([
  "host",
  "content-length",
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
/** The response headers a workflow can read; others may carry cookies or internals. */
const OUTPUT_HEADERS = ["content-type", "etag", "location", "retry-after", "x-request-id"];
const CREDENTIAL_KINDS = ["http_bearer", "http_basic", "http_header"] as const;

const config = z
  .object({
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("GET"),
    /** e.g. `https://api.example.com/users/{{ employee.id }}`. */
    url: z.string().trim().min(1, "is required").max(4096),
    headers: z
      .record(z.string(), z.string().max(8192, "must be at most 8192 characters"))
      .default({})
      .check((check) => {
        const names = Object.keys(check.value);
        if (names.length > MAX_HEADERS)
          check.issues.push({
            code: "custom",
            input: check.value,
            message: `at most ${MAX_HEADERS} headers`,
          });
        for (const name of names) {
          const message = !HEADER_NAME.test(name)
            ? "is not a valid header name"
            : FORBIDDEN_HEADERS.has(name.toLowerCase())
              ? "is set by OfficeFlow itself and cannot be given"
              : undefined;
          if (message) check.issues.push({ code: "custom", input: name, path: [name], message });
        }
      }),
    /** Added to the URL's query string, e.g. `{ "email": "{{ employee.email }}" }`. */
    query: z
      .record(z.string().min(1).max(200), z.string().max(4096))
      .refine((query) => Object.keys(query).length <= 50, "at most 50 parameters")
      .optional(),
    /** json: a JSON document; form: a JSON object of fields, sent form-encoded; text: as is. */
    body: z.string().max(1_000_000).optional(),
    bodyType: z.enum(["json", "text", "form"]).default("json"),
    credentialId: z.guid("must be a credential id").optional(),
    maxResponseKb: z.number().int().min(1).max(MAX_RESPONSE_KB).default(1024),
    /** Fail the node when the answer is not 2xx; off, any status is an output. */
    failOnStatus: z.boolean().default(true),
  })
  .strict()
  .check((check) => {
    const { method, body, credentialId, headers } = check.value;
    if (method === "GET" && body !== undefined && body !== "")
      check.issues.push({
        code: "custom",
        input: body,
        path: ["body"],
        message: "a GET request has no body; use POST, PUT or PATCH",
      });
    if (credentialId) {
      const authorization = Object.keys(headers).find(
        (name) => name.toLowerCase() === "authorization",
      );
      if (authorization)
        check.issues.push({
          code: "custom",
          input: authorization,
          path: ["headers", authorization],
          message: "the credential sets the authorization; remove this header",
        });
    }
  });
type HttpConfig = z.infer<typeof config>;

const output = z.object({
  status: z.number(),
  headers: z.record(z.string(), z.string()),
  /** Parsed JSON for JSON answers, otherwise text (cut at 64 KiB); null when empty. */
  body: z.unknown(),
  durationMs: z.number(),
});
type HttpOutput = z.infer<typeof output>;

type PreparedRequest = {
  method: HttpConfig["method"];
  url: URL;
  headers: Record<string, string>;
  body: string | undefined;
};

export const httpRequestKind = defineActionKind({
  kind: "http_request",
  label: "HTTP request",
  description: "Calls an HTTP API and hands its answer to the next steps.",
  category: "integrations",
  config,
  output,
  sideEffects: true,
  longTextFields: ["body"],
  credentialFields: { credentialId: CREDENTIAL_KINDS },
  defaultTimeoutSeconds: 30,
  defaultConfig: {
    method: "POST",
    url: "https://api.example.com/employees",
    headers: {},
    body: '{ "email": {{ employee.email | json }} }',
    bodyType: "json",
    maxResponseKb: 1024,
    failOnStatus: true,
  },
  check(config) {
    const issues: { field: string; message: string }[] = [];
    if (!isTemplate(config.url)) {
      const problem = urlProblem(config.url);
      if (problem) issues.push({ field: "url", message: problem });
    }
    if (config.body && !isTemplate(config.body) && config.bodyType !== "text") {
      const problem = bodyProblem(config.body, config.bodyType);
      if (problem) issues.push({ field: "body", message: problem });
    }
    return issues;
  },
  async execute({ config, credentials, services, signal }) {
    const request = prepare(config);
    const credential = config.credentialId
      ? await credentials.read(config.credentialId, CREDENTIAL_KINDS)
      : undefined;
    // What the credential put on the wire. A server may echo it back (error
    // pages, echo endpoints); it must reach neither a message nor the output.
    const secrets = credential
      ? applyCredential(request, credential, config.credentialId as string)
      : [];

    const host = request.url.host;
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let response: OutboundHttpResponse;
    try {
      response = await services.http.request(request.url.href, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal,
        timeoutMs: TRANSPORT_TIMEOUT_MS,
        maxResponseBytes: config.maxResponseKb * 1024,
        // A custom credential header must not follow a redirect to another origin.
        sensitiveHeaders:
          credential?.kind === "http_header" ? [String(credential.settings.headerName)] : undefined,
      });
    } catch (error) {
      throw transportFailure(error, { host, seconds: elapsed() / 1000, config, signal });
    }
    const durationMs = elapsed();

    if (config.failOnStatus && (response.status < 200 || response.status > 299)) {
      const after = `after ${(durationMs / 1000).toFixed(1)} s`;
      if (response.status >= 500 || response.status === 408 || response.status === 429)
        throw retriableFailure(
          `HTTP ${response.status} from ${host} ${after}`,
          parseRetryAfter(response.headers.get("retry-after")),
        );
      const snippet = scrubSecrets(textSnippet(response.body), secrets);
      throw permanentFailure(
        `HTTP ${response.status} from ${host}${snippet ? `: ${snippet}` : ""}`,
      );
    }
    try {
      return scrubSecrets(
        {
          status: response.status,
          headers: outputHeaders(response.headers),
          body: parseBody(response.body, response.headers.get("content-type"), host),
          durationMs,
        } satisfies HttpOutput,
        secrets,
      );
    } catch (error) {
      throw error instanceof Error ? permanentFailure(scrubSecrets(error.message, secrets)) : error;
    }
  },
  async preview({ config, credentials }) {
    const request = prepare(config);
    if (config.credentialId) {
      const credential = await credentials.read(config.credentialId, CREDENTIAL_KINDS);
      // Checks the host binding as a real run would, then shows a placeholder.
      applyCredential(request, credential, config.credentialId);
      const label = `[credential ${credentialName(credential) ?? config.credentialId}]`;
      const header =
        credential.kind === "http_header"
          ? String(credential.settings.headerName)
          : "Authorization";
      for (const name of Object.keys(request.headers))
        if (name.toLowerCase() === header.toLowerCase()) request.headers[name] = label;
    }
    return {
      wouldSend: {
        method: request.method,
        url: request.url.href,
        headers: request.headers,
        body: request.body ?? null,
      },
      output: { status: 0, headers: {}, body: null, durationMs: 0 },
    };
  },
});

function isTemplate(value: string): boolean {
  return value.includes("{{") || value.includes("{%");
}

function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "is not a valid URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    return "must start with http:// or https://";
  if (url.username || url.password)
    return "must not contain a user name or password; use an HTTP basic auth credential";
  return undefined;
}

function bodyProblem(body: string, bodyType: "json" | "form"): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    return `is not valid JSON (${(error as Error).message}); to insert text into JSON use the json filter, e.g. {{ employee.firstName | json }}`;
  }
  if (bodyType === "form") {
    const scalar = (value: unknown) =>
      typeof value === "string" || typeof value === "number" || typeof value === "boolean";
    const isFields =
      typeof parsed === "object" &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      Object.values(parsed).every(scalar);
    if (!isFields)
      return 'a form body is a JSON object of fields with text, number or true/false values, e.g. { "name": "Ada" }';
  }
  return undefined;
}

/** The request as rendered, validated; no credential yet. */
function prepare(config: HttpConfig): PreparedRequest {
  const problem = urlProblem(config.url);
  if (problem) throw permanentFailure(`url ${problem} (after templates were filled in)`);
  const url = new URL(config.url);
  for (const [name, value] of Object.entries(config.query ?? {}))
    url.searchParams.append(name, value);

  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(config.headers)) {
    if (/[\r\n\0]/.test(value))
      throw permanentFailure(`header ${name}: the value contains a line break`);
    headers[name] = value;
  }

  let body: string | undefined;
  if (config.body !== undefined && config.body !== "" && config.method !== "GET") {
    if (config.bodyType !== "text") {
      const bodyIssue = bodyProblem(config.body, config.bodyType);
      if (bodyIssue) throw permanentFailure(`body ${bodyIssue}`);
    }
    body =
      config.bodyType === "form"
        ? new URLSearchParams(
            Object.entries(JSON.parse(config.body) as Record<string, unknown>).map(
              ([name, value]) => [name, String(value)],
            ),
          ).toString()
        : config.body;
    const contentType = {
      json: "application/json",
      text: "text/plain; charset=utf-8",
      form: "application/x-www-form-urlencoded",
    }[config.bodyType];
    if (!Object.keys(headers).some((name) => name.toLowerCase() === "content-type"))
      headers["Content-Type"] = contentType;
  }
  return { method: config.method, url, headers, body };
}

/**
 * Adds the credential's header, if the URL's host is one the credential is
 * bound to; returns the secret strings it sent (for redaction).
 */
function applyCredential(
  request: PreparedRequest,
  credential: DecryptedCredential,
  credentialId: string,
): string[] {
  const hosts = Array.isArray(credential.settings.allowedHosts)
    ? credential.settings.allowedHosts.filter((host): host is string => typeof host === "string")
    : [];
  if (!allowsHost(hosts, request.url.hostname))
    throw permanentFailure(
      `credential ${credentialName(credential) ?? credentialId} may only be sent to ${
        hosts.length > 0 ? hosts.join(", ") : "the hosts listed with it (none are)"
      }, not ${request.url.hostname}`,
    );
  const setHeader = (name: string, value: string) => {
    for (const existing of Object.keys(request.headers))
      if (existing.toLowerCase() === name.toLowerCase())
        throw permanentFailure(`header ${existing} is set by the credential; remove it`);
    request.headers[name] = value;
  };
  const { secret } = credential;
  const values = Object.values(secret).filter((value) => typeof value === "string");
  if (credential.kind === "http_bearer") {
    setHeader("Authorization", `Bearer ${secret.token}`);
    return values;
  }
  if (credential.kind === "http_basic") {
    const encoded = base64Utf8(`${secret.username}:${secret.password}`);
    setHeader("Authorization", `Basic ${encoded}`);
    // The user name is not secret on its own; the password and the encoded pair are.
    return [encoded, ...(secret.password ? [secret.password] : [])];
  }
  if (credential.kind === "http_header") {
    setHeader(String(credential.settings.headerName), secret.value ?? "");
    return values;
  }
  throw permanentFailure(`a ${credential.kind} credential cannot be used by an HTTP request`);
}

/** Base64 of the text's UTF-8 bytes, as Buffer.from(text).toString("base64") gives, without Node's Buffer. */
function base64Utf8(text: string): string {
  let binary = "";
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function credentialName(credential: DecryptedCredential): string | undefined {
  return credential.name ? `"${credential.name}"` : undefined;
}

function transportFailure(
  error: unknown,
  context: { host: string; seconds: number; config: HttpConfig; signal: AbortSignal },
): unknown {
  if (error instanceof NodeError) return error;
  if (error instanceof OutboundRequestBlocked) return permanentFailure(error.message);
  if (error instanceof ResponseTooLarge)
    return permanentFailure(
      `${error.message} (maxResponseKb is ${context.config.maxResponseKb}; at most ${MAX_RESPONSE_KB})`,
    );
  if (error instanceof OutboundTimeout || context.signal.aborted)
    return retriableFailure(
      `no answer from ${context.host} within the node's timeout (${context.seconds.toFixed(1)} s)`,
    );
  // Connection refused or reset, DNS, TLS: worth another attempt.
  return retriableFailure(
    error instanceof Error ? error.message : `request to ${context.host} failed`,
  );
}

function outputHeaders(headers: Headers): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of OUTPUT_HEADERS) {
    const value = headers.get(name);
    if (value !== null) picked[name] = value;
  }
  return picked;
}

function isJsonType(contentType: string | null): boolean {
  const type = contentType?.split(";")[0]?.trim().toLowerCase() ?? "";
  return type === "application/json" || type.endsWith("+json");
}

const BINARY_TYPE = /^(image|audio|video|font)\/|^application\/(octet-stream|pdf|zip|gzip)/i;

function parseBody(body: Uint8Array, contentType: string | null, host: string): unknown {
  if (body.length === 0) return null;
  if (isJsonType(contentType)) {
    try {
      return JSON.parse(utf8(body));
    } catch (error) {
      throw permanentFailure(
        `${host} said the answer is JSON (${contentType}) but it is not valid JSON: ${
          (error as Error).message
        }; it starts with ${JSON.stringify(textSnippet(body, 80))}`,
      );
    }
  }
  if ((contentType && BINARY_TYPE.test(contentType)) || body.subarray(0, 1024).includes(0))
    return `[binary response: ${body.length} bytes${contentType ? ` of ${contentType}` : ""}]`;
  if (body.length <= MAX_TEXT_BODY_BYTES) return utf8(body);
  return `${utf8(body.subarray(0, MAX_TEXT_BODY_BYTES))}\n…[truncated: the response has ${body.length} bytes; the first ${MAX_TEXT_BODY_BYTES} are shown]`;
}

/** As Buffer#toString("utf8") decodes: invalid sequences become U+FFFD, a BOM is kept. */
function utf8(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { ignoreBOM: true }).decode(bytes);
}

function textSnippet(body: Uint8Array, length = SNIPPET_LENGTH): string {
  const text = utf8(body.subarray(0, length * 4))
    .replace(/\s+/g, " ")
    .trim();
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
