import type { InngestFunction } from "inngest";
import { type RunningExecutor, startExecutor } from "../../src/index";
import { type AppServer, startAppServer } from "../fixtures/app-server";
import { CONTRACT_APP_ID, type ContractClient, createContractClient } from "../fixtures/functions";
import { MemorySideEffects } from "../fixtures/side-effects";

export type ExecutionMode = { checkpointing: boolean };

/** Both ways the SDK can be driven: checkpointing (production path) and one step per request. */
export const EXECUTION_MODES: ExecutionMode[] = [{ checkpointing: true }, { checkpointing: false }];

export type ContractEnvironment = {
  executor: RunningExecutor;
  client: ContractClient;
  app: AppServer;
  effects: MemorySideEffects;
  /** Composite function id as the executor reports it: `<appId>-<fnId>`. */
  fnId(id: string): string;
  /** The executor's log lines, for failure messages. */
  logs: string[];
  stop(): Promise<void>;
};

/**
 * A real executor (own Postgres schema in this file's database, fast retry
 * backoff) and a real app served with the SDK, synced in-band.
 * `defineFunctions` receives the client bound to this executor.
 */
export async function startContractEnvironment(
  mode: ExecutionMode,
  defineFunctions: (client: ContractClient, effects: MemorySideEffects) => InngestFunction.Any[],
): Promise<ContractEnvironment> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set (the vitest harness provides it)");
  const logs: string[] = [];
  const executor = await startExecutor({
    databaseUrl,
    // Each mode gets its own schema so the two executors of a file never share queue rows.
    schema: mode.checkpointing ? "contract_checkpointing" : "contract_step_per_request",
    backoff: "fast",
    checkpointing: mode.checkpointing,
    log: (line) => {
      logs.push(line);
      if (process.env.INNGEST_LOCAL_TEST_LOG) console.log(`[executor] ${line}`);
    },
  });
  const effects = new MemorySideEffects();
  const client = createContractClient(executor.url);
  const app = await startAppServer({ client, functions: defineFunctions(client, effects) });
  await executor.syncApp(app.url);
  return {
    executor,
    client,
    app,
    effects,
    logs,
    fnId: (id) => `${CONTRACT_APP_ID}-${id}`,
    async stop() {
      await executor.stop();
      await app.close();
    },
  };
}

/** A fresh key so effects and events of one test never mix with another's. */
export function freshKey(label: string): string {
  return `${label}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Sends one event through the SDK (POST /e/{key}) and returns its id. */
export async function sendOne(
  client: ContractClient,
  event: { name: string; data: Record<string, unknown>; id?: string },
): Promise<string> {
  const { ids } = await client.send(event);
  const [id] = ids;
  if (!id) throw new Error(`the executor returned no id for ${event.name}`);
  return id;
}
