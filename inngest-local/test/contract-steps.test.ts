import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStepFunctions } from "./fixtures/functions";
import {
  type ContractEnvironment,
  EXECUTION_MODES,
  freshKey,
  sendOne,
  startContractEnvironment,
} from "./support/contract-env";
import { getSteps, stepHash, stepNamed, waitForEndedRun } from "./support/executor-api";

// Step-level semantics of the executor, driven through the real SDK over HTTP
// and checked twice: via the executor's read API and via the side effects the
// step bodies recorded. INNGEST-PROTOCOL.md is the reference for every
// expectation here.
describe.each(EXECUTION_MODES)("executor step contract (checkpointing: $checkpointing)", (mode) => {
  let env: ContractEnvironment;

  beforeAll(async () => {
    env = await startContractEnvironment(mode, (client, effects) =>
      Object.values(createStepFunctions(client, effects)),
    );
  });

  afterAll(async () => {
    await env?.stop();
  });

  /** Sends `name` with a fresh key and waits for the run of `fnId` to end. */
  async function runToEnd(name: string, fnId: string, data: Record<string, unknown> = {}) {
    const key = freshKey(fnId);
    const eventId = await sendOne(env.client, { name, data: { key, ...data } });
    const run = await waitForEndedRun(env.executor, eventId, env.fnId(fnId));
    return { key, eventId, run, steps: await getSteps(env.executor, run.run_id) };
  }

  it("runs sequential steps once each, in order, and returns the last step's output", async () => {
    const { key, run, steps } = await runToEnd("contract/sequential", "sequential");

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ result: "A+B+C" });
    for (const name of ["a", "b", "c"])
      expect(env.effects.count(`sequential:${name}`, key)).toBe(1);
    expect(steps.map((s) => s.id)).toEqual([stepHash("a"), stepHash("b"), stepHash("c")]);
    expect(steps.map((s) => [s.status, s.output, s.attempts.length])).toEqual([
      ["completed", "A", 1],
      ["completed", "A+B", 1],
      ["completed", "A+B+C", 1],
    ]);
  });

  it("resumes a 1 s sleep no sooner than 1 s later and memoises the sleep as null", async () => {
    const { key, run, steps } = await runToEnd("contract/sleep", "sleeper");

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ napValue: "null" });
    const [before] = env.effects.all("sleep:before", key);
    const [after] = env.effects.all("sleep:after", key);
    expect(env.effects.count("sleep:before", key)).toBe(1);
    expect(env.effects.count("sleep:after", key)).toBe(1);
    expect(after!.at - before!.at).toBeGreaterThanOrEqual(1000);
    expect(Date.parse(run.ended_at!) - Date.parse(run.run_started_at)).toBeGreaterThanOrEqual(1000);
    expect(stepNamed(steps, "nap")).toMatchObject({ status: "completed", op: "Sleep" });
  });

  it("resumes sleepUntil no sooner than the given date", async () => {
    const until = new Date(Date.now() + 1500).toISOString();
    const { key, run, steps } = await runToEnd("contract/sleep-until", "sleep-until", { until });

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ untilValue: "null" });
    const after = env.effects.all("sleep-until:after", key);
    expect(after).toHaveLength(1);
    expect(after[0]!.at).toBeGreaterThanOrEqual(Date.parse(until));
    expect(stepNamed(steps, "until")).toMatchObject({ status: "completed", op: "Sleep" });
  });

  it("retries a step that fails once and completes the run with its second result", async () => {
    const { key, run, steps } = await runToEnd("contract/flaky-step", "flaky-step");

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ result: "ok on try 2" });
    expect(env.effects.count("flaky:run", key)).toBe(2);
    const flaky = stepNamed(steps, "flaky");
    expect(flaky).toMatchObject({ status: "completed", output: "ok on try 2" });
    expect(flaky!.attempts).toHaveLength(2);
    expect(JSON.stringify(flaky!.attempts[0]!.error)).toContain(`first try fails ${key}`);
    expect(flaky!.attempts[1]!.status).toBe("completed");
  });

  it("retries a function that throws at attempt 0 without re-running its memoised step", async () => {
    const { key, run } = await runToEnd("contract/function-retry", "function-retry");

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ attempt: 1 });
    expect(env.effects.count("function-retry:prepare", key)).toBe(1);
    expect(env.effects.all("function-retry:tail", key).map((e) => e.detail)).toEqual([
      { attempt: 0 },
      { attempt: 1 },
    ]);
  });

  it("fails the run after one attempt on NonRetriableError and runs onFailure with the error", async () => {
    const { key, run, steps } = await runToEnd("contract/non-retriable", "non-retriable");

    expect(run.status).toBe("Failed");
    expect(JSON.stringify(run.error)).toContain(`permanently broken ${key}`);
    const doomed = stepNamed(steps, "doomed");
    expect(doomed).toMatchObject({ status: "failed" });
    expect(doomed!.attempts).toHaveLength(1);
    await expect
      .poll(() => env.effects.all("non-retriable:on-failure", key), { timeout: 15_000 })
      .toHaveLength(1);
    const [failure] = env.effects.all("non-retriable:on-failure", key);
    expect((failure!.detail as { message: string }).message).toContain(`permanently broken ${key}`);
    expect(env.effects.count("non-retriable:doomed", key)).toBe(1);
  });

  it("throws an exhausted step into user code, which catches it and completes (retries: 1)", async () => {
    const { key, run, steps } = await runToEnd("contract/exhaust-caught", "exhaust-caught");

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ caught: `nope ${key}` });
    expect(env.effects.count("exhaust-caught:run", key)).toBe(2);
    const failed = stepNamed(steps, "always-fails");
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed!.attempts).toHaveLength(2);
  });

  it("fails the run when an exhausted step is not caught, after retries + 1 attempts (retries: 2)", async () => {
    const { key, run, steps } = await runToEnd("contract/exhaust-uncaught", "exhaust-uncaught");

    expect(run.status).toBe("Failed");
    expect(JSON.stringify(run.error)).toContain(`still broken ${key}`);
    expect(env.effects.count("exhaust-uncaught:run", key)).toBe(3);
    const failed = stepNamed(steps, "always-fails");
    expect(failed).toMatchObject({ status: "failed" });
    expect(failed!.attempts).toHaveLength(3);
  });

  it("runs three parallel steps once each and fans in to a final step", async () => {
    const { key, run, steps } = await runToEnd("contract/fan-out", "fan-out");

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ combined: "XYZ" });
    for (const branch of ["x", "y", "z", "combine"]) {
      expect(env.effects.count(`fan-out:${branch}`, key)).toBe(1);
    }
    for (const name of ["branch-x", "branch-y", "branch-z", "combine"]) {
      expect(stepNamed(steps, name)).toMatchObject({ status: "completed" });
    }
    expect(steps.at(-1)!.id).toBe(stepHash("combine"));
  });

  it("continues a race group with the first step to finish", async () => {
    const { key, run } = await runToEnd("contract/race", "race");

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ winner: "fast", announced: "fast won" });
    expect(env.effects.count("race:fast", key)).toBe(1);
    expect(env.effects.count("race:announce", key)).toBe(1);
    expect(env.effects.count("race:slow", key)).toBeLessThanOrEqual(1);
  });

  it("returns the invoked child's output from step.invoke", async () => {
    const { key, run, steps } = await runToEnd("contract/invoke", "invoker");

    expect(run.status).toBe("Completed");
    expect(run.output).toEqual({ child: { doubled: 42 } });
    expect(env.effects.count("double:run", key)).toBe(1);
    expect(stepNamed(steps, "call-double")).toMatchObject({
      status: "completed",
      op: "InvokeFunction",
    });
  });

  it("throws InngestInvokeTimeoutError from step.invoke when the child outlives the timeout", async () => {
    const { key, run } = await runToEnd("contract/invoke-timeout", "invoke-timeout");

    expect(run.status).toBe("Completed");
    expect(run.output).toMatchObject({ timedOut: true, name: "InngestInvokeTimeoutError" });
    // The child sleeps 10 s; the invoker must not have waited for it.
    expect(env.effects.count("slow-child:finished", key)).toBe(0);
  });

  // The steps API reports what each step resolved to in the function, so a
  // timeline can show it: step.run "A" is reported as "A" (see the first test).

  it("reports a finished sleep's output as null in the steps API, not as a missing output", async () => {
    const { steps } = await runToEnd("contract/sleep", "sleeper");

    const nap = stepNamed(steps, "nap");
    expect(nap).toMatchObject({ status: "completed" });
    expect(nap).toHaveProperty("output", null);
  });

  it("reports a step.invoke output as the child's return value in the steps API, like step.run", async () => {
    const { steps } = await runToEnd("contract/invoke", "invoker");

    expect(stepNamed(steps, "call-double")).toMatchObject({
      status: "completed",
      output: { doubled: 42 },
    });
  });
});
