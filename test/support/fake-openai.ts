import { randomBytes } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import {
  headerValue,
  lowerCased,
  parseControl,
  pause,
  presentHeaders,
  readBody,
} from "./fake-http";

// A stand-in for the OpenAI API (https://api.openai.com/v1) that the real `openai`
// SDK can talk to, so tests exercise the production code path without the
// internet and with replies they can predict. Point the SDK at it with
//   new OpenAI({ apiKey: fake.apiKey, baseURL: `${fake.url}/v1`, maxRetries: 0 })
// It implements only what OfficeFlow uses:
//
// POST /v1/chat/completions — https://platform.openai.com/docs/api-reference/chat/create
//   Body: model (one of `models`), messages (non-empty; role system, developer,
//   user, assistant, tool or function; content a string or an array of
//   { type: "text", text } parts), optional max_completion_tokens or the older
//   max_tokens, n. 200 → { id: "chatcmpl-…", object: "chat.completion", created,
//   model, choices: [{ index, message: { role: "assistant", content, refusal: null,
//   annotations: [] }, logprobs: null, finish_reason }], usage: { prompt_tokens,
//   completion_tokens, total_tokens, … } }.
//   The reply is deterministic: `respond(request)` when given, otherwise
//   "Welcome aboard, <the first 200 characters of the last user message>".
//   Tokens are approximated as whitespace-separated words: a reply longer than the
//   max tokens is cut to that many words with finish_reason "length".
//   stream: true is not supported (400).
// GET /v1/models, GET /v1/models/{id} — https://platform.openai.com/docs/api-reference/models
//   { object: "list", data: [{ id, object: "model", created, owned_by }] }: a
//   harmless call for "test connection".
//
// Errors — https://platform.openai.com/docs/guides/error-codes — are JSON
//   { error: { message, type, param, code } } with an `x-request-id` header, as
//   every answer has; the SDK turns them into APIError subclasses carrying
//   `status`, `error` (that object), `code`, `param`, `type`, `headers` and
//   `requestID`: missing key → 401 AuthenticationError (code null), wrong key →
//   401 `invalid_api_key` (the key masked in the message), missing model or
//   messages and other bad arguments → 400 BadRequestError, unknown model → 404
//   NotFoundError `model_not_found`, unparsable JSON → 400, unknown path → 404
//   "Invalid URL (…)", a throwing `respond` → 500 InternalServerError.
//
// Scripted trouble: `failNext(status, body?, { headers, delayMs })` makes the next
//   request answer `status`; `failTimes(n, …)` the next n. A 429 defaults to
//   `rate_limit_exceeded` with `Retry-After: 1`; with maxRetries: 0 the SDK throws
//   RateLimitError at once and the header is `error.headers.get("retry-after")`
//   (with retries left it would sleep that long and retry). Other defaults:
//   401 invalid_api_key, 5xx server_error. `hangNext(ms)` delays the next request
//   by `ms` before handling it normally (the SDK's `timeout` option then gives
//   APIConnectionTimeoutError). Each request consumes one entry, in order.
//
// Test-only endpoints for out-of-process callers (crash tests):
//   GET /_test/requests → every request received; DELETE /_test/requests resets.
//   POST /_test/fail { status, body?, headers?, times?, delayMs? } → failTimes.
//   POST /_test/hang { ms } → hangNext.

export const FAKE_OPENAI_API_KEY = "sk-test-officeflow-fake-key";

export const DEFAULT_OPENAI_MODELS: readonly string[] = [
  "gpt-4o",
  "gpt-4o-mini",
  "gpt-4.1",
  "gpt-4.1-mini",
  "gpt-4.1-nano",
  "gpt-5",
  "gpt-5-mini",
  "gpt-5-nano",
  "o4-mini",
];

export type OpenAIErrorBody = {
  error: { message: string; type: string; param: string | null; code: string | null };
};

export type ChatContentPart = { type: string; text?: string };
export type ChatMessage = {
  role: string;
  content: string | ChatContentPart[] | null;
  [field: string]: unknown;
};
export type ChatCompletionRequest = {
  model: string;
  messages: ChatMessage[];
  max_completion_tokens?: number;
  max_tokens?: number;
  n?: number;
  [field: string]: unknown;
};

export type ReceivedOpenAIRequest = {
  method: string;
  path: string;
  /** The HTTP request headers, lower-cased, with Authorization removed. */
  headers: Record<string, string>;
  /** The parsed JSON body; the raw text when it is not JSON; null when empty. */
  body: unknown;
  /** The status the fake answered with. */
  status: number;
  receivedAt: string;
};

export type OpenAIFailOptions = {
  /** Extra response headers; `null` removes a default (e.g. a 429's `retry-after`). */
  headers?: Record<string, string | null>;
  /** Wait this long before answering. */
  delayMs?: number;
};

export type FakeOpenAI = {
  /** Server origin; the SDK's baseURL is `${url}/v1` (see `baseURL`). */
  url: string;
  baseURL: string;
  apiKey: string;
  /** Every request received, oldest first. */
  requests(): ReceivedOpenAIRequest[];
  /** The next request answers `status` with `body` (default: an OpenAI-style error). */
  failNext(status: number, body?: unknown, options?: OpenAIFailOptions): void;
  /** The next `times` requests answer as failNext. */
  failTimes(times: number, status: number, body?: unknown, options?: OpenAIFailOptions): void;
  /** The next request waits `ms` before it is handled (and then succeeds). */
  hangNext(ms: number): void;
  /** Forgets requests and scripted answers. */
  reset(): void;
  close(): Promise<void>;
};

type Failure = { status: number; body: unknown; headers: Record<string, string | null> };
type Scripted = { delayMs: number; failure: Failure | null };
type Answer = { status: number; body: unknown; headers?: Record<string, string | null> };

const ROLES = ["system", "developer", "user", "assistant", "tool", "function"];
/** A fixed creation time for the model list (2024-05-13). */
const MODEL_CREATED = 1_715_558_400;

/** The default reply: "Welcome aboard, " + the first 200 characters of the last user message. */
export function defaultReply(request: ChatCompletionRequest): string {
  const lastUser = request.messages.findLast((message) => message.role === "user");
  return `Welcome aboard, ${lastUser ? messageText(lastUser).slice(0, 200) : ""}`;
}

/** The text of a message: its string content, or its text parts joined by newlines. */
export function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  if (!Array.isArray(message.content)) return "";
  return message.content
    .filter((part) => part.type === "text" && typeof part.text === "string")
    .map((part) => part.text)
    .join("\n");
}

/** The fake's token count: whitespace-separated words. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

export async function startFakeOpenAI(
  options: {
    apiKey?: string;
    port?: number;
    models?: string[];
    respond?: (request: ChatCompletionRequest) => string | Promise<string>;
  } = {},
): Promise<FakeOpenAI> {
  const apiKey = options.apiKey ?? FAKE_OPENAI_API_KEY;
  const models = options.models ?? DEFAULT_OPENAI_MODELS;
  const respond = options.respond ?? defaultReply;
  const received: ReceivedOpenAIRequest[] = [];
  const script: Scripted[] = [];
  const closing = new AbortController();

  const server = http.createServer(async (request, response) => {
    const send = (status: number, body: unknown, headers: Record<string, string | null> = {}) => {
      response.writeHead(status, {
        "content-type": "application/json",
        "x-request-id": `req_${randomBytes(16).toString("hex")}`,
        "openai-version": "2020-10-01",
        "openai-processing-ms": "1",
        ...presentHeaders(headers),
      });
      response.end(JSON.stringify(body));
    };

    const method = request.method ?? "GET";
    const path = new URL(request.url ?? "/", "http://fake").pathname;
    try {
      if (path.startsWith("/_test/")) return await testEndpoint(path, method, request, send);

      const bodyText = await readBody(request);
      const { authorization: _secret, ...headers } = request.headers;
      const record: ReceivedOpenAIRequest = {
        method,
        path,
        headers: Object.fromEntries(
          Object.entries(headers).map(([name, value]) => [name, headerValue(value) ?? ""]),
        ),
        body: parseJson(bodyText) ?? (bodyText === "" ? null : bodyText),
        status: 0,
        receivedAt: new Date().toISOString(),
      };
      received.push(record);

      const answer = await handle(request, method, path, bodyText);
      if (answer === null) return; // closed while hanging
      record.status = answer.status;
      return send(answer.status, answer.body, answer.headers);
    } catch (error) {
      return send(500, errorBody(`Fake OpenAI failed: ${String(error)}`, "server_error"));
    }
  });

  async function handle(
    request: http.IncomingMessage,
    method: string,
    path: string,
    bodyText: string,
  ): Promise<Answer | null> {
    const scripted = script.shift();
    if (scripted && scripted.delayMs > 0 && !(await pause(scripted.delayMs, closing.signal))) {
      return null;
    }
    if (scripted?.failure) return scripted.failure;

    const authorization = headerValue(request.headers.authorization) ?? "";
    const presented = authorization.startsWith("Bearer ")
      ? authorization.slice("Bearer ".length).trim()
      : "";
    if (presented === "") {
      return {
        status: 401,
        body: errorBody(
          "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
        ),
      };
    }
    if (presented !== apiKey) {
      return {
        status: 401,
        body: errorBody(
          `Incorrect API key provided: ${maskKey(presented)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
          "invalid_request_error",
          null,
          "invalid_api_key",
        ),
      };
    }

    if (method === "GET" && path === "/v1/models") {
      return { status: 200, body: { object: "list", data: models.map(modelObject) } };
    }
    if (method === "GET" && path.startsWith("/v1/models/")) {
      const id = decodeURIComponent(path.slice("/v1/models/".length));
      if (!models.includes(id)) return modelNotFound(id);
      return { status: 200, body: modelObject(id) };
    }
    if (method === "POST" && path === "/v1/chat/completions") {
      return chatCompletion(bodyText);
    }
    return { status: 404, body: errorBody(`Invalid URL (${method} ${path})`) };
  }

  async function chatCompletion(bodyText: string): Promise<Answer> {
    const parsed = parseJson(bodyText);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return badRequest(
        "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
      );
    }
    const body = parsed as Record<string, unknown>;

    if (typeof body.model !== "string" || body.model === "") {
      return badRequest("you must provide a model parameter");
    }
    if (body.messages === undefined || body.messages === null) {
      return badRequest(
        "Missing required parameter: 'messages'.",
        "messages",
        "missing_required_parameter",
      );
    }
    if (!Array.isArray(body.messages)) {
      return badRequest(
        `Invalid type for 'messages': expected an array, but got ${typeof body.messages} instead.`,
        "messages",
        "invalid_type",
      );
    }
    if (body.messages.length === 0) {
      return badRequest(
        "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
        "messages",
        "empty_array",
      );
    }
    for (const [index, message] of body.messages.entries()) {
      const role = typeof message === "object" && message !== null ? message.role : undefined;
      if (typeof role !== "string" || !ROLES.includes(role)) {
        return badRequest(
          `Invalid value: '${String(role)}'. Supported values are: ${ROLES.map((r) => `'${r}'`).join(", ")}.`,
          `messages[${index}].role`,
          "invalid_value",
        );
      }
    }
    for (const field of ["max_completion_tokens", "max_tokens", "n"] as const) {
      const value = body[field];
      if (value === undefined || value === null) continue;
      if (typeof value !== "number" || !Number.isInteger(value)) {
        return badRequest(
          `Invalid type for '${field}': expected an integer, but got ${typeof value} instead.`,
          field,
          "invalid_type",
        );
      }
      if (value < 1) {
        return badRequest(
          `Invalid '${field}': integer below minimum value. Expected a value >= 1, but got ${value} instead.`,
          field,
          "integer_below_min_value",
        );
      }
    }
    if (body.stream === true) {
      return badRequest(
        "The fake OpenAI server does not support stream=true.",
        "stream",
        "unsupported_value",
      );
    }
    if (!models.includes(body.model)) return modelNotFound(body.model);

    const completionRequest = body as ChatCompletionRequest;
    let reply: string;
    try {
      reply = await respond(completionRequest);
    } catch (error) {
      return {
        status: 500,
        body: errorBody(
          `The server had an error while processing your request: ${String(error)}`,
          "server_error",
        ),
      };
    }

    const limit = completionRequest.max_completion_tokens ?? completionRequest.max_tokens;
    const words = reply.split(/\s+/).filter(Boolean);
    const truncated = limit !== undefined && words.length > limit;
    const content = truncated ? words.slice(0, limit).join(" ") : reply;
    const promptTokens = completionRequest.messages.reduce(
      (total, message) => total + countTokens(messageText(message)),
      0,
    );
    const choices = Array.from({ length: completionRequest.n ?? 1 }, (_, index) => ({
      index,
      message: { role: "assistant", content, refusal: null, annotations: [] },
      logprobs: null,
      finish_reason: truncated ? "length" : "stop",
    }));
    const completionTokens = countTokens(content) * choices.length;
    return {
      status: 200,
      body: {
        id: `chatcmpl-${randomBytes(12).toString("base64url")}`,
        object: "chat.completion",
        created: Math.floor(Date.now() / 1000),
        model: completionRequest.model,
        choices,
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
          prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
          completion_tokens_details: {
            reasoning_tokens: 0,
            audio_tokens: 0,
            accepted_prediction_tokens: 0,
            rejected_prediction_tokens: 0,
          },
        },
        service_tier: "default",
        system_fingerprint: null,
      },
    };
  }

  async function testEndpoint(
    path: string,
    method: string,
    request: http.IncomingMessage,
    send: (status: number, body: unknown) => void,
  ) {
    if (path === "/_test/requests" && method === "GET") return send(200, received);
    if (path === "/_test/requests" && method === "DELETE") {
      reset();
      return send(200, { cleared: true });
    }
    if ((path === "/_test/fail" || path === "/_test/hang") && method === "POST") {
      const control = parseControl<Control>(await readBody(request));
      if (path === "/_test/hang") hangNext(control.ms ?? 0);
      else failTimes(control.times ?? 1, control.status ?? 500, control.body, control);
      return send(200, { scheduled: true });
    }
    return send(404, errorBody(`Invalid URL (${method} ${path})`));
  }

  function failTimes(
    times: number,
    status: number,
    body?: unknown,
    options: OpenAIFailOptions = {},
  ) {
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

  function reset() {
    received.length = 0;
    script.length = 0;
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    baseURL: `${url}/v1`,
    apiKey,
    requests: () => received.map((entry) => structuredClone(entry)),
    failNext: (status, body, failOptions) => failTimes(1, status, body, failOptions),
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

function errorBody(
  message: string,
  type = "invalid_request_error",
  param: string | null = null,
  code: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type, param, code } };
}

function badRequest(message: string, param: string | null = null, code: string | null = null) {
  return { status: 400, body: errorBody(message, "invalid_request_error", param, code) };
}

function modelNotFound(model: string): Answer {
  return {
    status: 404,
    body: errorBody(
      `The model \`${model}\` does not exist or you do not have access to it.`,
      "invalid_request_error",
      null,
      "model_not_found",
    ),
  };
}

function modelObject(id: string) {
  return { id, object: "model", created: MODEL_CREATED, owned_by: "system" };
}

function defaultErrorBody(status: number): OpenAIErrorBody {
  if (status === 429) {
    return errorBody(
      "Rate limit reached for requests. Please try again in 1s.",
      "requests",
      null,
      "rate_limit_exceeded",
    );
  }
  if (status === 401) {
    return errorBody(
      "Incorrect API key provided.",
      "invalid_request_error",
      null,
      "invalid_api_key",
    );
  }
  if (status >= 500) {
    return errorBody(
      "The server had an error while processing your request. Sorry about that!",
      "server_error",
    );
  }
  return errorBody(`The fake OpenAI server was told to answer ${status}.`);
}

/** As OpenAI shows a wrong key: its first and last few characters around stars. */
function maskKey(key: string): string {
  if (key.length <= 8) return "*".repeat(key.length);
  return `${key.slice(0, 3)}${"*".repeat(key.length - 7)}${key.slice(-4)}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

type Control = OpenAIFailOptions & { status?: number; body?: unknown; times?: number; ms?: number };

// `tsx test/support/fake-openai.ts`: serve until SIGTERM, for out-of-process tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fake = await startFakeOpenAI({
    port: process.env.FAKE_OPENAI_PORT ? Number(process.env.FAKE_OPENAI_PORT) : 0,
    apiKey: process.env.FAKE_OPENAI_API_KEY || undefined,
  });
  console.log(`fake openai listening on ${fake.url}`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
