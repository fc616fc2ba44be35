import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { NodeError } from "@/lib/engine/node-error";
import { type FakeResend, startFakeResend } from "@/test/support/fake-resend";
import { emailKind, textToHtml } from "./email";
import { type TestContextOptions, testNodeContext } from "./test-context";

// The email kind through lib/mail and the real Resend SDK, against the fake
// Resend API on 127.0.0.1 (test/support/fake-resend.ts).

const ORG_CREDENTIAL = "5b0c4a8e-9d7f-4c1e-8a2b-3f6d7e8c9a01";
const PLATFORM_KEY = "re_platform_key_the_fake_refuses";
let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(() => fake.close());
beforeEach(() => {
  vi.stubEnv("RESEND_BASE_URL", fake.url);
  vi.stubEnv("RESEND_API_KEY", fake.apiKey);
  vi.stubEnv("EMAIL_FROM", "OfficeFlow <no-reply@officeflow.test>");
  vi.stubEnv("OFFICEFLOW_DEV_MAILBOX", undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  fake.reset();
});

type Config = Parameters<typeof emailKind.execute>[0]["config"];

function context(config: Partial<Config>, options: TestContextOptions = {}) {
  return testNodeContext<Config>(
    {
      to: "new.hire@acme.example",
      subject: "Welcome, Nico!",
      body: "Hi Nico,\n\nWelcome aboard.",
      ...config,
    },
    {
      credentials: {
        [ORG_CREDENTIAL]: { kind: "resend", secret: { apiKey: fake.apiKey }, settings: {} },
      },
      ...options,
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

describe("email: sending", () => {
  it("sends through the platform mailer with the step's idempotency key", async () => {
    const output = await emailKind.execute(
      context(
        { to: "new.hire@acme.example, Manager@acme.example", cc: "it@acme.example" },
        { run: { id: "run_42" }, node: { id: "welcome" } },
      ),
    );

    expect(output.to).toEqual(["new.hire@acme.example", "Manager@acme.example"]);
    expect(emailKind.output.parse(output)).toEqual(output);
    expect(fake.emails()).toEqual([
      expect.objectContaining({
        id: output.messageId,
        from: "OfficeFlow <no-reply@officeflow.test>",
        to: ["new.hire@acme.example", "Manager@acme.example"],
        subject: "Welcome, Nico!",
        text: "Hi Nico,\n\nWelcome aboard.",
        html: "<p>Hi Nico,</p>\n<p>Welcome aboard.</p>",
        idempotencyKey: "run_42:welcome",
      }),
    ]);
  });

  it("sends through the organisation's Resend credential, with its from address", async () => {
    vi.stubEnv("RESEND_API_KEY", PLATFORM_KEY);

    const output = await emailKind.execute(
      context({ credentialId: ORG_CREDENTIAL, from: "Acme People <people@acme.example>" }),
    );

    expect(fake.emails()).toEqual([
      expect.objectContaining({ id: output.messageId, from: "Acme People <people@acme.example>" }),
    ]);
  });

  it("a retried step sends one email: the same key returns the first message id", async () => {
    const first = await emailKind.execute(context({}, { node: { attempt: 1 } }));
    const retry = await emailKind.execute(context({}, { node: { attempt: 2 } }));

    expect(retry.messageId).toBe(first.messageId);
    expect(fake.emails()).toHaveLength(1);
  });

  it("loop items (same node, their own step keys) are different emails", async () => {
    await emailKind.execute(
      context(
        { to: "a@acme.example" },
        { node: { key: "node_1:item-0" }, scope: { item: "a", index: 0 } },
      ),
    );
    await emailKind.execute(
      context(
        { to: "b@acme.example" },
        { node: { key: "node_1:item-1" }, scope: { item: "b", index: 1 } },
      ),
    );

    expect(fake.emails().map((email) => [email.to, email.idempotencyKey])).toEqual([
      [["a@acme.example"], "run_test_1:node_1:item-0"],
      [["b@acme.example"], "run_test_1:node_1:item-1"],
    ]);
  });

  it("a subject with line breaks from a template becomes one line", async () => {
    await emailKind.execute(context({ subject: "Welcome\r\n  Nico" }));
    expect(fake.emails()[0]?.subject).toBe("Welcome Nico");
  });
});

describe("email: failures", () => {
  it("a rate limit is retriable after Resend's Retry-After", async () => {
    fake.failNext(429, undefined, { headers: { "retry-after": "12" } });

    const failure = await failureOf(emailKind.execute(context({})));

    expect(failure.retriable).toBe(true);
    expect(failure.retryAfterMs).toBe(12_000);
    expect(failure.message).toContain("rate_limit_exceeded");
  });

  it("a Resend 5xx is retriable", async () => {
    fake.failNext(503);
    const failure = await failureOf(emailKind.execute(context({})));
    expect(failure.retriable).toBe(true);
    expect(failure.message).toContain("HTTP 503");
  });

  it("Resend unreachable is retriable", async () => {
    vi.stubEnv("RESEND_BASE_URL", "http://127.0.0.1:1");
    const failure = await failureOf(emailKind.execute(context({})));
    expect(failure.retriable).toBe(true);
  });

  it("a validation error is permanent and carries Resend's message", async () => {
    fake.failNext(422, {
      statusCode: 422,
      name: "validation_error",
      message: "The acme.example domain is not verified.",
    });

    const failure = await failureOf(emailKind.execute(context({})));

    expect(failure.retriable).toBe(false);
    expect(failure.message).toContain("validation_error");
    expect(failure.message).toContain("The acme.example domain is not verified.");
  });

  it("a spent quota is permanent", async () => {
    fake.failNext(429, {
      statusCode: 429,
      name: "daily_quota_exceeded",
      message: "You have reached your daily email sending quota.",
    });
    const failure = await failureOf(emailKind.execute(context({})));
    expect(failure.retriable).toBe(false);
  });

  it("a refused organisation key is permanent, and no error names the key", async () => {
    const orgKey = "re_org_key_that_must_never_be_shown";
    const options = {
      credentials: {
        [ORG_CREDENTIAL]: { kind: "resend", secret: { apiKey: orgKey }, settings: {} },
      },
    };

    const refused = await failureOf(
      emailKind.execute(context({ credentialId: ORG_CREDENTIAL }, options)),
    );
    fake.failNext(400, {
      statusCode: 400,
      name: "validation_error",
      message: `API key ${orgKey} cannot send from this domain`,
    });
    const echoed = await failureOf(
      emailKind.execute(context({ credentialId: ORG_CREDENTIAL }, options)),
    );

    expect(refused.retriable).toBe(false);
    expect(refused.message).toContain("invalid_api_key");
    expect(echoed.retriable).toBe(false);
    for (const failure of [refused, echoed]) expect(failure.message).not.toContain(orgKey);
    expect(fake.emails()).toEqual([]);
  });

  it("rendered addresses that are not addresses fail permanently before anything is sent", async () => {
    const bad = await failureOf(
      emailKind.execute(context({ to: "new.hire@acme.example, nobody" })),
    );
    const empty = await failureOf(emailKind.execute(context({ to: " , " })));
    const tooMany = await failureOf(
      emailKind.execute(
        context({ to: Array.from({ length: 51 }, (_, i) => `p${i}@acme.example`).join(",") }),
      ),
    );
    const replyTo = await failureOf(emailKind.execute(context({ replyTo: "hr at acme" })));

    expect(bad.message).toBe('to: "nobody" is not an email address');
    expect(empty.message).toBe("to: the recipients rendered empty");
    expect(tooMany.message).toBe("to: 51 addresses; an email may have at most 50");
    expect(replyTo.message).toContain("replyTo");
    for (const failure of [bad, empty, tooMany, replyTo]) expect(failure.retriable).toBe(false);
    expect(fake.emails()).toEqual([]);
  });

  it("a from address without a credential is refused at design time and at run time", async () => {
    expect(emailKind.check?.({ ...emailKind.defaultConfig, from: "ceo@acme.example" })).toEqual([
      expect.objectContaining({ field: "from" }),
    ]);
    const failure = await failureOf(emailKind.execute(context({ from: "ceo@acme.example" })));
    expect(failure.retriable).toBe(false);
    expect(fake.emails()).toEqual([]);
  });

  it("design-time check flags literal addresses but leaves templates to run time", () => {
    expect(
      emailKind.check?.({
        ...emailKind.defaultConfig,
        to: "{{ employee.email }}, not-an-address",
        cc: "also wrong",
      }),
    ).toEqual([{ field: "cc", message: '"also wrong" is not an email address' }]);
  });
});

describe("email: preview", () => {
  it("describes the email and sends nothing", async () => {
    const requests = vi.spyOn(globalThis, "fetch");

    const preview = await emailKind.preview!(
      context({ to: "new.hire@acme.example", cc: "it@acme.example", credentialId: ORG_CREDENTIAL }),
    );

    expect(preview).toEqual({
      wouldSend: {
        to: ["new.hire@acme.example"],
        cc: ["it@acme.example"],
        subject: "Welcome, Nico!",
        text: "Hi Nico,\n\nWelcome aboard.",
      },
      output: { messageId: "test-run", to: ["new.hire@acme.example"] },
    });
    expect(emailKind.output.parse(preview.output)).toEqual(preview.output);
    expect(requests).not.toHaveBeenCalled();
    expect(fake.emails()).toEqual([]);
  });

  it("reports bad addresses in a test run too", async () => {
    const failure = await failureOf(emailKind.preview!(context({ to: "nobody" })));
    expect(failure.retriable).toBe(false);
  });
});

describe("textToHtml", () => {
  it("escapes markup and keeps paragraphs and line breaks", () => {
    expect(textToHtml("Hi <b>Nico</b> & co,\r\nline two\n\n\n  Second 'para'\n")).toBe(
      "<p>Hi &lt;b&gt;Nico&lt;/b&gt; &amp; co,<br>\nline two</p>\n<p>Second &#39;para&#39;</p>",
    );
  });
});
