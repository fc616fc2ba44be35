import { AsyncLocalStorage } from "node:async_hooks";
import { NonRetriableError, RetryAfterError } from "inngest";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { NODE_KINDS } from "@/lib/nodes";
import { type AnyNodeKind, defineActionKind } from "@/lib/nodes/node-kind";
import type { NodeServices } from "@/lib/nodes/services";
import { type WorkflowDefinitionInput, workflowDefinitionSchema } from "@/lib/workflows/definition";
import { onboardingDefinition } from "@/test/support/workflows";
import { interpretRun } from "./interpreter";
import { retriableFailure } from "./node-error";
import type { RunRecorder } from "./run-recorder";
import type { StepTools } from "./step-tools";

// The interpreter on in-memory step tools: memoised steps, and retries the way
// Inngest does them (RetryAfterError → another attempt, NonRetriableError →
// the step fails). The executor-backed tests are in inngest/functions.

type Event = [string, ...unknown[]];

function memorySteps() {
  const memo = new Map<string, { ok: true; value: unknown } | { ok: false; error: Error }>();
  const executed: string[] = [];
  const delays: { id: string; ms: number }[] = [];
  // Like Inngest's `attempt`, per executing step (parallel steps have their own).
  const attempts = new AsyncLocalStorage<number>();
  const tools: StepTools = {
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      const known = memo.get(id);
      if (!known) {
        for (let attempt = 0; ; attempt++) {
          executed.push(id);
          try {
            memo.set(id, { ok: true, value: await attempts.run(attempt, fn) });
            break;
          } catch (error) {
            if (error instanceof RetryAfterError) {
              delays.push({ id, ms: Number(error.retryAfter) * 1000 });
              continue;
            }
            memo.set(id, { ok: false, error: error as Error });
            break;
          }
        }
      }
      const result = memo.get(id) as { ok: true; value: T } | { ok: false; error: Error };
      if (!result.ok) throw result.error;
      return result.value;
    },
    async sleepUntil(id) {
      executed.push(id);
    },
    async waitForEvent(id) {
      executed.push(id);
      return null;
    },
    async invokeRun(id) {
      executed.push(id);
      return null;
    },
    attempt: () => attempts.getStore() ?? 0,
  };
  return { tools, executed, delays };
}

function memoryRecorder(input: WorkflowDefinitionInput) {
  const events: Event[] = [];
  const recorder: RunRecorder = {
    async start() {
      return {
        run: { id: "run-1", organizationId: "org-1", workflowId: "wf-1", isTest: false },
        startedAt: "2026-11-24T10:00:00.000Z",
        workflow: { id: "wf-1", name: "Test", version: 1 },
        definition: workflowDefinitionSchema.parse(input),
        event: {
          id: "evt-1",
          type: "employee.onboard",
          occurredAt: "2026-11-24T10:00:00.000Z",
          data: { employee: { firstName: "Dana", department: "Engineering" } },
        },
        reused: {},
      };
    },
    async stepStarted({ nodeId, attempt }) {
      events.push(["started", nodeId, attempt]);
    },
    async stepWaiting({ nodeId }) {
      events.push(["waiting", nodeId]);
    },
    async stepCompleted({ nodeId, output }) {
      events.push(["completed", nodeId, output]);
    },
    async stepFailed({ nodeId, attempt, willRetry }) {
      events.push(["failed", nodeId, attempt, willRetry]);
    },
    async finish({ status, skipped, error }) {
      events.push([
        "finish",
        status,
        skipped.map((step) => `${step.nodeId}: ${step.reason}`),
        error?.message,
      ]);
    },
  };
  return { recorder, events };
}

let flakyCalls = 0;
const flakyKind = defineActionKind({
  kind: "flaky",
  label: "Flaky",
  description: "fails until told otherwise",
  category: "data",
  config: z.object({ failTimes: z.number() }),
  output: z.object({ calls: z.number() }),
  sideEffects: false,
  defaultConfig: { failTimes: 0 },
  async execute({ config }) {
    flakyCalls++;
    if (flakyCalls <= config.failTimes) throw retriableFailure(`boom ${flakyCalls}`);
    return { calls: flakyCalls };
  },
});

let slowSignal: AbortSignal | undefined;
const slowKind = defineActionKind({
  kind: "slow",
  label: "Slow",
  description: "waits for its I/O until aborted",
  category: "data",
  config: z.object({}),
  output: z.object({}),
  sideEffects: false,
  defaultConfig: {},
  async execute({ signal }) {
    slowSignal = signal;
    await new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, 30_000);
      signal.addEventListener("abort", () => {
        clearTimeout(timer);
        reject(signal.reason);
      });
    });
    return {};
  },
});

const kinds = new Map<string, AnyNodeKind>([
  ...NODE_KINDS,
  ["flaky", flakyKind],
  ["slow", slowKind],
]);
const services = { now: () => new Date() } as unknown as NodeServices;
const credentials = { read: async () => Promise.reject(new Error("no credentials here")) };

const transform = (id: string, expression: string) => ({
  id,
  kind: "transform",
  name: id,
  config: { expression },
});

async function run(definition: WorkflowDefinitionInput, steps = memorySteps()) {
  const { recorder, events } = memoryRecorder(definition);
  const result = await interpretRun({
    step: steps.tools,
    recorder,
    services,
    credentials,
    kinds,
  }).catch((error: unknown) => error);
  return { result, events, steps };
}

describe("interpretRun", () => {
  it("runs a merge after a condition once, skipping the branch not taken", async () => {
    const definition = onboardingDefinition(
      [
        {
          id: "isEng",
          kind: "condition",
          name: "Engineering?",
          config: { expression: 'employee.department = "Engineering"' },
        },
        transform("laptop", '"macbook"'),
        transform("desk", '"desk"'),
        transform("merge", '"done"'),
      ],
      [
        ["trigger", "isEng"],
        ["isEng", "laptop", "true"],
        ["isEng", "desk", "false"],
        ["laptop", "merge"],
        ["desk", "merge"],
      ],
    );
    const { result, events, steps } = await run(definition);
    expect(result).toEqual({ status: "completed" });
    expect(steps.executed).toEqual(["run:start", "node:isEng", "node:laptop", "node:merge"]);
    expect(events.at(-1)).toEqual([
      "finish",
      "completed",
      ["desk: its branch was not taken"],
      undefined,
    ]);
  });

  it("replays memoised steps without executing them again", async () => {
    const definition = onboardingDefinition(
      [transform("a", "1"), transform("b", "nodes.a.output + 1")],
      [
        ["trigger", "a"],
        ["a", "b"],
      ],
    );
    const steps = memorySteps();
    const first = await run(definition, steps);
    const executedOnce = [...steps.executed];
    const second = await run(definition, steps);
    expect(second.result).toEqual(first.result);
    expect(steps.executed).toEqual(executedOnce);
    expect(first.events).toContainEqual(["completed", "b", 2]);
  });

  it("starts independent branches before either finishes, and joins them", async () => {
    const order: string[] = [];
    const steps = memorySteps();
    const inner = steps.tools.run;
    steps.tools.run = async (id, fn) => {
      order.push(`enter ${id}`);
      const value = await inner(id, fn);
      order.push(`leave ${id}`);
      return value;
    };
    const definition = onboardingDefinition(
      [
        transform("left", '"l"'),
        transform("right", '"r"'),
        transform("join", "nodes.left.output & nodes.right.output"),
      ],
      [
        ["trigger", "left"],
        ["trigger", "right"],
        ["left", "join"],
        ["right", "join"],
      ],
    );
    const { events } = await run(definition, steps);
    expect(order.indexOf("enter node:right")).toBeLessThan(order.indexOf("leave node:left"));
    expect(events).toContainEqual(["completed", "join", "lr"]);
  });

  it("retries within the node's policy with its backoff, then fails the node and skips what depends on it", async () => {
    flakyCalls = 0;
    const definition = onboardingDefinition(
      [
        {
          id: "flaky",
          kind: "flaky",
          name: "Flaky",
          config: { failTimes: 10 },
          retry: { maxAttempts: 3, backoff: "exponential", delaySeconds: 5 },
        },
        transform("after", '"never"'),
        transform("independent", '"fine"'),
      ],
      [
        ["trigger", "flaky"],
        ["flaky", "after"],
        ["trigger", "independent"],
      ],
    );
    const { result, events, steps } = await run(definition);
    expect(result).toBeInstanceOf(NonRetriableError);
    expect((result as Error).message).toBe('"Flaky" failed: boom 3');
    expect(events.filter((event) => event[0] === "failed")).toEqual([
      ["failed", "flaky", 1, true],
      ["failed", "flaky", 2, true],
      ["failed", "flaky", 3, false],
    ]);
    // 5 s, then 10 s: exponential from the node's delay.
    expect(steps.delays.map((delay) => Math.round(delay.ms / 1000))).toEqual([5, 10]);
    expect(events).toContainEqual(["completed", "independent", "fine"]);
    expect(events.at(-1)).toEqual([
      "finish",
      "failed",
      ['after: not run because "Flaky" failed'],
      '"Flaky" failed: boom 3',
    ]);
  });

  it("does not run a join when a node further up one of its branches failed", async () => {
    flakyCalls = 0;
    const definition = onboardingDefinition(
      [
        {
          id: "flaky",
          kind: "flaky",
          name: "Flaky",
          config: { failTimes: 10 },
          retry: { maxAttempts: 1, backoff: "fixed", delaySeconds: 1 },
        },
        transform("afterFlaky", '"a"'),
        transform("other", '"b"'),
        transform("join", '"joined"'),
      ],
      [
        ["trigger", "flaky"],
        ["flaky", "afterFlaky"],
        ["trigger", "other"],
        ["afterFlaky", "join"],
        ["other", "join"],
      ],
    );
    const { events } = await run(definition);
    expect(events.at(-1)?.[2]).toEqual([
      'afterFlaky: not run because "Flaky" failed',
      'join: not run because "Flaky" failed',
    ]);
  });

  it("aborts a node's I/O at its timeout and fails it with a clear message", async () => {
    const definition = onboardingDefinition(
      [
        {
          id: "slow",
          kind: "slow",
          name: "Slow provider",
          config: {},
          timeoutSeconds: 1,
          retry: { maxAttempts: 1, backoff: "fixed", delaySeconds: 1 },
        },
      ],
      [["trigger", "slow"]],
    );
    const { result } = await run(definition);
    expect(slowSignal?.aborted).toBe(true);
    expect((result as Error).message).toBe(
      '"Slow provider" failed: the node did not finish within its 1 s timeout',
    );
  });

  it("succeeds on a later attempt when the node recovers", async () => {
    flakyCalls = 0;
    const definition = onboardingDefinition(
      [
        {
          id: "flaky",
          kind: "flaky",
          name: "Flaky",
          config: { failTimes: 2 },
          retry: { maxAttempts: 3, backoff: "fixed", delaySeconds: 1 },
        },
      ],
      [["trigger", "flaky"]],
    );
    const { result, events } = await run(definition);
    expect(result).toEqual({ status: "completed" });
    expect(events).toContainEqual(["completed", "flaky", { calls: 3 }]);
  });

  it("fails a node whose template reads a variable that is not there, without retrying", async () => {
    const definition = onboardingDefinition(
      [
        {
          id: "note",
          kind: "email",
          name: "Note",
          config: { to: "x@acme.example", subject: "{{ employee.nope }}", body: "b" },
        },
      ],
      [["trigger", "note"]],
    );
    const { events, steps } = await run(definition);
    expect(steps.executed.filter((id) => id === "node:note")).toHaveLength(1);
    const failed = events.find((event) => event[0] === "failed");
    expect(failed).toEqual(["failed", "note", 1, false]);
    expect(String(events.at(-1)?.[3])).toMatch(/employee\.nope|nope/);
  });
});
