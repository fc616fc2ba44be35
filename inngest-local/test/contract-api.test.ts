import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AppServer, startAppServer } from "./fixtures/app-server";
import { type ContractClient, createContractClient } from "./fixtures/functions";
import {
  createAppWithUnsupportedConfig,
  createPingFunction,
  UNSUPPORTED_CONFIG,
  type UnsupportedFeature,
} from "./fixtures/functions-events";
import {
  type ContractEnvironment,
  EXECUTION_MODES,
  freshKey,
  sendOne,
  startContractEnvironment,
} from "./support/contract-env";
import { getRun, postRawEvents, waitForEndedRun } from "./support/executor-api";

// The executor's HTTP surface: health, the read API, the event API's input
// validation, both ways of syncing an app, and refusing flow control it does
// not implement.
describe.each(EXECUTION_MODES)("executor API contract (checkpointing: $checkpointing)", (mode) => {
  let env: ContractEnvironment;
  const extraApps: AppServer[] = [];

  beforeAll(async () => {
    env = await startContractEnvironment(mode, (client, effects) => [
      createPingFunction(client, effects),
    ]);
  });

  afterAll(async () => {
    await env?.stop();
    await Promise.all(extraApps.map((app) => app.close()));
  });

  /** Pings the environment's own app and waits for the run to complete. */
  async function expectPingCompletes(client: ContractClient = env.client) {
    const key = freshKey("ping");
    const eventId = await sendOne(client, { name: `${client.id}/ping`, data: { key } });
    const run = await waitForEndedRun(env.executor, eventId, `${client.id}-ping`);
    expect(run).toMatchObject({ status: "Completed", output: { pong: key } });
    expect(env.effects.count(`${client.id}:pong`, key)).toBe(1);
  }

  it("answers GET /health with 200", async () => {
    const res = await fetch(`${env.executor.url}/health`);
    expect(res.status).toBe(200);
  });

  it("answers 404 for a run id it does not know", async () => {
    expect(await getRun(env.executor, "01JUNKNOWNRUNID0000000000")).toBeUndefined();
  });

  it("rejects a malformed event body with 400 and keeps accepting events", async () => {
    for (const body of ["{not json", '[{"data":{}}]']) {
      const res = await postRawEvents(env.executor, body);
      expect(res.status, body).toBe(400);
      const answer = (await res.json()) as { ids: unknown; status: unknown; error: unknown };
      expect(answer).toMatchObject({ ids: [], status: 400 });
      expect(typeof answer.error, body).toBe("string");
      expect(String(answer.error)).not.toBe("");
    }
    await expectPingCompletes();
  });

  it("registers an app synced out-of-band, when its serve URL is PUT and the SDK calls /fn/register", async () => {
    const client = createContractClient(env.executor.url, `contract-oob-${mode.checkpointing}`);
    const app = await startAppServer({
      client,
      functions: [createPingFunction(client, env.effects)],
    });
    extraApps.push(app);

    const res = await fetch(app.url, { method: "PUT" });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ message: "Successfully registered" });
    await expectPingCompletes(client);
  });

  it("syncs an app in-band through POST /local/sync and reports its functions", async () => {
    const client = createContractClient(env.executor.url, `contract-inband-${mode.checkpointing}`);
    const app = await startAppServer({
      client,
      functions: [createPingFunction(client, env.effects)],
    });
    extraApps.push(app);

    const res = await fetch(`${env.executor.url}/local/sync`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ url: app.url }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ appId: client.id, functions: [`${client.id}-ping`] });
    await expectPingCompletes(client);
  });

  it.each(Object.keys(UNSUPPORTED_CONFIG) as UnsupportedFeature[])(
    "refuses to sync a function using %s, naming the function and the feature",
    async (feature) => {
      const { functions, inngest } = createAppWithUnsupportedConfig(env.executor.url, feature);
      const app = await startAppServer({ client: inngest, functions });
      extraApps.push(app);

      const error = await env.executor.syncApp(app.url).then(
        () => undefined,
        (e: unknown) => e as Error,
      );
      expect(error, "syncApp should reject").toBeInstanceOf(Error);
      expect(error!.message).toContain("rejected-fn");
      expect(error!.message).toContain(feature);

      const res = await fetch(`${env.executor.url}/local/sync`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ url: app.url }),
      });
      expect(res.status).toBeGreaterThanOrEqual(400);
      const text = await res.text();
      expect(text).toContain("rejected-fn");
      expect(text).toContain(feature);

      await expectPingCompletes();
    },
  );
});
