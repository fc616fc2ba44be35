import type { IncomingMessage, ServerResponse } from "node:http";
import type { Op } from "./driver";
import { SyncError } from "./functions";
import { parseEventIdSeed } from "./ids";
import { applyCheckpoint } from "./processor";
import { type Engine, EventValidationError, ingestEvents, validateEvent } from "./runs";
import type { Db } from "./state";
import { fetchInBandRegistration, readRegistration, registerApp } from "./sync";

// The executor's HTTP surface: what the SDK calls (event API, out-of-band
// sync, checkpoints) and a read API shaped like Inngest's REST API
// (GET /v1/events/{id}/runs — by the executor's event id or the sender's — and
// /v1/runs/{id}), plus /v1/runs/{id}/steps.

export type ApiDeps = Engine & {
  signingKey?: string;
  withTx: <T>(work: (db: Db) => Promise<T>) => Promise<T>;
  log: (line: string) => void;
};

const MAX_BODY_BYTES = 32 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (text.trim() === "") return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `malformed JSON: ${(error as Error).message}`);
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

type RunView = {
  run_id: string;
  function_id: string;
  status: string;
  output: unknown;
  error: unknown;
  event_id: string;
  run_started_at: Date;
  ended_at: Date | null;
};

const RUN_COLUMNS = `id AS run_id, function_id, status, output, error, event_id, started_at AS run_started_at, ended_at`;

async function stepsOf(db: Db, deps: ApiDeps, runId: string) {
  const { rows } = await db.query<{
    step_id: string;
    name: string | null;
    op: string;
    attempt: number;
    status: string;
    output: unknown;
    error: unknown;
    at: Date;
  }>(
    `SELECT step_id, name, op, attempt, status, output, error, at FROM ${deps.t.stepAttempts} WHERE run_id = $1 ORDER BY id`,
    [runId],
  );
  const steps = new Map<string, Record<string, unknown> & { attempts: unknown[] }>();
  for (const row of rows) {
    const step = steps.get(row.step_id) ?? {
      id: row.step_id,
      name: row.name,
      op: row.op,
      attempts: [],
    };
    step.status = row.status;
    if (row.name) step.name = row.name;
    if (row.op !== "FunctionError") step.op = row.op;
    // A completed step always reports its output, null included (a finished sleep is null).
    if (row.status === "completed") step.output = row.output;
    if (row.error !== null) step.error = row.error;
    step.attempts.push({
      attempt: row.attempt,
      status: row.status,
      error: row.error ?? undefined,
      at: row.at,
    });
    steps.set(row.step_id, step);
  }
  return [...steps.values()];
}

type Route = {
  method: string;
  pattern: RegExp;
  handle: (req: IncomingMessage, res: ServerResponse, params: string[]) => Promise<void>;
};

function routes(deps: ApiDeps): Route[] {
  const sync = async (registration: { url: string; appId: string; functions: unknown[] }) => {
    const synced = await deps.withTx((db) => registerApp(db, deps.t, registration));
    deps.log(
      `synced ${synced.appId} (${synced.functions.length} functions) from ${registration.url}`,
    );
    return synced;
  };
  return [
    {
      method: "GET",
      pattern: /^\/health$/,
      handle: async (_req, res) => send(res, 200, { status: "ok" }),
    },
    {
      // The event API: always a JSON array; answers { ids, status: 200 } as the SDK requires.
      method: "POST",
      pattern: /^\/e\/([^/]+)$/,
      handle: async (req, res) => {
        try {
          const body = await readJson(req);
          const events = (Array.isArray(body) ? body : [body]).map(validateEvent);
          const seed = parseEventIdSeed(
            req.headers["x-inngest-event-id-seed"] as string | undefined,
          );
          const ids = await deps.withTx((db) => ingestEvents(db, deps, events, seed));
          send(res, 200, { ids, status: 200 });
        } catch (error) {
          if (!(error instanceof EventValidationError || error instanceof HttpError)) throw error;
          const status = error instanceof HttpError ? error.status : 400;
          send(res, status, { ids: [], status, error: error.message });
        }
      },
    },
    {
      method: "POST",
      pattern: /^\/fn\/register$/,
      handle: async (req, res) => {
        await sync(readRegistration(await readJson(req)));
        send(res, 200, { ok: true, modified: true });
      },
    },
    {
      method: "POST",
      pattern: /^\/local\/sync$/,
      handle: async (req, res) => {
        const body = (await readJson(req)) as { url?: unknown } | undefined;
        if (typeof body?.url !== "string")
          throw new HttpError(400, '"url" (the app\'s serve URL) is required');
        send(res, 200, await sync(await fetchInBandRegistration(body.url, deps.signingKey)));
      },
    },
    {
      method: "POST",
      pattern: /^\/v1\/checkpoint\/([^/]+)\/async$/,
      handle: async (req, res, [runId]) => {
        const body = (await readJson(req)) as { qi_id?: string; steps?: Op[] } | undefined;
        const queueItemId = body?.qi_id;
        const steps = body?.steps;
        if (!queueItemId || !Array.isArray(steps))
          throw new HttpError(400, "checkpoint needs qi_id and steps");
        const result = await deps.withTx((db) =>
          applyCheckpoint(db, deps, runId as string, queueItemId, steps),
        );
        if (result === "ok") send(res, 200, {});
        else send(res, 409, { error: "stale dispatch: this queue item is no longer leased" });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/events\/([^/]+)\/runs$/,
      handle: async (_req, res, [eventId]) => {
        const { rows } = await deps.withTx((db) =>
          db.query<RunView>(
            // The executor's own event id, or (a local convenience) the id the
            // sender chose, which is what the app knows.
            `SELECT ${RUN_COLUMNS} FROM ${deps.t.runs}
              WHERE event_id = $1
                 OR event_id = (SELECT event_id FROM ${deps.t.eventUserIds} WHERE user_id = $1)
              ORDER BY started_at`,
            [eventId],
          ),
        );
        send(res, 200, { data: rows, metadata: {} });
      },
    },
    {
      method: "GET",
      pattern: /^\/v1\/runs\/([^/]+)(\/steps)?$/,
      handle: async (_req, res, [runId, stepsSuffix]) => {
        const result = await deps.withTx(async (db) => {
          const { rows } = await db.query<RunView>(
            `SELECT ${RUN_COLUMNS} FROM ${deps.t.runs} WHERE id = $1`,
            [runId],
          );
          if (!rows[0]) return undefined;
          return stepsSuffix ? stepsOf(db, deps, runId as string) : rows[0];
        });
        if (result === undefined) send(res, 404, { error: `run ${runId} not found` });
        else send(res, 200, { data: result, metadata: {} });
      },
    },
  ];
}

export function createApiHandler(deps: ApiDeps) {
  const table = routes(deps);
  return (req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? "/", "http://local").pathname;
    const method = req.method ?? "GET";
    const handled = (async () => {
      for (const route of table) {
        const match = route.method === method ? route.pattern.exec(path) : null;
        if (match) return route.handle(req, res, match.slice(1));
      }
      send(res, 404, { error: `no route for ${method} ${path}` });
    })();
    handled.catch((error: unknown) => {
      if (error instanceof HttpError) return send(res, error.status, { error: error.message });
      if (error instanceof SyncError) return send(res, 400, { error: error.message });
      deps.log(`request ${method} ${path} failed: ${(error as Error).stack ?? error}`);
      if (!res.headersSent) send(res, 500, { error: "internal executor error" });
    });
  };
}
