import { randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import pg from "pg";
import { nextCronRun } from "./functions";
import { createApiHandler } from "./http-api";
import { processItem } from "./processor";
import { hasDueWork, leaseLimited, leaseUnlimited } from "./queue";
import { type Engine, type EventPayload, startRun } from "./runs";
import { ensureSchema } from "./schema";
import { type Db, type FunctionRow, Tables } from "./state";
import { fetchInBandRegistration, registerApp, type SyncedApp } from "./sync";
import type { BackoffMode } from "./time";

// A local, Inngest-compatible executor: the SDK talks to it exactly as it
// talks to Inngest (INNGEST_DEV=1, INNGEST_BASE_URL=<this url>). Generic:
// nothing here knows about the app it runs.

export type ExecutorOptions = {
  databaseUrl: string;
  port?: number;
  host?: string;
  schema?: string;
  backoff?: BackoffMode;
  checkpointing?: boolean;
  signingKey?: string;
  workers?: number;
  pollIntervalMs?: number;
  leaseMs?: number;
  callTimeoutMs?: number;
  log?: (line: string) => void;
};

export type RunningExecutor = {
  url: string;
  port: number;
  syncApp(appServeUrl: string): Promise<SyncedApp>;
  stop(): Promise<void>;
};

export async function startExecutor(options: ExecutorOptions): Promise<RunningExecutor> {
  const log = options.log ?? ((line: string) => console.log(`[executor] ${line}`));
  const workers = options.workers ?? 8;
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  const leaseMs = options.leaseMs ?? 10_000;
  const schema = options.schema ?? "inngest_local";
  const pool = new pg.Pool({ connectionString: options.databaseUrl, max: workers + 6 });
  // A Postgres restart drops idle connections; without a listener that would crash the process.
  pool.on("error", (error) => log(`postgres pool error: ${error.message}`));
  // A connection that dies while checked out emits 'error' on its client, which
  // would be an uncaught exception; the failing query already reports it.
  pool.on("connect", (client) =>
    client.on("error", (error) => log(`postgres connection lost: ${error.message}`)),
  );
  await ensureSchema(pool, schema);

  let wakeWaiters: (() => void)[] = [];
  let wakePending = false;
  const wake = () => {
    const waiters = wakeWaiters;
    wakeWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const withTx = async <T>(work: (db: Db) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      if (wakePending) {
        wakePending = false;
        wake();
      }
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };

  const withClient = async <T>(work: (db: Db) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await work(client);
    } finally {
      client.release();
    }
  };

  const engine: Engine = {
    t: new Tables(schema),
    // Called inside transactions: the wake-up waits for the commit.
    notify: () => {
      wakePending = true;
    },
  };
  const workerId = `${process.pid}-${randomUUID().slice(0, 8)}`;
  const deps = {
    ...engine,
    withTx,
    withClient,
    log,
    workerId,
    leaseMs,
    signingKey: options.signingKey,
    backoff: options.backoff ?? "inngest",
    call: {
      checkpointing: options.checkpointing ?? true,
      signingKey: options.signingKey,
      timeoutMs: options.callTimeoutMs ?? 5 * 60_000,
    },
  };

  let stopping = false;
  const inFlight = new Set<Promise<void>>();

  // Idle workers sleep until woken (local commit, or the poller), at most 1 s as a safety net.
  const idle = () =>
    new Promise<void>((resolve) => {
      if (stopping) return resolve();
      const timer = setTimeout(resolve, 1_000);
      wakeWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });

  const workerLoop = async () => {
    while (!stopping) {
      let item: Awaited<ReturnType<typeof leaseUnlimited>>;
      try {
        item =
          (await withClient((db) => leaseUnlimited(db, engine.t, workerId, leaseMs))) ??
          (await withTx((db) => leaseLimited(db, engine.t, workerId, leaseMs)));
      } catch (error) {
        log(`lease failed (will retry): ${(error as Error).message}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      }
      if (!item) {
        await idle();
        continue;
      }
      try {
        await processItem(deps, item);
      } catch (error) {
        // The lease expires and the item is retried: nothing is lost.
        log(
          `processing ${item.kind} ${item.step_id} of run ${item.run_id} failed: ${(error as Error).message}`,
        );
      }
    }
  };

  // One cheap poll wakes the idle workers for work that became due by time
  // (sleeps, retries) or was enqueued by another executor process.
  const poller = setInterval(() => {
    if (stopping || wakeWaiters.length === 0) return;
    void withTx((db) => hasDueWork(db, engine.t))
      .then((due) => due && wake())
      .catch(() => undefined);
  }, pollIntervalMs);

  const cronTimer = setInterval(() => {
    if (!stopping)
      void fireDueCrons(withTx, engine).catch((error) => log(`cron: ${(error as Error).message}`));
  }, 1_000);

  for (let i = 0; i < workers; i++) {
    const loop = workerLoop();
    inFlight.add(loop);
    void loop.finally(() => inFlight.delete(loop));
  }

  const server = createServer(createApiHandler(deps));
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${options.host ?? "127.0.0.1"}:${address.port}`;

  return {
    url,
    port: address.port,
    async syncApp(appServeUrl: string) {
      const registration = await fetchInBandRegistration(appServeUrl, options.signingKey);
      return withTx((db) => registerApp(db, engine.t, registration));
    },
    async stop() {
      stopping = true;
      clearInterval(poller);
      clearInterval(cronTimer);
      wake();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await Promise.allSettled([...inFlight]);
      await pool.end();
    },
  };
}

/** Cron triggers: each due slot starts one run, even with several executors (row lock + slot id). */
async function fireDueCrons(
  withTx: <T>(work: (db: Db) => Promise<T>) => Promise<T>,
  engine: Engine,
) {
  await withTx(async (db) => {
    const { rows } = await db.query<FunctionRow & { cron: string; next_at: Date }>(
      `SELECT f.*, tr.cron, tr.next_at FROM ${engine.t.triggers} tr JOIN ${engine.t.functions} f ON f.id = tr.function_id
        WHERE tr.cron IS NOT NULL AND tr.next_at <= now() FOR UPDATE OF tr SKIP LOCKED`,
    );
    for (const fn of rows) {
      const slot = fn.next_at.toISOString();
      const eventId = `${fn.id}:${slot}`;
      const payload: EventPayload = {
        name: "inngest/scheduled.timer",
        data: { cron: fn.cron, fireAt: slot },
        ts: Date.now(),
        id: eventId,
      };
      const inserted = await db.query(
        `INSERT INTO ${engine.t.events} (id, user_id, name, payload) VALUES ($1, $1, $2, $3) ON CONFLICT (id) DO NOTHING`,
        [eventId, payload.name, JSON.stringify(payload)],
      );
      if (inserted.rowCount === 1) await startRun(db, engine, fn, payload, eventId);
      await db.query(
        `UPDATE ${engine.t.triggers} SET next_at = $3 WHERE function_id = $1 AND cron = $2`,
        [fn.id, fn.cron, nextCronRun(fn.cron, new Date())],
      );
    }
  });
}

export type { SyncedApp } from "./sync";
