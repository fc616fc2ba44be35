import http from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningExecutor, startExecutor } from "./index";

// Bad input never crashes the executor or touches other runs: malformed
// events get a 400 naming the problem, bad function configs are refused at
// sync, and an op from a newer SDK fails only its own run, with the reason.

let executor: RunningExecutor;
let fakeApp: http.Server;
let fakeAppUrl: string;

/** Speaks just enough of the SDK protocol to sync one function and answer calls with an op we do not know. */
function fakeSdk(req: http.IncomingMessage, res: http.ServerResponse) {
  const sdkHeaders = {
    "content-type": "application/json",
    "x-inngest-sdk": "inngest-js:v9.0.0",
    "x-inngest-req-version": "2",
  };
  if (req.method === "PUT") {
    res.writeHead(200, { ...sdkHeaders, "x-inngest-sync-kind": "in_band" });
    res.end(
      JSON.stringify({
        app_id: "future-app",
        url: fakeAppUrl,
        functions: [
          {
            id: "future-app-teleport",
            name: "teleport",
            triggers: [{ event: "t/teleport" }],
            steps: {
              step: {
                id: "step",
                name: "step",
                runtime: {
                  type: "http",
                  url: `${fakeAppUrl}?fnId=future-app-teleport&stepId=step`,
                },
              },
            },
          },
        ],
      }),
    );
    return;
  }
  res.writeHead(206, sdkHeaders);
  res.end(JSON.stringify([{ op: "Teleport", id: "abc123", name: "beam-me-up", opts: {} }]));
}

async function post(path: string, body: string, contentType = "application/json") {
  const response = await fetch(`${executor.url}${path}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  executor = await startExecutor({
    databaseUrl: process.env.DATABASE_URL as string,
    backoff: "fast",
    log: () => undefined,
  });
  fakeApp = http.createServer(fakeSdk);
  await new Promise<void>((resolve) => fakeApp.listen(0, "127.0.0.1", () => resolve()));
  fakeAppUrl = `http://127.0.0.1:${(fakeApp.address() as AddressInfo).port}/api/inngest`;
});

afterAll(async () => {
  await executor.stop();
  await new Promise((resolve) => fakeApp.close(resolve));
});

describe("malformed events", () => {
  it.each([
    ["not JSON", "{nope", /malformed JSON/],
    [
      "an event without a name",
      JSON.stringify([{ data: {} }]),
      /event 0: "name" must be a non-empty string/,
    ],
    [
      "data that is not an object",
      JSON.stringify([{ name: "t/x", data: [1, 2] }]),
      /event 0 \(t\/x\): "data" must be an object/,
    ],
    ["an empty id", JSON.stringify([{ name: "t/x", id: "" }]), /"id" must be a non-empty string/],
    [
      "a string timestamp",
      JSON.stringify([{ name: "t/x", ts: "yesterday" }]),
      /"ts" must be a number/,
    ],
  ])("%s gets a 400 in the SDK's response shape", async (_, body, message) => {
    const response = await post("/e/key", body);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ ids: [], status: 400 });
    expect(String(response.body.error)).toMatch(message);
  });

  it("a batch with one bad event stores none of it", async () => {
    const stored = async () => {
      const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await client.connect();
      const { rows } = await client.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM inngest_local.events WHERE name = 't/batch'`,
      );
      await client.end();
      return rows[0]?.n;
    };
    const response = await post("/e/key", JSON.stringify([{ name: "t/batch" }, { name: "" }]));
    expect(response.status).toBe(400);
    expect(await stored()).toBe(0);
    await post("/e/key", JSON.stringify([{ name: "t/batch" }]));
    expect(await stored()).toBe(1);
    const good = await post("/e/key", JSON.stringify([{ name: "t/ok" }]));
    expect(good).toMatchObject({ status: 200, body: { status: 200 } });
    expect((good.body.ids as string[]).length).toBe(1);
  });
});

describe("bad sync requests", () => {
  it("a register body without a URL is a 400 naming the field", async () => {
    const response = await post("/fn/register", JSON.stringify({ appName: "x", functions: [] }));
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(/"url" must be the app's serve URL/);
  });

  it("a function with invalid CEL is refused with the function and field named", async () => {
    const response = await post(
      "/fn/register",
      JSON.stringify({
        url: "http://127.0.0.1:9/api/inngest",
        appName: "bad-app",
        functions: [
          {
            id: "bad-app-fn",
            triggers: [{ event: "t/x", expression: "event.data.plan = 'pro'" }],
            steps: { step: { runtime: { type: "http", url: "http://127.0.0.1:9/api/inngest" } } },
          },
        ],
      }),
    );
    expect(response.status).toBe(400);
    expect(response.body.error).toMatch(
      /function bad-app-fn: invalid expression in triggers\[0\]\.expression/,
    );
  });

  it("asking for an unknown run is a 404", async () => {
    const response = await fetch(`${executor.url}/v1/runs/01NOPE`);
    expect(response.status).toBe(404);
  });
});

describe("an op from a newer SDK", () => {
  it("fails that run with the reason and leaves the executor working", async () => {
    await expect(executor.syncApp(fakeAppUrl)).resolves.toMatchObject({
      functions: ["future-app-teleport"],
    });
    const sent = await post("/e/key", JSON.stringify([{ name: "t/teleport" }]));
    const eventId = (sent.body.ids as string[])[0];
    let run: { status: string; error: { message?: string } | null } | undefined;
    for (let i = 0; i < 100 && run?.status !== "Failed"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      const runs = (await (await fetch(`${executor.url}/v1/events/${eventId}/runs`)).json()) as {
        data: (typeof run)[];
      };
      run = runs.data[0];
    }
    expect(run?.status).toBe("Failed");
    expect(run?.error?.message).toMatch(/does not support the Teleport op/);
    expect((await fetch(`${executor.url}/health`)).status).toBe(200);
  });
});
