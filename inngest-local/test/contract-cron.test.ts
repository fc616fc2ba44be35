import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCronFunctions } from "./fixtures/functions-events";
import {
  type ContractEnvironment,
  EXECUTION_MODES,
  startContractEnvironment,
} from "./support/contract-env";
import { eventually, getRun } from "./support/executor-api";

// A "* * * * *" cron fires at the next minute boundary, up to 60 s after the
// sync, so this file is slow by nature; both modes run side by side.
describe.concurrent.each(EXECUTION_MODES)(
  "executor cron contract (checkpointing: $checkpointing)",
  (mode) => {
    let env: ContractEnvironment;

    beforeAll(async () => {
      env = await startContractEnvironment(mode, (client, effects) =>
        Object.values(createCronFunctions(client, effects)),
      );
    });

    afterAll(async () => {
      await env?.stop();
    });

    it("starts a run of a `* * * * *` cron function within a minute of the sync", async () => {
      const tick = await eventually(
        "the first cron tick",
        async () => env.effects.all("cron:tick")[0],
        65_000,
      );
      // Cron runs are triggered by inngest/scheduled.timer (INNGEST-PROTOCOL.md §2.6).
      expect(tick.detail).toEqual({ eventName: "inngest/scheduled.timer" });
      const run = await eventually(
        "the cron run to complete",
        async () => {
          const found = await getRun(env.executor, tick.key);
          return found?.status === "Running" ? undefined : found;
        },
        10_000,
        () => getRun(env.executor, tick.key),
      );
      expect(run).toMatchObject({
        function_id: env.fnId("every-minute"),
        status: "Completed",
        output: { ticked: true },
      });
    }, 80_000);
  },
);
