import fs from "node:fs/promises";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Inngest } from "inngest";
import { serve } from "inngest/node";
import { afterAll, describe, expect, it } from "vitest";
import { type RunningPostgres, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { findFreePort } from "../../scripts/lib/ports";
import { type RunningExecutor, startExecutor } from "./index";

// Postgres restarting under the executor: work in flight is retried once the
// database is back, and no step the executor had recorded as completed runs
// again.

const dir = await fs.mkdtemp(path.join(os.tmpdir(), "inngest-local-restart-"));
await fs.chmod(dir, 0o755);
const dataDir = path.join(dir, "data");
const port = await findFreePort();
let postgres: RunningPostgres = await startEmbeddedPostgres({ dataDir, port });
const executions = new Map<string, number>();
const closers: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close().catch(() => undefined);
  await postgres.stop();
  await fs.rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function json<T>(url: string): Promise<T> {
  return (await (await fetch(url)).json()) as T;
}

describe("Postgres restarting under the executor", () => {
  it.each([{ checkpointing: true }, { checkpointing: false }])(
    "the run completes and completed steps are not repeated (checkpointing: $checkpointing)",
    async ({ checkpointing }) => {
      const executor: RunningExecutor = await startExecutor({
        databaseUrl: postgres.url("postgres"),
        schema: checkpointing ? "restart_cp" : "restart_nocp",
        backoff: "fast",
        checkpointing,
        leaseMs: 1_500,
        log: () => undefined,
      });
      closers.push(() => executor.stop());
      const inngest = new Inngest({
        id: `restart-${checkpointing}`,
        isDev: true,
        baseUrl: executor.url,
      });
      const fn = inngest.createFunction(
        // Fast backoff spends the default 5 attempts in a few seconds; a loaded
        // machine can take longer than that to restart Postgres.
        { id: "six-steps", triggers: [{ event: "t/six" }], retries: 20 },
        async ({ step }) => {
          let total = 0;
          for (let i = 1; i <= 6; i++) {
            total += await step.run(`s${i}`, async () => {
              const key = `${checkpointing}:s${i}`;
              executions.set(key, (executions.get(key) ?? 0) + 1);
              await sleep(300);
              return i;
            });
          }
          return { total };
        },
      );
      const app = http.createServer(serve({ client: inngest, functions: [fn] }));
      await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", () => resolve()));
      closers.push(() => new Promise((resolve) => app.close(resolve)));
      await executor.syncApp(`http://127.0.0.1:${(app.address() as AddressInfo).port}/api/inngest`);

      const { ids } = await inngest.send({ name: "t/six", data: {} });
      let runId: string | undefined;
      let completedBefore: string[] = [];
      for (let i = 0; i < 100 && completedBefore.length < 2; i++) {
        await sleep(100);
        const runs = await json<{ data: { run_id: string }[] }>(
          `${executor.url}/v1/events/${ids[0]}/runs`,
        );
        runId = runs.data[0]?.run_id;
        if (!runId) continue;
        const steps = await json<{ data: { name: string; status: string }[] }>(
          `${executor.url}/v1/runs/${runId}/steps`,
        );
        completedBefore = steps.data.filter((s) => s.status === "completed").map((s) => s.name);
      }
      expect(completedBefore.length).toBeGreaterThanOrEqual(2);

      await postgres.stop();
      await sleep(1_500);
      postgres = await startEmbeddedPostgres({ dataDir, port });

      let final: { status: string; output: unknown } | undefined;
      for (let i = 0; i < 300 && final?.status !== "Completed"; i++) {
        await sleep(100);
        const run = await fetch(`${executor.url}/v1/runs/${runId}`).catch(() => undefined);
        if (run?.ok) final = ((await run.json()) as { data: typeof final }).data;
      }
      expect(final).toMatchObject({ status: "Completed", output: { total: 21 } });
      for (const name of completedBefore) {
        expect(
          executions.get(`${checkpointing}:${name}`),
          `${name} completed before the restart`,
        ).toBe(1);
      }
      for (let i = 1; i <= 6; i++)
        expect(executions.get(`${checkpointing}:s${i}`)).toBeGreaterThanOrEqual(1);
    },
    90_000,
  );
});
