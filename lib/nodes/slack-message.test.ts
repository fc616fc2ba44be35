import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { NodeError } from "@/lib/engine/node-error";
import { type FakeSlack, startFakeSlack } from "@/test/support/fake-slack";
import { SLACK_METADATA_EVENT, slackMessageKind } from "./slack-message";
import { type TestContextOptions, testNodeContext } from "./test-context";

// The Slack kind through the real @slack/web-api client, against the fake
// Slack Web API on 127.0.0.1 (test/support/fake-slack.ts).

const CREDENTIAL = "7d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
let fake: FakeSlack;

beforeAll(async () => {
  fake = await startFakeSlack();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

type Config = Parameters<typeof slackMessageKind.execute>[0]["config"];
type Target = Config["target"];

function context(
  target: Target,
  options: TestContextOptions & { token?: string; text?: string } = {},
) {
  const { token, text, run, node, ...rest } = options;
  return testNodeContext<Config>(
    { credentialId: CREDENTIAL, target, text: text ?? "Please welcome Nico!" },
    {
      credentials: {
        [CREDENTIAL]: { kind: "slack", secret: { botToken: token ?? fake.token }, settings: {} },
      },
      providerUrls: { slack: fake.apiUrl },
      run: { id: "run_7", ...run },
      node: { id: "announce", ...node },
      ...rest,
    },
  );
}

const general: Target = { type: "channel", channel: "#general" };
const generalById: Target = { type: "channel", channel: "C0GENERAL" };
const newHire: Target = { type: "user", email: "New.Hire@acme.example" };

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

describe("slack_message: posting", () => {
  it("posts to a channel by name, tagged with the step's key", async () => {
    const output = await slackMessageKind.execute(context(general));

    expect(slackMessageKind.output.parse(output)).toEqual(output);
    expect(fake.messages()).toEqual([
      expect.objectContaining({
        channel: "C0GENERAL",
        ts: output.ts,
        text: "Please welcome Nico!",
        metadata: { event_type: SLACK_METADATA_EVENT, event_payload: { key: "run_7:announce" } },
      }),
    ]);
    expect(output.channel).toBe("C0GENERAL");
  });

  it("posts to a channel by id", async () => {
    const output = await slackMessageKind.execute(context(generalById));
    expect(output.channel).toBe("C0GENERAL");
    expect(fake.messages("C0GENERAL")).toHaveLength(1);
  });

  it("messages a person found by email as a direct message", async () => {
    const output = await slackMessageKind.execute(context(newHire));

    expect(output.channel).toBe("D0NEWHIRE");
    expect(fake.calls("users.lookupByEmail").map((call) => call.params.email)).toEqual([
      "New.Hire@acme.example",
    ]);
    expect(fake.messages("D0NEWHIRE")).toEqual([
      expect.objectContaining({ ts: output.ts, text: "Please welcome Nico!" }),
    ]);
  });

  it("a first attempt does not read the history", async () => {
    await slackMessageKind.execute(context(generalById));
    expect(fake.calls("conversations.history")).toEqual([]);
  });
});

describe("slack_message: exactly once across retries", () => {
  it("attempt 2 after a successful post returns that message and posts nothing", async () => {
    const first = await slackMessageKind.execute(context(generalById));
    const retry = await slackMessageKind.execute(context(generalById, { node: { attempt: 2 } }));

    expect(retry).toEqual(first);
    expect(fake.messages()).toHaveLength(1);
    expect(fake.calls("conversations.history")[0]?.params).toMatchObject({
      channel: "C0GENERAL",
      include_all_metadata: "true",
    });
  });

  it("a retried direct message finds the DM through conversations.open", async () => {
    const first = await slackMessageKind.execute(context(newHire));
    const retry = await slackMessageKind.execute(context(newHire, { node: { attempt: 3 } }));

    expect(retry).toEqual(first);
    expect(fake.messages()).toHaveLength(1);
    expect(fake.calls("conversations.open")).toHaveLength(1);
  });

  it("another step's or another run's message in the channel is not taken for ours", async () => {
    await slackMessageKind.execute(context(generalById, { node: { id: "other-node" } }));
    await slackMessageKind.execute(context(generalById, { run: { id: "run_8" } }));

    const retry = await slackMessageKind.execute(context(generalById, { node: { attempt: 2 } }));

    expect(fake.messages()).toHaveLength(3);
    expect(fake.messages().at(-1)?.ts).toBe(retry.ts);
  });

  it("an attempt that timed out while Slack still posted is found by the next attempt", async () => {
    fake.hangNext(400, { method: "chat.postMessage" });

    const timedOut = await failureOf(
      slackMessageKind.execute(context(generalById, { timeoutMs: 150 })),
    );
    expect(timedOut.retriable).toBe(true);
    expect(timedOut.message).toContain("timeout");
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(fake.messages()).toHaveLength(1);

    const retry = await slackMessageKind.execute(context(generalById, { node: { attempt: 2 } }));

    expect(retry.ts).toBe(fake.messages()[0]?.ts);
    expect(fake.messages()).toHaveLength(1);
  });

  it("a channel given by name is looked up in conversations.list before reading its history", async () => {
    const first = await slackMessageKind.execute(context(general));
    fake.failNext(
      200,
      { ok: true, channels: [{ id: "C0GENERAL", name: "general" }], response_metadata: {} },
      { method: "conversations.list" },
    );

    const retry = await slackMessageKind.execute(context(general, { node: { attempt: 2 } }));

    expect(retry).toEqual(first);
    expect(fake.messages()).toHaveLength(1);
  });

  it("when the channel list cannot be read, a retry to a named channel posts again (at-least-once)", async () => {
    // The fake has no conversations.list: it answers 404 unknown_method, as a
    // missing scope would refuse it on Slack.
    await slackMessageKind.execute(context(general));
    await slackMessageKind.execute(context(general, { node: { attempt: 2 } }));
    expect(fake.messages()).toHaveLength(2);
  });
});

describe("slack_message: failures", () => {
  it("Slack platform errors are permanent and name Slack's code", async () => {
    const unknownChannel = await failureOf(
      slackMessageKind.execute(context({ type: "channel", channel: "#no-such-channel" })),
    );
    const notMember = await failureOf(
      slackMessageKind.execute(context({ type: "channel", channel: "#random" })),
    );
    const unknownPerson = await failureOf(
      slackMessageKind.execute(context({ type: "user", email: "ghost@acme.example" })),
    );

    expect(unknownChannel.message).toBe("Slack rejected the message: channel_not_found");
    expect(notMember.message).toBe("Slack rejected the message: not_in_channel");
    expect(unknownPerson.message).toContain("users_not_found");
    for (const failure of [unknownChannel, notMember, unknownPerson])
      expect(failure.retriable).toBe(false);
  });

  it("a rate limit is retriable after Slack's Retry-After, without the client sleeping", async () => {
    fake.rateLimitNext(30);
    const started = Date.now();

    const failure = await failureOf(slackMessageKind.execute(context(general)));

    expect(Date.now() - started).toBeLessThan(5_000);
    expect(failure.retriable).toBe(true);
    expect(failure.retryAfterMs).toBe(30_000);
  });

  it("a rate limit without a usable Retry-After is still retriable", async () => {
    fake.failNext(429, undefined, { headers: { "retry-after": null } });
    const failure = await failureOf(slackMessageKind.execute(context(general)));
    expect(failure.retriable).toBe(true);
    expect(failure.retryAfterMs).toBeUndefined();
  });

  it("HTTP 5xx and platform trouble are retriable", async () => {
    fake.failNext(503);
    const http = await failureOf(slackMessageKind.execute(context(general)));
    fake.failNext(200, { ok: false, error: "internal_error" });
    const platform = await failureOf(slackMessageKind.execute(context(general)));

    expect(http).toMatchObject({ retriable: true });
    expect(http.message).toContain("HTTP 503");
    expect(platform).toMatchObject({ retriable: true });
    expect(fake.messages()).toEqual([]);
  });

  it("Slack unreachable is retriable", async () => {
    const failure = await failureOf(
      slackMessageKind.execute(
        context(general, { providerUrls: { slack: "http://127.0.0.1:1/api/" } }),
      ),
    );
    expect(failure.retriable).toBe(true);
    expect(failure.message).toContain("could not reach Slack");
  });

  it("a rate-limited history read on a retry is retriable, not a blind second post", async () => {
    await slackMessageKind.execute(context(generalById));
    fake.rateLimitNext(5, { method: "conversations.history" });

    const failure = await failureOf(
      slackMessageKind.execute(context(generalById, { node: { attempt: 2 } })),
    );

    expect(failure).toMatchObject({ retriable: true, retryAfterMs: 5_000 });
    expect(fake.messages()).toHaveLength(1);
  });

  it("no error names the bot token", async () => {
    const wrongToken = "xoxb-wrong-token-that-must-not-leak";
    const failures = [
      await failureOf(slackMessageKind.execute(context(general, { token: wrongToken }))),
      await failureOf(
        slackMessageKind.execute(
          context(general, { providerUrls: { slack: "http://127.0.0.1:1/api/" } }),
        ),
      ),
    ];
    fake.failNext(503, { ok: false, error: "service_unavailable", echo: fake.token });
    failures.push(await failureOf(slackMessageKind.execute(context(general))));

    expect(failures[0]?.message).toBe("Slack rejected the message: invalid_auth");
    expect(failures[0]?.retriable).toBe(false);
    for (const failure of failures) {
      expect(failure.message).not.toContain(wrongToken);
      expect(failure.message).not.toContain(fake.token);
    }
  });

  it("a rendered target that is not a channel or an address fails before any call", async () => {
    const channel = await failureOf(
      slackMessageKind.execute(context({ type: "channel", channel: "general channel!" })),
    );
    const email = await failureOf(
      slackMessageKind.execute(context({ type: "user", email: "nico" })),
    );
    expect(channel.retriable).toBe(false);
    expect(email.retriable).toBe(false);
    expect(fake.calls()).toEqual([]);
  });

  it("text over 4000 characters is refused by the config schema", () => {
    const result = slackMessageKind.config.safeParse({
      credentialId: CREDENTIAL,
      target: general,
      text: "x".repeat(4001),
    });
    expect(result.success).toBe(false);
  });

  it("the design-time check flags a literal target that can never work", () => {
    expect(
      slackMessageKind.check?.({
        ...slackMessageKind.defaultConfig,
        target: { type: "user", email: "nico" },
      }),
    ).toEqual([{ field: "target.email", message: "must be an email address" }]);
    expect(
      slackMessageKind.check?.({
        ...slackMessageKind.defaultConfig,
        target: { type: "channel", channel: "{{ employee.team }}" },
      }),
    ).toEqual([]);
  });
});

describe("slack_message: preview", () => {
  it("describes the message and calls Slack not at all", async () => {
    const channel = await slackMessageKind.preview!(context(general));
    const person = await slackMessageKind.preview!(context(newHire));

    expect(channel).toEqual({
      wouldSend: { channel: "#general", text: "Please welcome Nico!" },
      output: { channel: "test-run", ts: "0" },
    });
    expect(person.wouldSend).toEqual({
      email: "New.Hire@acme.example",
      text: "Please welcome Nico!",
    });
    expect(slackMessageKind.output.parse(person.output)).toEqual(person.output);
    expect(fake.calls()).toEqual([]);
  });
});
