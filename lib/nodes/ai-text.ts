import { z } from "zod";
import { permanentFailure } from "@/lib/engine/node-error";
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
// The call goes through the AI text port (lib/providers/openai-text.ts): a
// tenant's base URL through the SSRF guard (S2), one attempt, failures
// classified there; retries are the engine's.

export const MAX_PROMPT_LENGTH = 20_000;

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
  longTextFields: ["system", "prompt"],
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
    const prompt = config.prompt.trim();
    if (prompt === "") throw permanentFailure("prompt: rendered empty");
    const system = config.system?.trim();
    const tenantBaseUrl = stringSetting(credential.settings.baseUrl);
    const organization = stringSetting(credential.settings.organization);
    const answer = await services.aiText.complete(
      {
        apiKey,
        ...(organization ? { organization } : {}),
        ...(tenantBaseUrl ? { tenantBaseUrl } : {}),
        model: config.model,
        messages: [
          ...(system ? [{ role: "system" as const, content: system }] : []),
          { role: "user" as const, content: prompt },
        ],
        maxTokens: config.maxTokens,
        ...(config.temperature !== undefined ? { temperature: config.temperature } : {}),
      },
      signal,
    );
    return {
      text: answer.content ?? answer.refusal ?? "",
      model: answer.model,
      finishReason: answer.finishReason ?? "unknown",
      usage: answer.usage,
    };
  },
});

function stringSetting(value: unknown): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value.trim() : undefined;
}
