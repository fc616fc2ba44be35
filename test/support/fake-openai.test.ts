import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import OpenAI, {
  APIConnectionTimeoutError,
  AuthenticationError,
  BadRequestError,
  InternalServerError,
  NotFoundError,
  RateLimitError,
} from "openai";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeOpenAI, startFakeOpenAI } from "./fake-openai";

// The fake OpenAI API driven by the real `openai` SDK, including how the SDK
// reports each error the fake can produce.

let fake: FakeOpenAI;

beforeAll(async () => {
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

function client(options: ConstructorParameters<typeof OpenAI>[0] = {}) {
  return new OpenAI({ apiKey: fake.apiKey, baseURL: fake.baseURL, maxRetries: 0, ...options });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

const welcome = (name: string) => [
  { role: "system" as const, content: "You write short welcome notes." },
  { role: "user" as const, content: `Write a welcome note for ${name}, our new designer.` },
];

describe("chat completions", () => {
  it("answers with a deterministic reply derived from the last user message", async () => {
    const completion = await client().chat.completions.create({
      model: "gpt-4o-mini",
      messages: welcome("Ada"),
    });

    expect(completion).toMatchObject({
      id: expect.stringMatching(/^chatcmpl-/),
      object: "chat.completion",
      created: expect.any(Number),
      model: "gpt-4o-mini",
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: "Welcome aboard, Write a welcome note for Ada, our new designer.",
          },
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens: 14, completion_tokens: 11, total_tokens: 25 },
    });
    expect(completion._request_id).toMatch(/^req_/);

    const [request, ...others] = fake.requests();
    expect(others).toEqual([]);
    expect(request).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      status: 200,
      body: { model: "gpt-4o-mini", messages: welcome("Ada") },
    });
    expect(request?.headers["user-agent"]).toMatch(/^OpenAI\/JS /);
    expect(request?.headers).not.toHaveProperty("authorization");
  });

  it("echoes only the first 200 characters and reads text content parts", async () => {
    const long = "x".repeat(300);
    const completion = await client().chat.completions.create({
      model: "gpt-4.1-mini",
      messages: [
        { role: "user", content: "an earlier message" },
        { role: "assistant", content: "ok" },
        { role: "user", content: [{ type: "text", text: long }] },
      ],
    });
    expect(completion.choices[0]?.message.content).toBe(`Welcome aboard, ${"x".repeat(200)}`);
  });

  it("uses a custom respond function", async () => {
    const custom = await startFakeOpenAI({
      respond: (request) => `model ${request.model} saw ${request.messages.length} messages`,
    });
    try {
      const openai = new OpenAI({ apiKey: custom.apiKey, baseURL: custom.baseURL, maxRetries: 0 });
      const completion = await openai.chat.completions.create({
        model: "gpt-5-mini",
        messages: welcome("Grace"),
      });
      expect(completion.choices[0]?.message.content).toBe("model gpt-5-mini saw 2 messages");
    } finally {
      await custom.close();
    }
  });

  it("cuts the reply at max_completion_tokens (or max_tokens) words with finish_reason length", async () => {
    const openai = client();
    const byCompletionTokens = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: welcome("Ada"),
      max_completion_tokens: 3,
    });
    expect(byCompletionTokens.choices[0]).toMatchObject({
      message: { content: "Welcome aboard, Write" },
      finish_reason: "length",
    });
    expect(byCompletionTokens.usage?.completion_tokens).toBe(3);

    const byMaxTokens = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: welcome("Ada"),
      max_tokens: 5,
    });
    expect(byMaxTokens.choices[0]?.message.content).toBe("Welcome aboard, Write a welcome");

    const roomy = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: welcome("Ada"),
      max_completion_tokens: 500,
    });
    expect(roomy.choices[0]?.finish_reason).toBe("stop");
  });

  it("a respond function that throws is a 500 InternalServerError", async () => {
    const broken = await startFakeOpenAI({
      respond: () => {
        throw new Error("boom");
      },
    });
    try {
      const openai = new OpenAI({ apiKey: broken.apiKey, baseURL: broken.baseURL, maxRetries: 0 });
      const error = await rejection(
        openai.chat.completions.create({ model: "gpt-4o", messages: welcome("Ada") }),
      );
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ status: 500, type: "server_error" });
    } finally {
      await broken.close();
    }
  });
});

describe("errors, as the openai SDK reports them", () => {
  it("a wrong key is 401 invalid_api_key, without echoing the key", async () => {
    const wrongKey = "sk-wrong-key-that-must-not-leak";
    const error = await rejection(
      client({ apiKey: wrongKey }).chat.completions.create({
        model: "gpt-4o-mini",
        messages: welcome("Ada"),
      }),
    );

    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).toMatchObject({
      status: 401,
      code: "invalid_api_key",
      type: "invalid_request_error",
      param: null,
      requestID: expect.stringMatching(/^req_/),
    });
    expect((error as Error).message).toMatch(/^401 Incorrect API key provided: sk-\*+leak\./);
    expect((error as Error).message).not.toContain(wrongKey);
  });

  it("a missing key is 401 with code null", async () => {
    const response = await fetch(`${fake.baseURL}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "gpt-4o-mini", messages: welcome("Ada") }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        message: expect.stringContaining("You didn't provide an API key"),
        type: "invalid_request_error",
        param: null,
        code: null,
      },
    });
  });

  it("a missing model or messages is a 400 BadRequestError", async () => {
    const openai = client();
    const noModel = await rejection(
      openai.chat.completions.create({ messages: welcome("Ada") } as never),
    );
    expect(noModel).toBeInstanceOf(BadRequestError);
    expect(noModel).toMatchObject({
      status: 400,
      type: "invalid_request_error",
      message: "400 you must provide a model parameter",
    });

    const noMessages = await rejection(
      openai.chat.completions.create({ model: "gpt-4o-mini" } as never),
    );
    expect(noMessages).toBeInstanceOf(BadRequestError);
    expect(noMessages).toMatchObject({
      status: 400,
      param: "messages",
      code: "missing_required_parameter",
    });
  });

  it("rejects other bad arguments with 400", async () => {
    const openai = client();
    const create = (body: Record<string, unknown>) =>
      rejection(openai.chat.completions.create({ model: "gpt-4o-mini", ...body } as never));

    expect(await create({ messages: [] })).toMatchObject({ status: 400, code: "empty_array" });
    expect(await create({ messages: [{ role: "robot", content: "hi" }] })).toMatchObject({
      status: 400,
      param: "messages[0].role",
      code: "invalid_value",
    });
    expect(await create({ messages: welcome("Ada"), max_tokens: 0 })).toMatchObject({
      status: 400,
      param: "max_tokens",
      code: "integer_below_min_value",
    });
    const invalidJson = await fetch(`${fake.baseURL}/chat/completions`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: "{not json",
    });
    expect(invalidJson.status).toBe(400);
  });

  it("an unknown model is a 404 NotFoundError model_not_found", async () => {
    const error = await rejection(
      client().chat.completions.create({ model: "gpt-nope", messages: welcome("Ada") }),
    );
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found" });
  });

  it("a 429 is a RateLimitError exposing Retry-After, without retrying", async () => {
    fake.failNext(429, undefined, { headers: { "Retry-After": "20" } });
    const started = Date.now();
    const error = await rejection(
      client().chat.completions.create({ model: "gpt-4o-mini", messages: welcome("Ada") }),
    );

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ status: 429, code: "rate_limit_exceeded", type: "requests" });
    expect((error as RateLimitError).headers?.get("retry-after")).toBe("20");
    expect(fake.requests().map((request) => request.status)).toEqual([429]);
  });

  it("failTimes: the next n requests fail, then requests succeed; the SDK's retries ride it out", async () => {
    fake.failTimes(2, 503);
    const openai = client();
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await rejection(
        openai.chat.completions.create({ model: "gpt-4o-mini", messages: welcome("Ada") }),
      );
      expect(error).toBeInstanceOf(InternalServerError);
      expect(error).toMatchObject({ status: 503, type: "server_error" });
    }
    await expect(
      openai.chat.completions.create({ model: "gpt-4o-mini", messages: welcome("Ada") }),
    ).resolves.toMatchObject({ object: "chat.completion" });

    fake.reset();
    fake.failTimes(2, 429, undefined, { headers: { "retry-after-ms": "1" } });
    const retrying = client({ maxRetries: 2 });
    await expect(
      retrying.chat.completions.create({ model: "gpt-4o-mini", messages: welcome("Ada") }),
    ).resolves.toMatchObject({ object: "chat.completion" });
    expect(fake.requests().map((request) => request.status)).toEqual([429, 429, 200]);
  });

  it("a 500 is an InternalServerError", async () => {
    fake.failNext(500);
    const error = await rejection(client().models.list());
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({ status: 500, type: "server_error" });
  });

  it("hangNext: the SDK's timeout gives APIConnectionTimeoutError", async () => {
    fake.hangNext(500);
    const error = await rejection(
      client({ timeout: 100 }).chat.completions.create({
        model: "gpt-4o-mini",
        messages: welcome("Ada"),
      }),
    );
    expect(error).toBeInstanceOf(APIConnectionTimeoutError);
    await expect(client().models.list()).resolves.toBeDefined();
  });

  it("an unknown path is 404 Invalid URL", async () => {
    const response = await fetch(`${fake.baseURL}/embeddingz`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}` },
    });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({
      error: { message: "Invalid URL (POST /v1/embeddingz)" },
    });
  });
});

describe("models", () => {
  it("lists and retrieves models, for a connection test", async () => {
    const openai = client();
    const page = await openai.models.list();
    expect(page.data.map((model) => model.id)).toContain("gpt-4o-mini");
    expect(page.data[0]).toMatchObject({ object: "model", owned_by: "system" });

    await expect(openai.models.retrieve("gpt-4.1")).resolves.toMatchObject({ id: "gpt-4.1" });
    await expect(openai.models.retrieve("gpt-nope")).rejects.toBeInstanceOf(NotFoundError);
  });

  it("a connection test with a wrong key fails with AuthenticationError", async () => {
    await expect(client({ apiKey: "sk-wrong" }).models.list()).rejects.toBeInstanceOf(
      AuthenticationError,
    );
  });

  it("honours a custom model list", async () => {
    const custom = await startFakeOpenAI({ models: ["house-model"] });
    try {
      const openai = new OpenAI({ apiKey: custom.apiKey, baseURL: custom.baseURL, maxRetries: 0 });
      const completion = await openai.chat.completions.create({
        model: "house-model",
        messages: welcome("Ada"),
      });
      expect(completion.model).toBe("house-model");
      await expect(
        openai.chat.completions.create({ model: "gpt-4o-mini", messages: welcome("Ada") }),
      ).rejects.toBeInstanceOf(NotFoundError);
    } finally {
      await custom.close();
    }
  });
});

describe("test-only endpoints", () => {
  it("GET /_test/requests lists requests, DELETE clears them", async () => {
    await client().chat.completions.create({ model: "gpt-4o-mini", messages: welcome("Ada") });

    const listed = await fetch(`${fake.url}/_test/requests`);
    expect(await listed.json()).toEqual([
      expect.objectContaining({ path: "/v1/chat/completions", status: 200 }),
    ]);
    expect((await fetch(`${fake.url}/_test/requests`, { method: "DELETE" })).status).toBe(200);
    expect(fake.requests()).toEqual([]);
  });

  it("POST /_test/fail and /_test/hang script the next requests", async () => {
    await fetch(`${fake.url}/_test/fail`, {
      method: "POST",
      body: JSON.stringify({ status: 429, headers: { "retry-after": "9" } }),
    });
    const error = await rejection(client().models.list());
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).headers?.get("retry-after")).toBe("9");

    await fetch(`${fake.url}/_test/hang`, { method: "POST", body: JSON.stringify({ ms: 200 }) });
    const started = Date.now();
    await client().models.list();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe("standalone", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGTERM");
  });

  it("`tsx test/support/fake-openai.ts` serves until SIGTERM", async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const spawned = spawn(
      path.join(root, "node_modules/.bin/tsx"),
      [path.join(root, "test/support/fake-openai.ts")],
      { env: { ...process.env, FAKE_OPENAI_PORT: "0", FAKE_OPENAI_API_KEY: "sk-standalone" } },
    );
    child = spawned;
    const url = await new Promise<string>((resolve, reject) => {
      let output = "";
      spawned.stdout.on("data", (chunk: Buffer) => {
        output += chunk.toString();
        const match = /listening on (http:\/\/\S+)/.exec(output);
        if (match?.[1]) resolve(match[1]);
      });
      spawned.once("exit", (code) => reject(new Error(`exited ${code}: ${output}`)));
    });

    const openai = new OpenAI({ apiKey: "sk-standalone", baseURL: `${url}/v1`, maxRetries: 0 });
    const completion = await openai.chat.completions.create({
      model: "gpt-4o-mini",
      messages: [{ role: "user", content: "hello" }],
    });
    expect(completion.choices[0]?.message.content).toBe("Welcome aboard, hello");
    const requests = await (await fetch(`${url}/_test/requests`)).json();
    expect(requests).toEqual([expect.objectContaining({ path: "/v1/chat/completions" })]);

    const exited = new Promise<number | null>((resolve) => spawned.once("exit", resolve));
    spawned.kill("SIGTERM");
    expect(await exited).toBe(0);
    child = undefined;
  });
});
