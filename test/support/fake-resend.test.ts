import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Resend } from "resend";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type FakeResend, startFakeResend } from "./fake-resend";

// The fake Resend API driven by the real `resend` SDK. The SDK never throws for
// API errors: it resolves { data: null, error, headers }.

let fake: FakeResend;

beforeAll(async () => {
  fake = await startFakeResend();
});
afterAll(() => fake.close());
afterEach(() => fake.reset());

function client(apiKey = fake.apiKey) {
  return new Resend(apiKey, { baseUrl: fake.url });
}

const email = {
  from: "OfficeFlow <flows@acme.test>",
  to: "ada@acme.test",
  subject: "Welcome",
  text: "Welcome aboard",
};

describe("POST /emails", () => {
  it("accepts an email and records it", async () => {
    const { data, error } = await client().emails.send({ ...email, html: "<p>Welcome</p>" });

    expect(error).toBeNull();
    expect(fake.emails()).toEqual([
      expect.objectContaining({
        id: data?.id,
        to: ["ada@acme.test"],
        subject: "Welcome",
        html: "<p>Welcome</p>",
        text: "Welcome aboard",
      }),
    ]);
  });

  it("a repeated idempotency key returns the first id and sends once", async () => {
    const resend = client();
    const first = await resend.emails.send(email, { idempotencyKey: "run_1/welcome" });
    const retry = await resend.emails.send(email, { idempotencyKey: "run_1/welcome" });
    expect(retry.data?.id).toBe(first.data?.id);
    expect(fake.emails()).toHaveLength(1);

    const changed = await resend.emails.send(
      { ...email, subject: "Other" },
      { idempotencyKey: "run_1/welcome" },
    );
    expect(changed.error).toMatchObject({ statusCode: 409, name: "invalid_idempotent_request" });
  });

  it("answers a wrong key with 403 invalid_api_key and a missing field with 422", async () => {
    const wrong = await client("re_wrong").emails.send(email);
    expect(wrong.error).toMatchObject({ statusCode: 403, name: "invalid_api_key" });

    const noSubject = await client().emails.send({ ...email, subject: "" });
    expect(noSubject.error).toMatchObject({ statusCode: 422, name: "missing_required_field" });
    expect(fake.emails()).toEqual([]);
  });
});

describe("scripted failures", () => {
  it("failNext answers once with a Resend-style 500 by default", async () => {
    fake.failNext(500);
    const failed = await client().emails.send(email);
    expect(failed.error).toEqual({
      statusCode: 500,
      name: "internal_server_error",
      message: expect.any(String),
    });
    await expect(client().emails.send(email)).resolves.toMatchObject({ error: null });
  });

  it("failTimes fails the next n requests, then requests succeed", async () => {
    fake.failTimes(2, 503);
    const resend = client();
    const statuses: (number | null)[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const { error } = await resend.emails.send(email);
      statuses.push(error?.statusCode ?? 200);
    }
    expect(statuses).toEqual([503, 503, 200]);
    expect(fake.emails()).toHaveLength(1);
  });

  it("a 429 is rate_limit_exceeded with a Retry-After the SDK returns in headers", async () => {
    fake.failNext(429, undefined, { headers: { "Retry-After": "7" } });
    const { error, headers } = await client().emails.send(email);
    expect(error).toMatchObject({ statusCode: 429, name: "rate_limit_exceeded" });
    expect(headers?.["retry-after"]).toBe("7");

    fake.failNext(429);
    expect((await client().emails.send(email)).headers?.["retry-after"]).toBe("1");
  });

  it("hangNext delays the next request, which still sends after the client gave up", async () => {
    fake.hangNext(300);
    const aborted = await fetch(`${fake.url}/emails`, {
      method: "POST",
      headers: { authorization: `Bearer ${fake.apiKey}`, "content-type": "application/json" },
      body: JSON.stringify(email),
      signal: AbortSignal.timeout(50),
    }).catch((error: unknown) => error);
    expect(aborted).toMatchObject({ name: "TimeoutError" });
    expect(fake.emails()).toEqual([]);

    await expect.poll(() => fake.emails().length).toBe(1);
  });

  it("out-of-process callers script failures and hangs over /_test/*", async () => {
    await fetch(`${fake.url}/_test/fail`, {
      method: "POST",
      body: JSON.stringify({ status: 429, headers: { "retry-after": "3" }, times: 2 }),
    });
    const resend = client();
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await resend.emails.send(email)).headers?.["retry-after"]).toBe("3");
    }

    await fetch(`${fake.url}/_test/hang`, { method: "POST", body: JSON.stringify({ ms: 200 }) });
    const started = Date.now();
    await expect(resend.emails.send(email)).resolves.toMatchObject({ error: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);

    const listed = await (await fetch(`${fake.url}/_test/emails`)).json();
    expect(listed).toHaveLength(1);
    await fetch(`${fake.url}/_test/emails`, { method: "DELETE" });
    expect(fake.emails()).toEqual([]);
  });
});

describe("standalone", () => {
  let child: ChildProcess | undefined;
  afterEach(() => {
    child?.kill("SIGTERM");
  });

  it("`tsx test/support/fake-resend.ts` serves until SIGTERM", async () => {
    const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
    const spawned = spawn(
      path.join(root, "node_modules/.bin/tsx"),
      [path.join(root, "test/support/fake-resend.ts")],
      { env: { ...process.env, FAKE_RESEND_PORT: "0", FAKE_RESEND_API_KEY: "re_standalone" } },
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

    const { error } = await new Resend("re_standalone", { baseUrl: url }).emails.send(email);
    expect(error).toBeNull();
    expect(await (await fetch(`${url}/_test/emails`)).json()).toHaveLength(1);

    const exited = new Promise<number | null>((resolve) => spawned.once("exit", resolve));
    spawned.kill("SIGTERM");
    expect(await exited).toBe(0);
    child = undefined;
  });
});
