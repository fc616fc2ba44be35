import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { NodeError } from "@/lib/engine/node-error";
import { type FakeOpenAI, startFakeOpenAI } from "@/test/support/fake-openai";
import { aiTextKind } from "./ai-text";
import { type TestContextOptions, type TestCredential, testNodeContext } from "./test-context";

// The AI kind through the real openai SDK against the fake OpenAI API on
// 127.0.0.1 (test/support/fake-openai.ts): once as the platform's OpenAI URL
// (trusted, like OPENAI_BASE_URL), once as a tenant's base URL (through the
// SSRF guard).

const CREDENTIAL = "0b9f8e7d-6c5b-4a39-8281-706f5e4d3c2b";
let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
afterEach(() => {
  vi.unstubAllEnvs();
  fake.reset();
});

type Config = Parameters<typeof aiTextKind.execute>[0]["config"];

function context(
  config: Partial<Config>,
  options: TestContextOptions & { credential?: Partial<TestCredential> } = {},
) {
  const { credential, ...rest } = options;
  return testNodeContext<Config>(
    aiTextKind.config.parse({
      credentialId: CREDENTIAL,
      prompt: "Write a welcome note for Nico",
      ...config,
    }),
    {
      credentials: {
        [CREDENTIAL]: {
          kind: "openai",
          secret: { apiKey: fake.apiKey },
          settings: {},
          ...credential,
        },
      },
      providerUrls: { openai: fake.baseURL },
      ...rest,
    },
  );
}

async function failureOf(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the node to fail");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

const chatRequests = () =>
  fake.requests().filter((request) => request.path === "/v1/chat/completions");

describe("ai_text: answers", () => {
  it("returns the model's text, model, finish reason and token usage", async () => {
    const output = await aiTextKind.execute(
      context({ system: "You write for HR.", temperature: 0.2, maxTokens: 50 }),
    );

    expect(output).toEqual({
      text: "Welcome aboard, Write a welcome note for Nico",
      model: "gpt-4o-mini",
      finishReason: "stop",
      usage: { promptTokens: expect.any(Number), completionTokens: 8 },
    });
    expect(aiTextKind.output.parse(output)).toEqual(output);
    expect(chatRequests()[0]?.body).toEqual({
      model: "gpt-4o-mini",
      messages: [
        { role: "system", content: "You write for HR." },
        { role: "user", content: "Write a welcome note for Nico" },
      ],
      max_completion_tokens: 50,
      temperature: 0.2,
    });
  });

  it("says when maxTokens cut the answer short", async () => {
    const output = await aiTextKind.execute(context({ maxTokens: 3 }));
    expect(output).toMatchObject({ finishReason: "length", usage: { completionTokens: 3 } });
  });

  it("sends the credential's organization", async () => {
    await aiTextKind.execute(
      context({}, { credential: { settings: { organization: "org-acme" } } }),
    );
    expect(chatRequests()[0]?.headers["openai-organization"]).toBe("org-acme");
  });

  it("has no preview: it changes nothing outside, so test runs call the model", () => {
    expect(aiTextKind.sideEffects).toBe(false);
    expect(aiTextKind.preview).toBeUndefined();
  });

  it("a prompt over 20,000 characters is refused by the config schema", () => {
    const result = aiTextKind.config.safeParse({
      credentialId: CREDENTIAL,
      prompt: "x".repeat(20_001),
    });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe("must be at most 20,000 characters");
  });
});

describe("ai_text: a tenant's base URL", () => {
  const tenantUrl = () => ({ credential: { settings: { baseUrl: fake.baseURL } } });

  it("is reached through the SSRF guard when the operator allows the host", async () => {
    vi.stubEnv("OUTBOUND_ALLOWED_HOSTS", "127.0.0.1");

    const output = await aiTextKind.execute(
      context({ maxTokens: 20 }, { ...tenantUrl(), providerUrls: {} }),
    );

    expect(output.text).toContain("Welcome aboard");
    expect(chatRequests()[0]?.body).toMatchObject({ max_tokens: 20 });
  });

  it("is refused before connecting when it points at a private address", async () => {
    vi.stubEnv("OUTBOUND_ALLOWED_HOSTS", "");

    const loopback = await failureOf(aiTextKind.execute(context({}, tenantUrl())));
    const metadata = await failureOf(
      aiTextKind.execute(
        context({}, { credential: { settings: { baseUrl: "http://169.254.169.254/v1" } } }),
      ),
    );

    for (const failure of [loopback, metadata]) {
      expect(failure.retriable).toBe(false);
      expect(failure.message).toMatch(/are not allowed/);
    }
    expect(fake.requests()).toEqual([]);
  });
});

describe("ai_text: failures", () => {
  it("429 is retriable after Retry-After", async () => {
    fake.failNext(429, undefined, { headers: { "retry-after": "20" } });
    const failure = await failureOf(aiTextKind.execute(context({})));
    expect(failure).toMatchObject({ retriable: true, retryAfterMs: 20_000 });
    expect(failure.message).toContain("HTTP 429");
  });

  it("OpenAI's retry-after-ms wins over Retry-After", async () => {
    fake.failNext(429, undefined, { headers: { "retry-after": "20", "retry-after-ms": "1500" } });
    const failure = await failureOf(aiTextKind.execute(context({})));
    expect(failure.retryAfterMs).toBe(1500);
  });

  it("a spent quota is permanent", async () => {
    fake.failNext(429, {
      error: {
        message: "You exceeded your current quota, please check your plan and billing details.",
        type: "insufficient_quota",
        param: null,
        code: "insufficient_quota",
      },
    });
    const failure = await failureOf(aiTextKind.execute(context({})));
    expect(failure.retriable).toBe(false);
    expect(failure.message).toContain("You exceeded your current quota");
  });

  it("5xx is retriable", async () => {
    fake.failNext(503);
    const failure = await failureOf(aiTextKind.execute(context({})));
    expect(failure.retriable).toBe(true);
    expect(failure.message).toContain("HTTP 503");
  });

  it("a wrong key is permanent with OpenAI's message and without the key", async () => {
    const wrongKey = "sk-wrong-key-that-must-never-be-shown-1234";
    const failure = await failureOf(
      aiTextKind.execute(context({}, { credential: { secret: { apiKey: wrongKey } } })),
    );
    expect(failure.retriable).toBe(false);
    expect(failure.message).toMatch(
      /^OpenAI refused the request \(HTTP 401, invalid_api_key\): Incorrect API key provided/,
    );
    expect(failure.message).not.toContain(wrongKey);
  });

  it("an unknown model and a bad argument are permanent", async () => {
    const unknownModel = await failureOf(aiTextKind.execute(context({ model: "gpt-9-imaginary" })));
    fake.failNext(400, {
      error: {
        message: "Unsupported value: 'temperature' does not support 0.2 with this model.",
        type: "invalid_request_error",
        param: "temperature",
        code: "unsupported_value",
      },
    });
    const badArgument = await failureOf(aiTextKind.execute(context({ temperature: 0.2 })));

    expect(unknownModel.retriable).toBe(false);
    expect(unknownModel.message).toContain("HTTP 404");
    expect(badArgument.retriable).toBe(false);
    expect(badArgument.message).toContain("does not support 0.2");
  });

  it("a model slower than the node's timeout gives a retriable timeout", async () => {
    fake.hangNext(2_000);
    const started = Date.now();

    const failure = await failureOf(aiTextKind.execute(context({}, { timeoutMs: 200 })));

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(failure.retriable).toBe(true);
    expect(failure.message).toBe("OpenAI did not answer within the node's timeout");
  });

  it("a refused connection is retriable", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const failure = await failureOf(
      aiTextKind.execute(context({}, { providerUrls: { openai: `http://127.0.0.1:${port}/v1` } })),
    );

    expect(failure.retriable).toBe(true);
    expect(failure.message).toMatch(/^could not reach OpenAI/);
  });

  it("no error carries the API key, even when the provider echoes it", async () => {
    fake.failNext(500, {
      error: {
        message: `upstream failed for key ${fake.apiKey}`,
        type: "server_error",
        param: null,
        code: null,
      },
    });
    const failure = await failureOf(aiTextKind.execute(context({})));
    expect(failure.message).not.toContain(fake.apiKey);
    expect(failure.message).toContain("[redacted]");
  });
});
