import "server-only";
import {
  type FetchFunction,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
} from "@slack/web-api";
import { NodeError, permanentFailure, retriableFailure } from "@/lib/engine/node-error";
import type { SlackPort, SlackSession } from "@/lib/nodes/services";

// The Slack Web API behind the SlackPort node kinds use (lib/nodes/services.ts),
// through the official client. What to post and how a retry avoids posting
// twice is the slack_message kind's business; this module makes the calls and
// says what a failure means.
//
// Retries belong to the engine: the client never retries or sleeps on a rate
// limit itself (`retryConfig: { retries: 0 }`, `rejectRateLimitedCalls`), it
// reports Retry-After so the engine schedules the next attempt.

type During = "post" | "history";

/** `apiUrl` overrides Slack's own (tests, proxies: SLACK_API_URL). */
export function slackApi(options: { apiUrl?: string } = {}): SlackPort {
  return {
    session(botToken, signal) {
      const client = slackClient(botToken, signal, options.apiUrl);
      const call = async <T>(during: During, request: () => Promise<T>): Promise<T> => {
        try {
          return await request();
        } catch (error) {
          throw classifySlackFailure(error, during, botToken);
        }
      };
      const session: SlackSession = {
        lookupUserByEmail: (email) =>
          call("post", async () => {
            try {
              const found = await client.users.lookupByEmail({ email });
              return found.user?.id ?? null;
            } catch (error) {
              if (error instanceof WebAPIPlatformError && error.data.error === "users_not_found")
                return null;
              throw error;
            }
          }),
        postMessage: ({ channel, text, metadata }) =>
          call("post", async () => {
            const posted = await client.chat.postMessage({ channel, text, metadata });
            return { channel: posted.channel, ts: posted.ts };
          }),
        openDirectMessage: (userId) =>
          call("history", async () => {
            const opened = await client.conversations.open({ users: userId });
            return opened.channel?.id;
          }),
        listChannels: (cursor) =>
          call("history", async () => {
            const list = await client.conversations.list({
              types: "public_channel,private_channel",
              exclude_archived: true,
              limit: 1000,
              ...(cursor ? { cursor } : {}),
            });
            return {
              channels: (list.channels ?? []).map(({ id, name }) => ({ id, name })),
              nextCursor: list.response_metadata?.next_cursor || undefined,
            };
          }),
        history: ({ channel, oldest, limit, cursor }) =>
          call("history", async () => {
            const history = await client.conversations.history({
              channel,
              oldest,
              limit,
              include_all_metadata: true,
              ...(cursor ? { cursor } : {}),
            });
            return {
              messages: (history.messages ?? []).map((message) => ({
                ts: message.ts,
                metadata: message.metadata && {
                  event_type: message.metadata.event_type,
                  // The SDK types event_payload as {}; it is the JSON object that was posted.
                  event_payload: message.metadata.event_payload as
                    | Record<string, unknown>
                    | undefined,
                },
              })),
              hasMore: history.has_more === true,
              nextCursor: history.response_metadata?.next_cursor || undefined,
            };
          }),
      };
      return session;
    },
  };
}

function slackClient(botToken: string, signal: AbortSignal, apiUrl: string | undefined) {
  // The client has a timeout option but no per-call signal; its fetch hook
  // lets every request also stop when the node's timeout passes.
  const fetchWithSignal: FetchFunction = (url, init) =>
    fetch(url, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, signal]) : signal });
  return new WebClient(botToken, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    fetch: fetchWithSignal,
    logLevel: LogLevel.ERROR,
  });
}

// Platform errors that mean "Slack had trouble", not "your request is wrong":
// https://api.slack.com/methods/chat.postMessage#errors
const TRANSIENT_PLATFORM_ERRORS = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

function classifySlackFailure(error: unknown, during: During, botToken: string): unknown {
  if (error instanceof NodeError) return error;
  const what = during === "post" ? "the message" : "reading the channel history";
  if (error instanceof WebAPIRateLimitedError)
    return retriableFailure(
      `Slack rate-limited ${what}; retry after ${error.retryAfter} s`,
      error.retryAfter * 1000,
    );
  if (error instanceof WebAPIPlatformError) {
    const code = String(error.data.error);
    return TRANSIENT_PLATFORM_ERRORS.has(code)
      ? retriableFailure(`Slack could not take ${what} right now: ${code}`)
      : permanentFailure(`Slack rejected ${what}: ${code}`);
  }
  if (error instanceof WebAPIHTTPError) {
    const message = `HTTP ${error.statusCode} from Slack while ${during === "post" ? "posting" : "reading the history"}`;
    return error.statusCode >= 500 || error.statusCode === 408
      ? retriableFailure(message)
      : permanentFailure(message);
  }
  if (error instanceof WebAPIRequestError) {
    const cause = error.original;
    const timedOut = cause.name === "TimeoutError" || cause.name === "AbortError";
    return retriableFailure(
      timedOut
        ? `Slack did not answer within the node's timeout (${during})`
        : `could not reach Slack: ${scrub(cause.message, botToken)}`,
    );
  }
  // A 429 without a usable Retry-After header comes back as a plain Error.
  if (error instanceof Error && /rate limit|Retry header/i.test(error.message))
    return retriableFailure(`Slack rate-limited ${what}`);
  return error;
}

function scrub(text: string, secret: string): string {
  return secret ? text.split(secret).join("[redacted]") : text;
}
