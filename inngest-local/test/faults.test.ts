import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, inject, it } from "vitest";
import { createDatabase } from "../../test/support/postgres-server";
import { FOUR_STEP_NAMES } from "./fixtures/fault-functions";
import { CONTRACT_APP_ID, createContractClient } from "./fixtures/functions";
import { readSideEffects } from "./fixtures/side-effects";
import { EXECUTION_MODES, freshKey, sendOne } from "./support/contract-env";
import {
  describeRuns,
  type ExecutorRef,
  eventually,
  getSteps,
  runsForEvent,
  sleep,
  stepHash,
  waitForEndedRun,
  waitForRun,
} from "./support/executor-api";
import {
  findFreePort,
  startAppProcess,
  startExecutorProcess,
  syncOverHttp,
  type TsxProcess,
} from "./support/processes";

// Crashes of real processes: the executor CLI and the app each run under tsx
// in their own process group and are SIGKILLed mid-run. Side effects go to a
// file so they survive the app's death. Every test gets a fresh database.

const fnId = (id: string) => `${CONTRACT_APP_ID}-${id}`;

let processes: TsxProcess[] = [];
let counterFile: string;
let databaseUrl: string;

function track<T extends TsxProcess>(child: T): T {
  processes.push(child);
  return child;
}

function effects(kind: string, key: string) {
  return readSideEffects(counterFile).filter((e) => e.kind === kind && e.key === key);
}

/** What a failure message should show: effects, the event's runs with steps, process output. */
async function evidence(executor: ExecutorRef, eventId: string) {
  return {
    effects: readSideEffects(counterFile),
    runs: await describeRuns(executor, eventId).catch((error: unknown) => String(error)),
    processes: processes.map((p) => ({ label: p.label, alive: p.isAlive, output: p.log() })),
  };
}

/** Distinct runs over several event ids (the ids the executor returned for one user id). */
async function distinctRuns(executor: ExecutorRef, eventIds: string[]) {
  const runs = (await Promise.all(eventIds.map((id) => runsForEvent(executor, id)))).flat();
  return [...new Map(runs.map((run) => [run.run_id, run])).values()];
}

beforeEach(async () => {
  const name = `${inject("pgDatabasePrefix")}_fault_${randomBytes(4).toString("hex")}`;
  databaseUrl = await createDatabase(inject("pgServerUrl"), name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "inngest-local-faults-"));
  counterFile = path.join(dir, "effects.jsonl");
});

afterEach(async () => {
  const running = processes.reverse();
  processes = [];
  for (const child of running) await child.stop();
  fs.rmSync(path.dirname(counterFile), { recursive: true, force: true });
});

/** An app process and an executor CLI on fresh ports, the app synced through POST /local/sync. */
async function startPair(checkpointing: boolean) {
  const executorPort = await findFreePort();
  const executorUrl = `http://127.0.0.1:${executorPort}`;
  const app = track(
    await startAppProcess({ port: await findFreePort(), executorUrl, counterFile }),
  );
  const executor = track(
    await startExecutorProcess({ databaseUrl, port: executorPort, checkpointing }),
  );
  await syncOverHttp(executor, app.url);
  return { app, executor, sender: createContractClient(executorUrl, "fault-sender") };
}

describe.each(EXECUTION_MODES)(
  "executor fault tolerance (checkpointing: $checkpointing)",
  (mode) => {
    it("completes a run after a kill -9 of the executor, without re-running steps it had recorded", async () => {
      const { executor, sender } = await startPair(mode.checkpointing);
      const key = freshKey("four");
      const eventId = await sendOne(sender, { name: "fault/four-steps", data: { key } });

      await eventually(
        "step s2 to start",
        async () => (effects("four-steps:start", key).length >= 2 ? true : undefined),
        20_000,
        () => evidence(executor, eventId),
      );
      const running = await waitForRun(executor, eventId, () => true);
      const recorded = (await getSteps(executor, running.run_id))
        .filter((s) => s.status === "completed")
        .map((s) => FOUR_STEP_NAMES.find((name) => stepHash(name) === s.id));
      await executor.kill("SIGKILL");
      // s1 finished before s2 started; an executor that acknowledged it
      // without persisting it would lose it in a crash.
      expect(recorded, "steps the executor reported completed before the kill").toContain("s1");

      // No re-sync: the restarted executor must find the app and the run in Postgres.
      const restarted = track(
        await startExecutorProcess({
          databaseUrl,
          port: Number(new URL(executor.url).port),
          checkpointing: mode.checkpointing,
          label: "executor-restarted",
        }),
      );
      const run = await waitForEndedRun(restarted, eventId, fnId("four-steps"), 90_000);

      expect(run).toMatchObject({ status: "Completed", output: { results: [1, 2, 3, 4] } });
      const done = effects("four-steps:done", key).map((e) => (e.detail as { step: string }).step);
      const started = effects("four-steps:start", key).map(
        (e) => (e.detail as { step: string }).step,
      );
      for (const name of FOUR_STEP_NAMES) expect(done, name).toContain(name);
      for (const name of recorded) {
        expect(
          started.filter((s) => s === name),
          `${name} started`,
        ).toHaveLength(1);
        expect(
          done.filter((s) => s === name),
          `${name} finished`,
        ).toHaveLength(1);
      }
    }, 150_000);

    it("retries a step interrupted by a kill -9 of the app on a replacement app at the same URL", async () => {
      const { app, executor, sender } = await startPair(mode.checkpointing);
      const key = freshKey("slow");
      const eventId = await sendOne(sender, { name: "fault/slow-step", data: { key } });

      await eventually(
        "the slow step to start",
        async () => (effects("slow-step:start", key).length >= 1 ? true : undefined),
        20_000,
        () => evidence(executor, eventId),
      );
      await app.kill("SIGKILL");
      expect(effects("slow-step:done", key)).toHaveLength(0);
      track(
        await startAppProcess({
          port: Number(new URL(app.url).port),
          executorUrl: executor.url,
          counterFile,
          label: "app-replacement",
        }),
      );

      const run = await waitForEndedRun(executor, eventId, fnId("slow-step"), 90_000);
      expect(run).toMatchObject({ status: "Completed", output: { slow: "slow done" } });
      const starts = effects("slow-step:start", key);
      const done = effects("slow-step:done", key);
      expect(starts.length).toBeGreaterThanOrEqual(2);
      expect(done).toHaveLength(1);
      // The body that finished ran in the replacement process, not the killed one.
      expect(done[0]!.detail).not.toEqual(starts[0]!.detail);
    }, 150_000);
  },
);

describe("executor processes", () => {
  it("starts exactly one run per event id sent to two executor processes sharing a database", async () => {
    const { executor: first } = await startPair(true);
    const second = track(
      await startExecutorProcess({
        databaseUrl,
        port: await findFreePort(),
        checkpointing: true,
        label: "executor-2",
      }),
    );
    const senders = [first, second].map((e) => createContractClient(e.url, "fault-sender"));

    const keys = Array.from({ length: 5 }, () => freshKey("once"));
    const sent = await Promise.all(
      keys.flatMap((key) =>
        senders.map(async (sender) => ({
          key,
          eventId: await sendOne(sender, { id: `once-${key}`, name: "fault/once", data: { key } }),
        })),
      ),
    );
    const idsOf = (key: string) => sent.filter((s) => s.key === key).map((s) => s.eventId);

    for (const key of keys) {
      await eventually(
        `a completed run for event id once-${key}`,
        async () =>
          (await distinctRuns(first, idsOf(key))).some((r) => r.status === "Completed")
            ? true
            : undefined,
        30_000,
        () => Promise.all(idsOf(key).map((id) => evidence(first, id))),
      );
    }
    await sleep(1000);
    for (const key of keys) {
      const runs = (await distinctRuns(first, idsOf(key))).map((r) => ({
        run_id: r.run_id,
        event_id: r.event_id,
        status: r.status,
      }));
      expect(runs, `runs for event id once-${key}: ${JSON.stringify(runs)}`).toHaveLength(1);
      expect(effects("once:effect", key), `effects for once-${key}`).toHaveLength(1);
    }
  }, 120_000);

  it("has synced INNGEST_LOCAL_APP_URL by the time it prints that it is listening", async () => {
    const executorPort = await findFreePort();
    const executorUrl = `http://127.0.0.1:${executorPort}`;
    const app = track(
      await startAppProcess({ port: await findFreePort(), executorUrl, counterFile }),
    );
    const executor = track(
      await startExecutorProcess({
        databaseUrl,
        port: executorPort,
        checkpointing: true,
        appUrl: app.url,
      }),
    );
    // Sent the moment the ready line appears: a client has nothing else to go by.
    const key = freshKey("ready");
    const eventId = await sendOne(createContractClient(executorUrl, "fault-sender"), {
      name: "fault/once",
      data: { key },
    });

    const run = await waitForEndedRun(executor, eventId, fnId("once"), 20_000);
    expect(run.status).toBe("Completed");
    expect(effects("once:effect", key)).toHaveLength(1);
  }, 60_000);

  it("exits with code 0 on SIGTERM", async () => {
    const executor = track(
      await startExecutorProcess({ databaseUrl, port: await findFreePort(), checkpointing: true }),
    );
    expect(await executor.stop()).toBe(0);
  }, 30_000);
});
