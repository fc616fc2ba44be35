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

// A stand-in for the Slack Web API (https://slack.com/api/) that the real
// `@slack/web-api` WebClient can talk to, so tests exercise the production code
// path without the internet. Point the client at it with
//   new WebClient(token, { slackApiUrl: `${fake.url}/api/`, retryConfig: { retries: 0 } })
// (the client appends a missing trailing slash and POSTs to `${slackApiUrl}${method}`).
// It implements only what OfficeFlow uses (https://api.slack.com/methods):
//
// auth.test — https://api.slack.com/methods/auth.test
//   → { ok, url, team, user, team_id, user_id, bot_id, is_enterprise_install }.
// chat.postMessage — https://api.slack.com/methods/chat.postMessage
//   channel: a channel ID (C…), a channel name ("general" or "#general"), a user ID
//   (U…, posted to the bot's DM with that user, answered with a D… channel ID) or a
//   DM ID; text and/or blocks; optional metadata { event_type, event_payload }
//   (https://api.slack.com/metadata/using). → { ok, channel, ts, message }.
//   Errors: channel_not_found, not_in_channel (seeded `isMember: false`),
//   is_archived, no_text, msg_too_long, invalid_blocks(_format),
//   invalid_metadata_format, invalid_metadata_schema.
// users.lookupByEmail — https://api.slack.com/methods/users.lookupByEmail
//   → { ok, user: { id, team_id, name, real_name, profile: { email, … } } } or
//   users_not_found (matching ignores case); a missing email is invalid_arguments.
// conversations.history — https://api.slack.com/methods/conversations.history
//   channel (ID only, as Slack requires), limit (default 100, max 999), cursor,
//   oldest/latest/inclusive, include_all_metadata → { ok, messages (newest first),
//   has_more, response_metadata?: { next_cursor } }. A message carries `metadata`
//   only when include_all_metadata is true, as on Slack.
// conversations.open — https://api.slack.com/methods/conversations.open
//   users=<one user ID> → { ok, channel: { id: "D…" } }: how a retry finds the DM
//   it may already have posted to before looking at its history.
//
// Requests: Slack accepts application/x-www-form-urlencoded and JSON bodies (and
//   query parameters); all three are read. The SDK sends form-encoded bodies with
//   non-scalar arguments (blocks, metadata) JSON-stringified, so those fields are
//   JSON-parsed when they are strings. Auth is `Authorization: Bearer xoxb-…` (or a
//   `token` form field): none → not_authed, a different token → invalid_auth.
//   Platform errors are HTTP 200 { ok: false, error } as on Slack; unknown methods
//   answer HTTP 404 { ok: false, error: "unknown_method" }.
//
// Rate limits — https://api.slack.com/apis/rate-limits — are HTTP 429 with
//   `Retry-After: <seconds>` and { ok: false, error: "ratelimited" }. `failNext(429)`
//   (or `rateLimitNext(seconds)`) produces exactly that. How @slack/web-api 8.2.0
//   reports it depends on `rejectRateLimitedCalls` (read in node_modules/@slack/
//   web-api/dist/WebClient.js `makeRequest`, and pinned by fake-slack.test.ts):
//   - rejectRateLimitedCalls: true → rejects at once with WebAPIRateLimitedError:
//     code "slack_webapi_rate_limited_error", `retryAfter` = the header in seconds
//     (a number). This is the one a workflow node wants: it can hand the wait to
//     the engine instead of sleeping.
//   - default (false), even with retryConfig { retries: 0 } → the client first
//     SLEEPS for Retry-After seconds with its whole request queue paused, then
//     rejects with WebAPIRequestError: code "slack_webapi_request_error", no
//     retryAfter field, `original.message` "A rate limit was exceeded (url: …,
//     retry-after: N)". With retries > 0 it sleeps and retries instead.
//   - either way the client emits WebClientEvent.RATE_LIMITED ("rate_limited") with
//     (retryAfterSeconds, { url, body }) first.
//   - a 429 without a numeric Retry-After rejects with a plain Error (not a
//     SlackError, no code): "Retry header did not contain a valid timeout …".
// Other failures as the SDK reports them: { ok: false, error } → WebAPIPlatformError,
//   code "slack_webapi_platform_error", `data` = the whole body (`data.error` is
//   Slack's error string); never retried by the client. Any other non-200 status →
//   WebAPIHTTPError, code "slack_webapi_http_error", `statusCode`, `headers`, `body`
//   (JSON-parsed when possible); retried when retries > 0. Network failures and the
//   client's `timeout` option → WebAPIRequestError, code "slack_webapi_request_error",
//   with the cause in `original` (a timeout's `original.name` is "TimeoutError").
//
// Scripted trouble: `failNext(status, body?, { headers, method, delayMs })`,
//   `failTimes(n, …)`, `rateLimitNext(seconds, { times, method })` and
//   `hangNext(ms, { method })` queue answers for the next requests (optionally only
//   those to one method), one entry per request, in order. A hung request is still
//   handled after the delay even if the client gave up (a slow Slack that already
//   has the message posts it): the ambiguous outcome metadata lookups exist for.
//
// Test-only endpoints for out-of-process callers (crash tests):
//   GET /_test/messages → the posted messages; DELETE /_test/messages resets the fake.
//   GET /_test/calls → every Web API call received.
//   POST /_test/fail { status, body?, headers?, times?, method?, delayMs? } → failTimes.
//   POST /_test/hang { ms, method? } → hangNext.

export const FAKE_SLACK_TOKEN = "xoxb-officeflow-fake-token";

export const FAKE_SLACK_TEAM = { id: "T0ACME", name: "Acme", domain: "acme" } as const;
/** The bot user the fake posts as. */
export const FAKE_SLACK_BOT = {
  userId: "U0OFFICEFLOW",
  botId: "B0OFFICEFLOW",
  appId: "A0OFFICEFLOW",
  name: "officeflow",
} as const;

export type SlackChannel = {
  id: string;
  name: string;
  /** Whether the bot is a member; posting elsewhere is `not_in_channel`. Default true. */
  isMember?: boolean;
  isArchived?: boolean;
};
export type SlackUser = { id: string; email: string; name: string; realName?: string };

export const DEFAULT_SLACK_CHANNELS: readonly SlackChannel[] = [
  { id: "C0GENERAL", name: "general" },
  { id: "C0ONBOARDING", name: "onboarding" },
  { id: "C0RANDOM", name: "random", isMember: false },
];
export const DEFAULT_SLACK_USERS: readonly SlackUser[] = [
  { id: "U0MANAGER", email: "manager@acme.example", name: "manager", realName: "Morgan Manager" },
  { id: "U0NEWHIRE", email: "new.hire@acme.example", name: "new.hire", realName: "Nico New" },
];

export type SlackMessageMetadata = {
  event_type: string;
  event_payload: Record<string, unknown>;
};

export type PostedSlackMessage = {
  /** The channel ID it landed in (D… for a message to a user). */
  channel: string;
  ts: string;
  text: string;
  blocks: unknown[] | null;
  metadata: SlackMessageMetadata | null;
  /** The bot user that posted it. */
  user: string;
  postedAt: string;
};

export type SlackCall = {
  method: string;
  /** Arguments as received (form fields are strings), without `token`. */
  params: Record<string, unknown>;
  contentType: string | null;
  /** HTTP status and Slack `error` of the answer (`error` null when ok). */
  status: number;
  ok: boolean;
  error: string | null;
  receivedAt: string;
};

export type SlackFailOptions = {
  /** Extra response headers; `null` removes a default (e.g. a 429's `retry-after`). */
  headers?: Record<string, string | null>;
  /** Only a call to this Web API method (e.g. "chat.postMessage") takes it. */
  method?: string;
  /** Wait this long before answering. */
  delayMs?: number;
};

export type FakeSlack = {
  /** Server origin; pass `${url}/api/` as the WebClient's slackApiUrl. */
  url: string;
  /** `${url}/api/`. */
  apiUrl: string;
  token: string;
  /** Posted messages, oldest first; only those in `channel` when given. */
  messages(channel?: string): PostedSlackMessage[];
  /** Web API calls received, oldest first; only those to `method` when given. */
  calls(method?: string): SlackCall[];
  /** The next call answers HTTP `status` with `body` (default: { ok: false, error }). */
  failNext(status: number, body?: unknown, options?: SlackFailOptions): void;
  /** The next `times` calls answer as failNext. */
  failTimes(times: number, status: number, body?: unknown, options?: SlackFailOptions): void;
  /** The next call(s) answer HTTP 429 `ratelimited` with `Retry-After: seconds`. */
  rateLimitNext(seconds: number, options?: { times?: number; method?: string }): void;
  /** The next call waits `ms` before it is handled (and then succeeds). */
  hangNext(ms: number, options?: { method?: string }): void;
  /** Forgets messages, calls and scripted answers; the seed data stays. */
  reset(): void;
  close(): Promise<void>;
};

type Failure = { status: number; body: unknown; headers: Record<string, string | null> };
type Scripted = { method: string | null; delayMs: number; failure: Failure | null };
type Params = Record<string, unknown>;
type Answer = { status: number; body: Record<string, unknown> & { ok: boolean } };

/** A platform error: answered as HTTP 200 { ok: false, error }. */
class SlackError extends Error {
  readonly error: string;
  constructor(error: string) {
    super(error);
    this.error = error;
  }
}

const MAX_TEXT_LENGTH = 40_000;
const MAX_BLOCKS = 50;

export async function startFakeSlack(
  options: { token?: string; channels?: SlackChannel[]; users?: SlackUser[]; port?: number } = {},
): Promise<FakeSlack> {
  const token = options.token ?? FAKE_SLACK_TOKEN;
  const channels = (options.channels ?? DEFAULT_SLACK_CHANNELS).map((channel) => ({ ...channel }));
  const users = (options.users ?? DEFAULT_SLACK_USERS).map((user) => ({ ...user }));
  const posted: PostedSlackMessage[] = [];
  const calls: SlackCall[] = [];
  const script: Scripted[] = [];
  const closing = new AbortController();
  let lastTs = 0;

  const methods: Record<string, (params: Params) => Answer["body"]> = {
    "auth.test": () => ({
      ok: true,
      url: `https://${FAKE_SLACK_TEAM.domain}.slack.com/`,
      team: FAKE_SLACK_TEAM.name,
      user: FAKE_SLACK_BOT.name,
      team_id: FAKE_SLACK_TEAM.id,
      user_id: FAKE_SLACK_BOT.userId,
      bot_id: FAKE_SLACK_BOT.botId,
      is_enterprise_install: false,
    }),

    "chat.postMessage": (params) => {
      const channel = postTarget(params.channel);
      const text = typeof params.text === "string" ? params.text : "";
      if (text.length > MAX_TEXT_LENGTH) throw new SlackError("msg_too_long");
      const blocks = parseBlocks(params.blocks);
      const metadata = parseMetadata(params.metadata);
      if (text === "" && !blocks?.length && isBlank(params.attachments)) {
        throw new SlackError("no_text");
      }
      const message: PostedSlackMessage = {
        channel,
        ts: nextTs(),
        text,
        blocks,
        metadata,
        user: FAKE_SLACK_BOT.userId,
        postedAt: new Date().toISOString(),
      };
      posted.push(message);
      return { ok: true, channel, ts: message.ts, message: wireMessage(message, true) };
    },

    "users.lookupByEmail": (params) => {
      if (typeof params.email !== "string" || params.email === "") {
        throw new SlackError("invalid_arguments");
      }
      const email = params.email.toLowerCase();
      const user = users.find((candidate) => candidate.email.toLowerCase() === email);
      if (!user) throw new SlackError("users_not_found");
      const realName = user.realName ?? user.name;
      return {
        ok: true,
        user: {
          id: user.id,
          team_id: FAKE_SLACK_TEAM.id,
          name: user.name,
          deleted: false,
          real_name: realName,
          is_bot: false,
          profile: { email: user.email, real_name: realName, display_name: user.name },
        },
      };
    },

    "conversations.open": (params) => {
      if (isBlank(params.users) && isBlank(params.channel)) {
        throw new SlackError("users_list_not_supplied");
      }
      if (!isBlank(params.channel)) {
        const id = String(params.channel);
        if (!isDirectMessage(id)) throw new SlackError("channel_not_found");
        return { ok: true, channel: { id } };
      }
      const ids = String(params.users).split(",");
      if (ids.length > 1) throw new SlackError("not_implemented_in_fake");
      const user = users.find((candidate) => candidate.id === ids[0]);
      if (!user) throw new SlackError("user_not_found");
      return { ok: true, channel: { id: dmId(user.id) } };
    },

    "conversations.history": (params) => {
      const id = typeof params.channel === "string" ? params.channel : "";
      const channel = channels.find((candidate) => candidate.id === id);
      if (!channel && !isDirectMessage(id)) throw new SlackError("channel_not_found");
      if (channel && channel.isMember === false) throw new SlackError("not_in_channel");

      const requested = Number(params.limit);
      const limit = Number.isInteger(requested) && requested > 0 ? Math.min(requested, 999) : 100;
      let offset = 0;
      if (!isBlank(params.cursor)) {
        offset = decodeCursor(String(params.cursor));
      }
      const inclusive = isTrue(params.inclusive);
      const oldest = isBlank(params.oldest) ? null : Number(params.oldest);
      const latest = isBlank(params.latest) ? null : Number(params.latest);
      const withMetadata = isTrue(params.include_all_metadata);

      const matching = posted
        .filter((message) => message.channel === id)
        .filter((message) => {
          const ts = Number(message.ts);
          if (oldest !== null && (inclusive ? ts < oldest : ts <= oldest)) return false;
          if (latest !== null && (inclusive ? ts > latest : ts >= latest)) return false;
          return true;
        })
        .reverse();
      const page = matching.slice(offset, offset + limit);
      const hasMore = offset + limit < matching.length;
      return {
        ok: true,
        messages: page.map((message) => wireMessage(message, withMetadata)),
        has_more: hasMore,
        pin_count: 0,
        channel_actions_ts: null,
        channel_actions_count: 0,
        ...(hasMore ? { response_metadata: { next_cursor: encodeCursor(offset + limit) } } : {}),
      };
    },
  };

  function postTarget(value: unknown): string {
    if (typeof value !== "string" || value === "") throw new SlackError("channel_not_found");
    const user = users.find((candidate) => candidate.id === value);
    if (user) return dmId(user.id);
    if (isDirectMessage(value)) return value;
    const name = value.startsWith("#") ? value.slice(1) : value;
    const channel = channels.find((candidate) => candidate.id === value || candidate.name === name);
    if (!channel) throw new SlackError("channel_not_found");
    if (channel.isArchived) throw new SlackError("is_archived");
    if (channel.isMember === false) throw new SlackError("not_in_channel");
    return channel.id;
  }

  function isDirectMessage(id: string): boolean {
    return users.some((user) => dmId(user.id) === id);
  }

  /** Slack timestamps: "<unix seconds>.<6 digits>", unique and increasing. */
  function nextTs(): string {
    lastTs = Math.max(Date.now() * 1000, lastTs + 1);
    return `${Math.floor(lastTs / 1_000_000)}.${String(lastTs % 1_000_000).padStart(6, "0")}`;
  }

  const server = http.createServer(async (request, response) => {
    const send = (status: number, body: unknown, headers: Record<string, string | null> = {}) => {
      response.writeHead(status, {
        "content-type": "application/json; charset=utf-8",
        ...presentHeaders(headers),
      });
      response.end(JSON.stringify(body));
    };

    const url = new URL(request.url ?? "/", "http://fake");
    try {
      if (url.pathname.startsWith("/_test/")) {
        return await testEndpoint(url.pathname, request, send);
      }

      const bodyText = await readBody(request);
      const method = url.pathname.startsWith("/api/") ? url.pathname.slice("/api/".length) : "";
      const contentType = headerValue(request.headers["content-type"]);
      const call: SlackCall = {
        method,
        params: {},
        contentType,
        status: 200,
        ok: false,
        error: null,
        receivedAt: new Date().toISOString(),
      };
      calls.push(call);
      const answer = (status: number, body: unknown, headers?: Record<string, string | null>) => {
        const slackBody = (typeof body === "object" && body !== null ? body : {}) as Answer["body"];
        call.status = status;
        call.ok = status === 200 && slackBody.ok === true;
        call.error = call.ok ? null : typeof slackBody.error === "string" ? slackBody.error : null;
        send(status, body, headers);
      };

      let params: Params;
      try {
        params = { ...Object.fromEntries(url.searchParams), ...parseBody(bodyText, contentType) };
      } catch {
        return answer(200, { ok: false, error: "invalid_json" });
      }
      const { token: bodyToken, ...rest } = params;
      call.params = rest;

      const index = script.findIndex((entry) => entry.method === null || entry.method === method);
      const scripted = index === -1 ? undefined : script.splice(index, 1)[0];
      if (scripted && scripted.delayMs > 0 && !(await pause(scripted.delayMs, closing.signal))) {
        return;
      }
      if (scripted?.failure) {
        const { status, body, headers } = scripted.failure;
        return answer(status, body, headers);
      }

      const handler = Object.hasOwn(methods, method) ? methods[method] : undefined;
      if (!handler) {
        return answer(404, { ok: false, error: "unknown_method", req_method: method });
      }

      const authorization = headerValue(request.headers.authorization);
      const presented = authorization?.startsWith("Bearer ")
        ? authorization.slice("Bearer ".length).trim()
        : typeof bodyToken === "string"
          ? bodyToken
          : "";
      if (presented === "") return answer(200, { ok: false, error: "not_authed" });
      if (presented !== token) return answer(200, { ok: false, error: "invalid_auth" });

      try {
        return answer(200, handler(rest));
      } catch (error) {
        if (error instanceof SlackError) return answer(200, { ok: false, error: error.error });
        throw error;
      }
    } catch (error) {
      return send(500, { ok: false, error: "fatal_error", detail: String(error) });
    }
  });

  async function testEndpoint(
    path: string,
    request: http.IncomingMessage,
    send: (status: number, body: unknown) => void,
  ) {
    const method = request.method ?? "GET";
    if (path === "/_test/messages" && method === "GET") return send(200, snapshotMessages());
    if (path === "/_test/messages" && method === "DELETE") {
      reset();
      return send(200, { cleared: true });
    }
    if (path === "/_test/calls" && method === "GET") return send(200, calls);
    if ((path === "/_test/fail" || path === "/_test/hang") && method === "POST") {
      const control = parseControl<Control>(await readBody(request));
      if (path === "/_test/hang") hangNext(control.ms ?? 0, control);
      else failTimes(control.times ?? 1, control.status ?? 500, control.body, control);
      return send(200, { scheduled: true });
    }
    return send(404, { ok: false, error: "unknown_test_endpoint" });
  }

  function snapshotMessages(channel?: string): PostedSlackMessage[] {
    return posted
      .filter((message) => channel === undefined || message.channel === channel)
      .map((message) => structuredClone(message));
  }

  function failTimes(
    times: number,
    status: number,
    body?: unknown,
    options: SlackFailOptions = {},
  ) {
    const failure: Failure = {
      status,
      body: body ?? { ok: false, error: defaultError(status) },
      headers: {
        ...(status === 429 ? { "retry-after": "1" } : {}),
        ...lowerCased(options.headers),
      },
    };
    for (let i = 0; i < times; i++) {
      script.push({ method: options.method ?? null, delayMs: options.delayMs ?? 0, failure });
    }
  }

  function hangNext(ms: number, options: { method?: string } = {}) {
    script.push({ method: options.method ?? null, delayMs: ms, failure: null });
  }

  function reset() {
    posted.length = 0;
    calls.length = 0;
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
    apiUrl: `${url}/api/`,
    token,
    messages: snapshotMessages,
    calls: (method) =>
      calls
        .filter((call) => method === undefined || call.method === method)
        .map((call) => structuredClone(call)),
    failNext: (status, body, failOptions) => failTimes(1, status, body, failOptions),
    failTimes,
    rateLimitNext: (seconds, { times = 1, method } = {}) =>
      failTimes(times, 429, undefined, { method, headers: { "retry-after": String(seconds) } }),
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

/** The DM channel between the bot and a user: U0MANAGER → D0MANAGER. */
function dmId(userId: string): string {
  return `D${userId.slice(1)}`;
}

function wireMessage(message: PostedSlackMessage, withMetadata: boolean) {
  return {
    type: "message",
    user: message.user,
    bot_id: FAKE_SLACK_BOT.botId,
    app_id: FAKE_SLACK_BOT.appId,
    team: FAKE_SLACK_TEAM.id,
    text: message.text,
    ts: message.ts,
    ...(message.blocks ? { blocks: message.blocks } : {}),
    ...(withMetadata && message.metadata ? { metadata: message.metadata } : {}),
  };
}

/** A form field holds JSON text; a JSON body holds the value itself. */
function jsonArgument(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

function parseBlocks(value: unknown): unknown[] | null {
  if (isBlank(value)) return null;
  let blocks: unknown;
  try {
    blocks = jsonArgument(value);
  } catch {
    throw new SlackError("invalid_blocks_format");
  }
  if (!Array.isArray(blocks)) throw new SlackError("invalid_blocks_format");
  const wellFormed = blocks.every(
    (block) =>
      typeof block === "object" &&
      block !== null &&
      "type" in block &&
      typeof block.type === "string",
  );
  if (!wellFormed || blocks.length > MAX_BLOCKS) throw new SlackError("invalid_blocks");
  return blocks;
}

function parseMetadata(value: unknown): SlackMessageMetadata | null {
  if (isBlank(value)) return null;
  let metadata: unknown;
  try {
    metadata = jsonArgument(value);
  } catch {
    throw new SlackError("invalid_metadata_format");
  }
  if (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)) {
    throw new SlackError("invalid_metadata_format");
  }
  const { event_type: eventType, event_payload: payload } = metadata as Record<string, unknown>;
  if (
    typeof eventType !== "string" ||
    eventType === "" ||
    typeof payload !== "object" ||
    payload === null ||
    Array.isArray(payload)
  ) {
    throw new SlackError("invalid_metadata_schema");
  }
  return { event_type: eventType, event_payload: payload as Record<string, unknown> };
}

function parseBody(text: string, contentType: string | null): Params {
  if (text === "") return {};
  if (contentType?.toLowerCase().startsWith("application/json")) {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new Error("not an object");
    }
    return parsed as Params;
  }
  return Object.fromEntries(new URLSearchParams(text));
}

function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64");
}

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64").toString("utf8"));
  if (!match) throw new SlackError("invalid_cursor");
  return Number(match[1]);
}

function defaultError(status: number): string {
  if (status === 429) return "ratelimited";
  if (status === 503) return "service_unavailable";
  return "internal_error";
}

function isTrue(value: unknown): boolean {
  return value === true || value === 1 || value === "true" || value === "1";
}

type Control = SlackFailOptions & { status?: number; body?: unknown; times?: number; ms?: number };

// `tsx test/support/fake-slack.ts`: serve until SIGTERM, for out-of-process tests.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const fake = await startFakeSlack({
    port: process.env.FAKE_SLACK_PORT ? Number(process.env.FAKE_SLACK_PORT) : 0,
    token: process.env.FAKE_SLACK_TOKEN || undefined,
  });
  console.log(`fake slack listening on ${fake.url}`);
  const stop = () => {
    void fake.close().then(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}
