import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  ErrorCode,
  LogLevel,
  WebAPIHTTPError,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebAPIRequestError,
  WebClient,
  WebClientEvent,
  type WebClientOptions,
} from "@slack/web-api";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FAKE_SLACK_BOT, FAKE_SLACK_TOKEN, type FakeSlack, startFakeSlack } from "./fake-slack";

// The fake Slack Web API driven by the real @slack/web-api WebClient, including
// how the SDK reports each failure the fake can produce.

let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

function client(token: string | null = fake.token, options: WebClientOptions = {}) {
  return new WebClient(token ?? undefined, {
    slackApiUrl: `${fake.url}/api/`,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
    ...options,
  });
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

async function platformError(promise: Promise<unknown>): Promise<string> {
  const error = await rejection(promise);
  expect(error).toBeInstanceOf(WebAPIPlatformError);
  expect((error as WebAPIPlatformError).code).toBe(ErrorCode.PlatformError);
  return (error as WebAPIPlatformError).data.error;
}

describe("auth", () => {
  it("auth.test describes the bot", async () => {
    const result = await client().auth.test();
    expect(result).toMatchObject({
      ok: true,
      team: "Acme",
      team_id: "T0ACME",
      user: FAKE_SLACK_BOT.name,
      user_id: FAKE_SLACK_BOT.userId,
      bot_id: FAKE_SLACK_BOT.botId,
    });
  });

  it("a missing token is not_authed, a wrong one invalid_auth, both HTTP 200", async () => {
    expect(await platformError(client(null).auth.test())).toBe("not_authed");
    expect(await platformError(client("xoxb-wrong").auth.test())).toBe("invalid_auth");
    expect(fake.calls("auth.test").map(({ status, error }) => ({ status, error }))).toEqual([
      { status: 200, error: "not_authed" },
      { status: 200, error: "invalid_auth" },
    ]);
  });

  it("accepts the token as a form field too", async () => {
    const response = await fetch(`${fake.apiUrl}auth.test`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token: FAKE_SLACK_TOKEN }),
    });
    expect(await response.json()).toMatchObject({ ok: true, user_id: FAKE_SLACK_BOT.userId });
    expect(fake.calls("auth.test")[0]?.params).toEqual({});
  });
});

describe("chat.postMessage", () => {
  const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*Welcome* Ada" } }];
  const metadata = {
    event_type: "officeflow_step",
    event_payload: { run_id: "run_1", step: "welcome" },
  };

  it("posts text, blocks and metadata to a channel, form-encoded like the SDK sends", async () => {
    const result = await client().chat.postMessage({
      channel: "C0GENERAL",
      text: "Welcome Ada",
      blocks,
      metadata,
    });

    expect(result).toMatchObject({
      ok: true,
      channel: "C0GENERAL",
      ts: expect.stringMatching(/^\d{10}\.\d{6}$/),
      message: {
        type: "message",
        text: "Welcome Ada",
        blocks,
        metadata,
        user: FAKE_SLACK_BOT.userId,
        bot_id: FAKE_SLACK_BOT.botId,
      },
    });
    expect(fake.messages()).toEqual([
      {
        channel: "C0GENERAL",
        ts: result.ts,
        text: "Welcome Ada",
        blocks,
        metadata,
        user: FAKE_SLACK_BOT.userId,
        postedAt: expect.any(String),
      },
    ]);
    const [call] = fake.calls("chat.postMessage");
    expect(call?.contentType).toBe("application/x-www-form-urlencoded");
    // The SDK JSON-stringifies nested arguments inside the form.
    expect(call?.params).toMatchObject({
      channel: "C0GENERAL",
      blocks: JSON.stringify(blocks),
      metadata: JSON.stringify(metadata),
    });
  });

  it("accepts a JSON body as Slack does", async () => {
    const response = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${fake.token}`,
        "content-type": "application/json; charset=utf-8",
      },
      body: JSON.stringify({ channel: "#general", text: "from JSON", blocks, metadata }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, channel: "C0GENERAL" });
    expect(fake.messages()[0]).toMatchObject({ text: "from JSON", blocks, metadata });
  });

  it("resolves a channel name, with or without #", async () => {
    const slack = client();
    expect((await slack.chat.postMessage({ channel: "onboarding", text: "a" })).channel).toBe(
      "C0ONBOARDING",
    );
    expect((await slack.chat.postMessage({ channel: "#general", text: "b" })).channel).toBe(
      "C0GENERAL",
    );
  });

  it("posts to a user looked up by email, landing in the bot's DM", async () => {
    const slack = client();
    const { user } = await slack.users.lookupByEmail({ email: "Manager@Acme.example" });
    expect(user).toMatchObject({
      id: "U0MANAGER",
      name: "manager",
      profile: { email: "manager@acme.example" },
    });

    const result = await slack.chat.postMessage({ channel: user!.id!, text: "Your new hire" });

    expect(result.channel).toBe("D0MANAGER");
    expect(fake.messages("D0MANAGER")).toHaveLength(1);
    const { channel } = await slack.conversations.open({ users: "U0MANAGER" });
    expect(channel?.id).toBe("D0MANAGER");
  });

  it("gives successive messages increasing timestamps", async () => {
    const slack = client();
    const first = await slack.chat.postMessage({ channel: "C0GENERAL", text: "1" });
    const second = await slack.chat.postMessage({ channel: "C0GENERAL", text: "2" });
    expect(Number(second.ts)).toBeGreaterThan(Number(first.ts));
  });

  it("reports an unknown channel as channel_not_found with HTTP 200, via WebAPIPlatformError", async () => {
    const error = await rejection(client().chat.postMessage({ channel: "C0NOPE", text: "hi" }));

    expect(error).toBeInstanceOf(WebAPIPlatformError);
    expect(error).toMatchObject({
      code: "slack_webapi_platform_error",
      message: "An API error occurred: channel_not_found",
      data: { ok: false, error: "channel_not_found" },
    });
    expect(fake.calls("chat.postMessage")[0]).toMatchObject({ status: 200, ok: false });
    expect(fake.messages()).toEqual([]);
  });

  it("rejects the other bad posts with Slack's error codes", async () => {
    const slack = client();
    const post = (args: Record<string, unknown>) =>
      platformError(slack.apiCall("chat.postMessage", args));

    expect(await post({ text: "no channel" })).toBe("channel_not_found");
    expect(await post({ channel: "C0RANDOM", text: "bot is not a member" })).toBe("not_in_channel");
    expect(await post({ channel: "C0GENERAL" })).toBe("no_text");
    expect(await post({ channel: "C0GENERAL", text: "x".repeat(40_001) })).toBe("msg_too_long");
    expect(await post({ channel: "C0GENERAL", blocks: "[not json" })).toBe("invalid_blocks_format");
    expect(await post({ channel: "C0GENERAL", blocks: [{ text: "no type" }] })).toBe(
      "invalid_blocks",
    );
    expect(await post({ channel: "C0GENERAL", text: "x", metadata: "{oops" })).toBe(
      "invalid_metadata_format",
    );
    expect(
      await post({ channel: "C0GENERAL", text: "x", metadata: { event_type: "no_payload" } }),
    ).toBe("invalid_metadata_schema");
    expect(fake.messages()).toEqual([]);
  });

  it("reports an archived channel as is_archived", async () => {
    const archived = await startFakeSlack({
      channels: [{ id: "C0OLD", name: "old", isArchived: true }],
    });
    try {
      const slack = new WebClient(archived.token, {
        slackApiUrl: archived.apiUrl,
        retryConfig: { retries: 0 },
      });
      expect(await platformError(slack.chat.postMessage({ channel: "C0OLD", text: "x" }))).toBe(
        "is_archived",
      );
    } finally {
      await archived.close();
    }
  });
});

describe("users.lookupByEmail", () => {
  it("answers users_not_found for an unknown email", async () => {
    expect(
      await platformError(client().users.lookupByEmail({ email: "nobody@acme.example" })),
    ).toBe("users_not_found");
  });

  it("answers invalid_arguments without an email", async () => {
    expect(await platformError(client().apiCall("users.lookupByEmail", {}))).toBe(
      "invalid_arguments",
    );
  });

  it("uses the seeded users", async () => {
    const seeded = await startFakeSlack({
      token: "xoxb-custom",
      users: [{ id: "U0ADA", email: "ada@example.test", name: "ada" }],
    });
    try {
      const slack = new WebClient("xoxb-custom", {
        slackApiUrl: seeded.apiUrl,
        retryConfig: { retries: 0 },
      });
      const { user } = await slack.users.lookupByEmail({ email: "ada@example.test" });
      expect(user).toMatchObject({ id: "U0ADA", real_name: "ada" });
    } finally {
      await seeded.close();
    }
  });
});

describe("conversations.history", () => {
  it("lists a channel's messages newest first, with metadata only when asked for", async () => {
    const slack = client();
    const metadata = { event_type: "officeflow_step", event_payload: { key: "run_1/welcome" } };
    const first = await slack.chat.postMessage({ channel: "C0GENERAL", text: "one", metadata });
    const second = await slack.chat.postMessage({ channel: "C0GENERAL", text: "two" });
    await slack.chat.postMessage({ channel: "C0ONBOARDING", text: "elsewhere" });

    const plain = await slack.conversations.history({ channel: "C0GENERAL" });
    expect(plain.messages?.map((message) => message.ts)).toEqual([second.ts, first.ts]);
    expect(plain.messages?.[1]).not.toHaveProperty("metadata");
    expect(plain.has_more).toBe(false);

    const withMetadata = await slack.conversations.history({
      channel: "C0GENERAL",
      limit: 10,
      include_all_metadata: true,
    });
    expect(withMetadata.messages?.[1]).toMatchObject({ text: "one", ts: first.ts, metadata });
    expect(withMetadata.messages?.[0]).not.toHaveProperty("metadata");
  });

  it("pages with limit and cursor, and filters by oldest", async () => {
    const slack = client();
    const posted: string[] = [];
    for (const text of ["a", "b", "c"]) {
      posted.push((await slack.chat.postMessage({ channel: "C0GENERAL", text })).ts!);
    }

    const page1 = await slack.conversations.history({ channel: "C0GENERAL", limit: 2 });
    expect(page1.messages?.map((message) => message.text)).toEqual(["c", "b"]);
    expect(page1.has_more).toBe(true);
    const page2 = await slack.conversations.history({
      channel: "C0GENERAL",
      limit: 2,
      cursor: page1.response_metadata?.next_cursor,
    });
    expect(page2.messages?.map((message) => message.text)).toEqual(["a"]);
    expect(page2.has_more).toBe(false);

    const newer = await slack.conversations.history({ channel: "C0GENERAL", oldest: posted[0] });
    expect(newer.messages?.map((message) => message.text)).toEqual(["c", "b"]);
  });

  it("reads a DM by its D… ID", async () => {
    const slack = client();
    await slack.chat.postMessage({
      channel: "U0NEWHIRE",
      text: "hi",
      metadata: { event_type: "officeflow_step", event_payload: { key: "k" } },
    });
    const history = await slack.conversations.history({
      channel: "D0NEWHIRE",
      include_all_metadata: true,
    });
    expect(history.messages).toEqual([
      expect.objectContaining({
        text: "hi",
        metadata: expect.objectContaining({ event_type: "officeflow_step" }),
      }),
    ]);
  });

  it("rejects unknown channels and channels the bot is not in", async () => {
    const slack = client();
    expect(await platformError(slack.conversations.history({ channel: "C0NOPE" }))).toBe(
      "channel_not_found",
    );
    expect(await platformError(slack.conversations.history({ channel: "C0RANDOM" }))).toBe(
      "not_in_channel",
    );
    expect(
      await platformError(slack.conversations.history({ channel: "C0GENERAL", cursor: "junk" })),
    ).toBe("invalid_cursor");
  });
});

describe("rate limits and outages, as @slack/web-api reports them", () => {
  it("rejectRateLimitedCalls: a 429 becomes WebAPIRateLimitedError with retryAfter at once", async () => {
    fake.failNext(429, undefined, { headers: { "Retry-After": "30" } });
    const slack = client(fake.token, { rejectRateLimitedCalls: true });
    const events: number[] = [];
    slack.on(WebClientEvent.RATE_LIMITED, (seconds: number) => events.push(seconds));

    const started = Date.now();
    const error = await rejection(slack.chat.postMessage({ channel: "C0GENERAL", text: "x" }));

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toBeInstanceOf(WebAPIRateLimitedError);
    expect(error).toMatchObject({ code: "slack_webapi_rate_limited_error", retryAfter: 30 });
    expect(events).toEqual([30]);
    expect(fake.calls("chat.postMessage")).toMatchObject([
      { status: 429, ok: false, error: "ratelimited" },
    ]);
    expect(fake.messages()).toEqual([]);
  });

  it("by default the client sleeps Retry-After, then rejects with WebAPIRequestError", async () => {
    fake.rateLimitNext(1);
    const slack = client();

    const started = Date.now();
    const error = await rejection(slack.chat.postMessage({ channel: "C0GENERAL", text: "x" }));

    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect(error).toMatchObject({ code: "slack_webapi_request_error" });
    expect(error).not.toHaveProperty("retryAfter");
    expect((error as WebAPIRequestError).original.message).toMatch(
      /^A rate limit was exceeded \(url: .*chat\.postMessage, retry-after: 1\)$/,
    );
  });

  it("with retries the client waits out a 429 and then succeeds", async () => {
    fake.rateLimitNext(0, { times: 2 });
    const slack = client(fake.token, { retryConfig: { retries: 2, minTimeout: 1, maxTimeout: 5 } });

    const result = await slack.chat.postMessage({ channel: "C0GENERAL", text: "eventually" });

    expect(result.ok).toBe(true);
    expect(fake.calls("chat.postMessage").map((call) => call.status)).toEqual([429, 429, 200]);
    expect(fake.messages()).toHaveLength(1);
  });

  it("a 429 without Retry-After is a plain Error, not a SlackError", async () => {
    fake.failNext(429, undefined, { headers: { "retry-after": null } });
    const error = await rejection(client().auth.test());
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toHaveProperty("code");
    expect((error as Error).message).toMatch(/^Retry header did not contain a valid timeout/);
  });

  it("failTimes: the next n calls fail with WebAPIHTTPError, then calls succeed", async () => {
    fake.failTimes(2, 503);
    const slack = client();

    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await rejection(slack.chat.postMessage({ channel: "C0GENERAL", text: "x" }));
      expect(error).toBeInstanceOf(WebAPIHTTPError);
      expect(error).toMatchObject({
        code: "slack_webapi_http_error",
        statusCode: 503,
        body: { ok: false, error: "service_unavailable" },
      });
    }
    await expect(
      slack.chat.postMessage({ channel: "C0GENERAL", text: "x" }),
    ).resolves.toMatchObject({ ok: true });
    expect(fake.messages()).toHaveLength(1);
  });

  it("a scripted failure can target one method and carry a platform error", async () => {
    fake.failNext(200, { ok: false, error: "ratelimited" }, { method: "chat.postMessage" });
    const slack = client();

    const { user } = await slack.users.lookupByEmail({ email: "manager@acme.example" });
    expect(await platformError(slack.chat.postMessage({ channel: user!.id!, text: "x" }))).toBe(
      "ratelimited",
    );
    await expect(slack.chat.postMessage({ channel: user!.id!, text: "x" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("hangNext: the client times out with WebAPIRequestError, yet the message is posted", async () => {
    fake.hangNext(400);
    const slack = client(fake.token, { timeout: 100 });
    const metadata = { event_type: "officeflow_step", event_payload: { key: "run_9/notify" } };

    const error = await rejection(
      slack.chat.postMessage({ channel: "C0GENERAL", text: "slow", metadata }),
    );
    expect(error).toBeInstanceOf(WebAPIRequestError);
    expect(error).toMatchObject({ code: "slack_webapi_request_error" });
    expect((error as WebAPIRequestError).original.name).toBe("TimeoutError");
    expect(fake.messages()).toEqual([]);

    // A retry finds the earlier post through its metadata instead of posting twice.
    await expect.poll(() => fake.messages().length).toBe(1);
    const history = await client().conversations.history({
      channel: "C0GENERAL",
      include_all_metadata: true,
    });
    expect(history.messages?.[0]?.metadata).toEqual(metadata);
  });

  it("an unreachable Slack is a WebAPIRequestError", async () => {
    const slack = new WebClient(fake.token, {
      slackApiUrl: "http://127.0.0.1:1/api/",
      retryConfig: { retries: 0 },
      logLevel: LogLevel.ERROR,
    });
    const error = await rejection(slack.auth.test());
    expect(error).toBeInstanceOf(WebAPIRequestError);
  });

  it("an unknown method is HTTP 404 unknown_method", async () => {
    const error = await rejection(client().apiCall("chat.nope"));
    expect(error).toBeInstanceOf(WebAPIHTTPError);
    expect(error).toMatchObject({ statusCode: 404, body: { ok: false, error: "unknown_method" } });
  });
});

describe("test-only endpoints", () => {
  it("GET /_test/messages lists posts, DELETE clears them", async () => {
    await client().chat.postMessage({ channel: "C0GENERAL", text: "listed" });

    const listed = await fetch(`${fake.url}/_test/messages`);
    expect(await listed.json()).toEqual([expect.objectContaining({ text: "listed" })]);
    const calls = await fetch(`${fake.url}/_test/calls`);
    expect(await calls.json()).toEqual([
      expect.objectContaining({ method: "chat.postMessage", ok: true }),
    ]);

    expect((await fetch(`${fake.url}/_test/messages`, { method: "DELETE" })).status).toBe(200);
    expect(fake.messages()).toEqual([]);
    expect(fake.calls()).toEqual([]);
  });

  it("POST /_test/fail and /_test/hang script the next calls", async () => {
    await fetch(`${fake.url}/_test/fail`, {
      method: "POST",
      body: JSON.stringify({ status: 429, headers: { "retry-after": "12" }, times: 2 }),
    });
    const slack = client(fake.token, { rejectRateLimitedCalls: true });
    for (let attempt = 0; attempt < 2; attempt++) {
      await expect(slack.auth.test()).rejects.toMatchObject({ retryAfter: 12 });
    }
    await expect(slack.auth.test()).resolves.toMatchObject({ ok: true });

    await fetch(`${fake.url}/_test/hang`, { method: "POST", body: JSON.stringify({ ms: 200 }) });
    const started = Date.now();
    await slack.auth.test();
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});

describe("standalone", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGTERM");
  });

  it("`tsx test/support/fake-slack.ts` serves until SIGTERM", async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const spawned = spawn(
      path.join(root, "node_modules/.bin/tsx"),
      [path.join(root, "test/support/fake-slack.ts")],
      { env: { ...process.env, FAKE_SLACK_PORT: "0", FAKE_SLACK_TOKEN: "xoxb-standalone" } },
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

    const slack = new WebClient("xoxb-standalone", {
      slackApiUrl: `${url}/api/`,
      retryConfig: { retries: 0 },
    });
    await slack.chat.postMessage({ channel: "C0GENERAL", text: "from another process" });
    const messages = await (await fetch(`${url}/_test/messages`)).json();
    expect(messages).toEqual([expect.objectContaining({ text: "from another process" })]);

    const exited = new Promise<number | null>((resolve) => spawned.once("exit", resolve));
    spawned.kill("SIGTERM");
    expect(await exited).toBe(0);
    child = undefined;
  });
});
