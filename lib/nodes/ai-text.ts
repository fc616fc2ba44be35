import OpenAI from "openai";
import { z } from "zod";
import {
  NodeError,
  parseRetryAfter,
  permanentFailure,
  retriableFailure,
} from "@/lib/engine/node-error";
import { guardedFetch, OutboundRequestBlocked } from "@/lib/net/outbound-fetch";
import { defineActionKind } from "./node-kind";

// Asks an OpenAI model (or an OpenAI-compatible API at the credential's base
// URL) for a piece of text: a welcome note, a summary of a request.
//
// The answer is data (RELIABILITY S4, OWASP LLM01/LLM05): HR fields in the
// prompt are untrusted, so the model may have been told to do anything. Its
// text can be shown or sent by later nodes, but it never chooses recipients,
// URLs or credentials — those come only from node configs — and this node
// offers no tools or function calls through which it could act. Nothing
// changes outside OfficeFlow, so test runs call the model for real.
//
// A base URL from the tenant's credential is reached through guardedFetch
// (no private or metadata addresses, S2); the platform's own URL
// (OPENAI_BASE_URL, a proxy or the test fake) is trusted. Retries are the
// engine's: the client makes one attempt (maxRetries: 0) and the node says
// whether another could help.

export const MAX_PROMPT_LENGTH = 20_000;
const CLIENT_TIMEOUT_MS = 3_600_000;

const config = z
  .object({
    credentialId: z.guid("must be a credential id"),
    model: z
      .string()
      .trim()
      .min(1, "is required")
      .max(100)
      .regex(/^[A-Za-z0-9._:/-]+$/, "must be a model name such as gpt-4o-mini")
      .default("gpt-4o-mini"),
    /** Instructions for the model; a template. */
    system: z.string().max(MAX_PROMPT_LENGTH).optional(),
    /** The request; a template, e.g. `Write a welcome note for {{ employee.firstName }}`. */
    prompt: z
      .string()
      .trim()
      .min(1, "is required")
      .max(MAX_PROMPT_LENGTH, "must be at most 20,000 characters"),
    maxTokens: z.number().int().min(1).max(4000).default(400),
    temperature: z.number().min(0).max(2).optional(),
  })
  .strict();

const output = z.object({
  text: z.string(),
  model: z.string(),
  /** "stop", or "length" when maxTokens cut the answer short, "content_filter", … */
  finishReason: z.string(),
  usage: z.object({ promptTokens: z.number(), completionTokens: z.number() }),
});

export const aiTextKind = defineActionKind({
  kind: "ai_text",
  label: "AI text",
  description: "Writes text with an OpenAI model, for later steps to show or send.",
  category: "ai",
  config,
  output,
  sideEffects: false,
  credentialFields: { credentialId: ["openai"] },
  defaultTimeoutSeconds: 60,
  defaultConfig: {
    credentialId: "",
    model: "gpt-4o-mini",
    prompt:
      "Write a short, friendly welcome message for {{ employee.firstName }}, who joins {{ employee.department }} as {{ employee.title }}.",
    maxTokens: 400,
  },
  async execute({ config, credentials, services, signal }) {
    const credential = await credentials.read(config.credentialId, ["openai"]);
    const apiKey = credential.secret.apiKey;
    if (!apiKey) throw permanentFailure("the OpenAI credential has no API key");
    const tenantBaseUrl = stringSetting(credential.settings.baseUrl);
    const organization = stringSetting(credential.settings.organization);
    const baseURL = tenantBaseUrl ?? services.providerUrls.openai;
    const provider = tenantBaseUrl ? `the AI API at ${hostOf(tenantBaseUrl)}` : "OpenAI";

    const client = new OpenAI({
      apiKey,
      ...(baseURL ? { baseURL } : {}),
      ...(organization ? { organization } : {}),
      maxRetries: 0,
      // The node's timeout (signal) is the limit that counts.
      timeout: CLIENT_TIMEOUT_MS,
      ...(tenantBaseUrl ? { fetch: guardedFetch } : {}),
    });
    const prompt = config.prompt.trim();
    if (prompt === "") throw permanentFailure("prompt: rendered empty");
    const system = config.system?.trim();
    try {
      const completion = await client.chat.completions.create(
        {
          model: config.model,
          messages: [
            ...(system ? [{ role: "system" as const, content: system }] : []),
            { role: "user" as const, content: prompt },
          ],
          // OpenAI's current name; compatible servers often know only the older one.
          ...(tenantBaseUrl
            ? { max_tokens: config.maxTokens }
            : { max_completion_tokens: config.maxTokens }),
          ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
        },
        { signal },
      );
      const choice = completion.choices[0];
      if (!choice) throw permanentFailure(`${provider} returned no answer`);
      return {
        text: choice.message.content ?? choice.message.refusal ?? "",
        model: completion.model,
        finishReason: choice.finish_reason ?? "unknown",
        usage: {
          promptTokens: completion.usage?.prompt_tokens ?? 0,
          completionTokens: completion.usage?.completion_tokens ?? 0,
        },
      };
    } catch (error) {
      throw classifyAiFailure(error, { provider, apiKey, signal });
    }
  },
});

function stringSetting(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
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
