import "server-only";
import OpenAI from "openai";
import {
  NodeError,
  parseRetryAfter,
  permanentFailure,
  retriableFailure,
} from "@/lib/engine/node-error";
import { OutboundRequestBlocked } from "@/lib/net/outbound-errors";
import { guardedFetch } from "@/lib/net/outbound-fetch";
import type { AiTextPort } from "@/lib/nodes/services";

// Chat completions behind the AiTextPort node kinds use (lib/nodes/services.ts),
// through the official openai client. What to ask is the ai_text kind's
// business; this module makes the call and says what a failure means.
//
// A base URL from the tenant's credential is reached through guardedFetch
// (no private or metadata addresses, RELIABILITY S2); the platform's own URL
// (OPENAI_BASE_URL, a proxy or the test fake) is trusted. Retries are the
// engine's: the client makes one attempt (maxRetries: 0) and the failure says
// whether another could help.

// The node's timeout (the caller's signal) is the limit that counts.
const CLIENT_TIMEOUT_MS = 3_600_000;

/** `baseUrl` overrides OpenAI's own (tests, proxies: OPENAI_BASE_URL). */
export function openAiText(options: { baseUrl?: string } = {}): AiTextPort {
  return {
    async complete(request, signal) {
      const { apiKey, organization, tenantBaseUrl } = request;
      const baseURL = tenantBaseUrl ?? options.baseUrl;
      const provider = tenantBaseUrl ? `the AI API at ${hostOf(tenantBaseUrl)}` : "OpenAI";
      const client = new OpenAI({
        apiKey,
        ...(baseURL ? { baseURL } : {}),
        ...(organization ? { organization } : {}),
        maxRetries: 0,
        timeout: CLIENT_TIMEOUT_MS,
        ...(tenantBaseUrl ? { fetch: guardedFetch } : {}),
      });
      try {
        const completion = await client.chat.completions.create(
          {
            model: request.model,
            messages: request.messages,
            // OpenAI's current name; compatible servers often know only the older one.
            ...(tenantBaseUrl
              ? { max_tokens: request.maxTokens }
              : { max_completion_tokens: request.maxTokens }),
            ...(request.temperature !== undefined ? { temperature: request.temperature } : {}),
          },
          { signal },
        );
        const choice = completion.choices[0];
        if (!choice) throw permanentFailure(`${provider} returned no answer`);
        return {
          content: choice.message.content,
          refusal: choice.message.refusal,
          finishReason: choice.finish_reason ?? null,
          model: completion.model,
          usage: {
            promptTokens: completion.usage?.prompt_tokens ?? 0,
            completionTokens: completion.usage?.completion_tokens ?? 0,
          },
        };
      } catch (error) {
        throw classifyAiFailure(error, { provider, apiKey, signal });
      }
    },
  };
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "the configured base URL";
  }
}

function blockedCause(error: unknown): OutboundRequestBlocked | undefined {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (cause instanceof OutboundRequestBlocked) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}

// A spent quota (429 insufficient_quota) does not come back within a step's retries.
const PERMANENT_CODES = new Set(["insufficient_quota"]);

function classifyAiFailure(
  error: unknown,
  context: { provider: string; apiKey: string; signal: AbortSignal },
): unknown {
  if (error instanceof NodeError) return error;
  const scrub = (text: string) => text.split(context.apiKey).join("[redacted]");
  const blocked = blockedCause(error);
  if (blocked) return permanentFailure(`${context.provider}: ${blocked.message}`);
  if (
    error instanceof OpenAI.APIUserAbortError ||
    error instanceof OpenAI.APIConnectionTimeoutError ||
    context.signal.aborted
  )
    return retriableFailure(`${context.provider} did not answer within the node's timeout`);
  if (error instanceof OpenAI.APIConnectionError)
    return retriableFailure(`could not reach ${context.provider}: ${scrub(error.message)}`);
  if (error instanceof OpenAI.APIError && typeof error.status === "number") {
    const detail = (error.error as { message?: unknown } | undefined)?.message;
    const message = `${context.provider} refused the request (HTTP ${error.status}${
      error.code ? `, ${error.code}` : ""
    }): ${scrub(typeof detail === "string" ? detail : error.message)}`;
    if (error.code && PERMANENT_CODES.has(error.code)) return permanentFailure(message);
    if (error.status === 429 || error.status >= 500 || error.status === 408 || error.status === 409)
      return retriableFailure(message, retryAfterMs(error.headers));
    return permanentFailure(message);
  }
  return error;
}

/** OpenAI sends `retry-after-ms` as well as the standard `retry-after`. */
function retryAfterMs(headers: Headers | undefined): number | undefined {
  const precise = Number(headers?.get("retry-after-ms") ?? Number.NaN);
  if (Number.isFinite(precise) && precise >= 0) return precise;
  return parseRetryAfter(headers?.get("retry-after"));
}
