import http from "node:http";
import type { AddressInfo } from "node:net";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningExecutor, startExecutor } from "./index";

// Cloud mode: the SDK verifies every call's X-Inngest-Signature (HMAC over the
// canonical JSON body) and refuses unsigned or wrongly signed calls.

const SIGNING_KEY = "signkey-test-0123456789abcdef0123456789abcdef";
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

async function setUp(executorKey: string, schema: string) {
  const executor: RunningExecutor = await startExecutor({
    databaseUrl: process.env.DATABASE_URL as string,
    schema,
    backoff: "fast",
    signingKey: executorKey,
    log: () => undefined,
  });
  closers.push(() => executor.stop());
  const inngest = new Inngest({
    id: "signed-app",
    isDev: false,
    signingKey: SIGNING_KEY,
    eventKey: "local-event-key",
    baseUrl: executor.url,
  });
  const fn = inngest.createFunction(
    { id: "hello", triggers: [{ event: "t/hello" }] },
    async ({ step, event }) => {
      const greeting = await step.run("greet", () => `hello ${event.data.name}`);
      return { greeting };
    },
  );
  const server = http.createServer(serve({ client: inngest, functions: [fn] }));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const appUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/inngest`;
  return { executor, inngest, appUrl };
}

async function finalRun(executorUrl: string, eventId: string) {
  for (let i = 0; i < 150; i++) {
    const { data } = (await (await fetch(`${executorUrl}/v1/events/${eventId}/runs`)).json()) as {
      data: { status: string; output: unknown; error: unknown }[];
    };
    if (data[0] && data[0].status !== "Running") return data[0];
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("run did not finish");
}

describe("request signing (cloud mode)", () => {
  it("a cloud-mode app syncs and runs when the executor signs with its key", async () => {
    const { executor, inngest, appUrl } = await setUp(SIGNING_KEY, "signing_ok");
    expect((await executor.syncApp(appUrl)).functions).toEqual(["signed-app-hello"]);
    const { ids } = await inngest.send({ name: "t/hello", data: { name: "Dana" } });
    const run = await finalRun(executor.url, ids[0] as string);
    expect(run).toMatchObject({ status: "Completed", output: { greeting: "hello Dana" } });
  });

  it("the app refuses sync and calls signed with the wrong key", async () => {
    const { executor, appUrl } = await setUp(
      "signkey-test-ffffffffffffffffffffffffffffffff",
      "signing_bad",
    );
    await expect(executor.syncApp(appUrl)).rejects.toThrow(/in-band sync .* failed: HTTP 401/);
  });
});
