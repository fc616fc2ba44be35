import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEventFunctions } from "./fixtures/functions-events";
import {
  type ContractEnvironment,
  EXECUTION_MODES,
  freshKey,
  sendOne,
  startContractEnvironment,
} from "./support/contract-env";
import {
  getRun,
  getSteps,
  runsForEvent,
  sleep,
  stepNamed,
  waitForEndedRun,
  waitForRun,
  waitForStep,
} from "./support/executor-api";

// Event-level semantics: waits, sending, cancellation, idempotency, event-id
// de-duplication, concurrency keys and trigger expressions.
describe.each(EXECUTION_MODES)(
  "executor event contract (checkpointing: $checkpointing)",
  (mode) => {
    let env: ContractEnvironment;

    beforeAll(async () => {
      env = await startContractEnvironment(mode, (client, effects) =>
        Object.values(createEventFunctions(client, effects)),
      );
    });

    afterAll(async () => {
      await env?.stop();
    });

    /** Runs of all `eventIds`, de-duplicated by run id. */
    async function distinctRuns(eventIds: string[]) {
      const runs = (await Promise.all(eventIds.map((id) => runsForEvent(env.executor, id)))).flat();
      return [...new Map(runs.map((run) => [run.run_id, run])).values()];
    }

    /**
     * A later event's run has ended, so the executor has handled the earlier
     * ones too; the short pause covers an executor that creates runs
     * asynchronously from a queue.
     */
    async function fence(eventName: string, data: Record<string, unknown>, fnId: string) {
      const eventId = await sendOne(env.client, { name: eventName, data });
      await waitForEndedRun(env.executor, eventId, env.fnId(fnId));
      await sleep(500);
    }

    it("ignores a non-matching event and returns the whole matching event from waitForEvent", async () => {
      const key = freshKey("wait-match");
      const eventId = await sendOne(env.client, { name: "contract/wait-match", data: { key } });
      const running = await waitForRun(env.executor, eventId, () => true);
      await waitForStep(env.executor, running.run_id, "approval", (s) => s.status === "waiting");

      await sendOne(env.client, {
        name: "contract/approval",
        data: { key: `${key}-other`, ok: 1 },
      });
      await sleep(750);
      expect((await getRun(env.executor, running.run_id))!.status).toBe("Running");
      expect(env.effects.count("wait-match:resumed", key)).toBe(0);

      const approvalId = await sendOne(env.client, {
        name: "contract/approval",
        data: { key, ok: 2 },
      });
      const run = await waitForEndedRun(env.executor, eventId, env.fnId("wait-match"));
      expect(run.status).toBe("Completed");
      expect(run.output).toMatchObject({
        approval: { name: "contract/approval", id: approvalId, data: { key, ok: 2 } },
      });
      const approval = stepNamed(await getSteps(env.executor, run.run_id), "approval");
      expect(approval).toMatchObject({ status: "completed", output: { id: approvalId } });
    });

    it("returns null from waitForEvent with `if` when nothing arrives before the timeout", async () => {
      const key = freshKey("wait-timeout");
      const eventId = await sendOne(env.client, { name: "contract/wait-timeout", data: { key } });
      const run = await waitForEndedRun(env.executor, eventId, env.fnId("wait-timeout"));

      expect(run.status).toBe("Completed");
      expect(run.output).toEqual({ never: null });
      expect(Date.parse(run.ended_at!) - Date.parse(run.run_started_at)).toBeGreaterThanOrEqual(
        1000,
      );
      const never = stepNamed(await getSteps(env.executor, run.run_id), "never");
      expect(never).toMatchObject({ status: "completed", op: "WaitForEvent" });
    });

    it("does not match an event sent before the wait started (no look-back)", async () => {
      const key = freshKey("no-lookback");
      const eventId = await sendOne(env.client, {
        name: "contract/wait-no-lookback",
        data: { key },
      });
      await expect.poll(() => env.effects.count("wait-no-lookback:gate", key)).toBe(1);

      await sendOne(env.client, { name: "contract/early-bird", data: { key } });
      env.effects.signal(`gate:${key}`);
      const run = await waitForEndedRun(env.executor, eventId, env.fnId("wait-no-lookback"));

      expect(run.status).toBe("Completed");
      expect(run.output).toEqual({ early: null });
    });

    it("starts the function triggered by an event sent with step.sendEvent", async () => {
      const key = freshKey("emit");
      const eventId = await sendOne(env.client, { name: "contract/emit", data: { key } });
      const run = await waitForEndedRun(env.executor, eventId, env.fnId("emitter"));

      expect(run.status).toBe("Completed");
      const { ids } = run.output as { ids: string[] };
      expect(ids).toHaveLength(1);
      const received = await waitForEndedRun(env.executor, ids[0]!, env.fnId("receiver"));
      expect(received).toMatchObject({ status: "Completed", output: { received: key } });
      expect(env.effects.count("receiver:run", key)).toBe(1);
    });

    it("cancels a sleeping run on a matching cancelOn event and never runs the step after the sleep", async () => {
      const key = freshKey("cancel");
      const eventId = await sendOne(env.client, { name: "contract/cancellable", data: { key } });
      const running = await waitForRun(env.executor, eventId, () => true);
      await waitForStep(env.executor, running.run_id, "nap", (s) => s.status === "sleeping");

      await sendOne(env.client, { name: "contract/cancel", data: { key } });
      const run = await waitForEndedRun(env.executor, eventId, env.fnId("cancellable"));
      expect(run.status).toBe("Cancelled");

      // Outlast the 3 s nap: a cancelled run must stay cancelled and silent.
      await sleep(4000);
      expect((await getRun(env.executor, run.run_id))!.status).toBe("Cancelled");
      expect(env.effects.count("cancellable:before", key)).toBe(1);
      expect(env.effects.count("cancellable:after", key)).toBe(0);
    });

    it("starts no second run for a second event with the same idempotency key", async () => {
      const userId = freshKey("user");
      const first = await sendOne(env.client, { name: "contract/idempotent", data: { userId } });
      const second = await sendOne(env.client, { name: "contract/idempotent", data: { userId } });
      await fence("contract/idempotent", { userId: freshKey("other-user") }, "idempotent");

      const runs = await distinctRuns([first, second]);
      expect(runs).toHaveLength(1);
      const run = await waitForEndedRun(env.executor, runs[0]!.event_id, env.fnId("idempotent"));
      expect(run.status).toBe("Completed");
      expect(env.effects.count("idempotent:welcome", userId)).toBe(1);
    });

    it("starts one run for an event id sent twice", async () => {
      const key = freshKey("dedupe");
      const id = `dedupe-${key}`;
      const first = await sendOne(env.client, { id, name: "contract/dedupe", data: { key } });
      const second = await sendOne(env.client, { id, name: "contract/dedupe", data: { key } });
      await fence("contract/dedupe", { key: freshKey("dedupe-fence") }, "dedupe");

      const runs = await distinctRuns([first, second]);
      expect(runs).toHaveLength(1);
      expect(env.effects.count("dedupe:once", key)).toBe(1);
    });

    it("starts one run per event id when each id is sent twice at the same moment", async () => {
      const keys = Array.from({ length: 5 }, () => freshKey("dedupe-race"));
      const sent = await Promise.all(
        keys.flatMap((key) =>
          [1, 2].map(async () => ({
            key,
            eventId: await sendOne(env.client, {
              id: `dedupe-${key}`,
              name: "contract/dedupe",
              data: { key },
            }),
          })),
        ),
      );
      await fence("contract/dedupe", { key: freshKey("dedupe-fence") }, "dedupe");

      for (const key of keys) {
        const runs = await distinctRuns(sent.filter((s) => s.key === key).map((s) => s.eventId));
        const summary = runs.map((r) => ({ run_id: r.run_id, event_id: r.event_id }));
        expect(summary, `runs for id dedupe-${key}: ${JSON.stringify(summary)}`).toHaveLength(1);
        expect(env.effects.count("dedupe:once", key)).toBe(1);
      }
    });

    it("starts one run for events with the same idempotency key sent at the same moment", async () => {
      const userIds = Array.from({ length: 5 }, () => freshKey("racing-user"));
      const sent = await Promise.all(
        userIds.flatMap((userId) =>
          [1, 2].map(async () => ({
            userId,
            eventId: await sendOne(env.client, { name: "contract/idempotent", data: { userId } }),
          })),
        ),
      );
      await fence("contract/idempotent", { userId: freshKey("other-user") }, "idempotent");

      for (const userId of userIds) {
        const ids = sent.filter((s) => s.userId === userId).map((s) => s.eventId);
        expect(await distinctRuns(ids), `runs for userId ${userId}`).toHaveLength(1);
        expect(env.effects.count("idempotent:welcome", userId)).toBe(1);
      }
    });

    it("never overlaps step bodies of one concurrency key at limit 1, while other keys still run", async () => {
      const groupA = freshKey("group-a");
      const groupB = freshKey("group-b");
      const { ids } = await env.client.send([
        { name: "contract/limited", data: { group: groupA } },
        { name: "contract/limited", data: { group: groupA } },
        { name: "contract/limited", data: { group: groupA } },
        { name: "contract/limited", data: { group: groupB } },
      ]);
      expect(ids).toHaveLength(4);

      const runs = await Promise.all(
        ids.map((id) => waitForEndedRun(env.executor, id, env.fnId("limited"), 30_000)),
      );
      expect(runs.map((r) => r.status)).toEqual([
        "Completed",
        "Completed",
        "Completed",
        "Completed",
      ]);
      expect(env.effects.count("limited:work", groupA)).toBe(3);
      expect(env.effects.maxInFlight(`limited:${groupA}`)).toBe(1);
      expect(env.effects.count("limited:work", groupB)).toBe(1);
    });

    it("starts runs only for events matching the trigger expression; a missing attribute is no error", async () => {
      const free = freshKey("free");
      const missing = freshKey("missing");
      const pro = freshKey("pro");
      const freeId = await sendOne(env.client, {
        name: "contract/plan",
        data: { key: free, plan: "free" },
      });
      const missingId = await sendOne(env.client, {
        name: "contract/plan",
        data: { key: missing },
      });
      await fence("contract/plan", { key: pro, plan: "pro" }, "pro-only");

      expect(await runsForEvent(env.executor, freeId)).toEqual([]);
      expect(await runsForEvent(env.executor, missingId)).toEqual([]);
      expect(env.effects.count("pro-only:run", free)).toBe(0);
      expect(env.effects.count("pro-only:run", missing)).toBe(0);
      expect(env.effects.count("pro-only:run", pro)).toBe(1);
    });
  },
);
