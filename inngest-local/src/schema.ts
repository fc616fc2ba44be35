import type pg from "pg";

// The executor's own tables, in their own Postgres schema, created
// idempotently at start. Everything a run needs to continue after a crash of
// the executor or of the app is here: the memoised steps and their order
// (the SDK hangs if the stack misses a memoised step), the queue with leases,
// and the pauses that events resume.

export function schemaDdl(schema: string): string {
  const s = `"${schema}"`;
  return `
CREATE SCHEMA IF NOT EXISTS ${s};

CREATE TABLE IF NOT EXISTS ${s}.apps (
  url        text PRIMARY KEY,
  app_id     text NOT NULL,
  synced_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ${s}.functions (
  id         text PRIMARY KEY,
  uuid       uuid NOT NULL,
  app_url    text NOT NULL,
  name       text NOT NULL,
  config     jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ${s}.triggers (
  function_id text NOT NULL REFERENCES ${s}.functions(id) ON DELETE CASCADE,
  event_name  text,
  expression  text,
  cron        text,
  next_at     timestamptz
);
CREATE INDEX IF NOT EXISTS triggers_event ON ${s}.triggers (event_name);
CREATE INDEX IF NOT EXISTS triggers_cron ON ${s}.triggers (next_at) WHERE cron IS NOT NULL;

CREATE TABLE IF NOT EXISTS ${s}.events (
  id          text PRIMARY KEY,
  user_id     text,
  name        text NOT NULL,
  payload     jsonb NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS events_user_id ON ${s}.events (user_id, received_at) WHERE user_id IS NOT NULL;

-- A user-supplied event id claims its slot for 24 h; the primary key makes
-- two concurrent sends of the same id (even to two executors) start one run.
CREATE TABLE IF NOT EXISTS ${s}.event_user_ids (
  user_id     text PRIMARY KEY,
  event_id    text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS ${s}.runs (
  id               text PRIMARY KEY,
  function_id      text NOT NULL,
  event_id         text NOT NULL,
  events           jsonb NOT NULL,
  status           text NOT NULL,
  steps            jsonb NOT NULL DEFAULT '{}',
  stack            jsonb NOT NULL DEFAULT '[]',
  pending          jsonb NOT NULL DEFAULT '[]',
  force_step_plan  boolean NOT NULL DEFAULT false,
  race             boolean NOT NULL DEFAULT false,
  version          integer NOT NULL DEFAULT -1,
  max_attempts     integer NOT NULL,
  concurrency_keys text[] NOT NULL DEFAULT '{}',
  correlation_id   text,
  output           jsonb,
  error            jsonb,
  started_at       timestamptz NOT NULL DEFAULT now(),
  ended_at         timestamptz
);
CREATE INDEX IF NOT EXISTS runs_event ON ${s}.runs (event_id);

CREATE TABLE IF NOT EXISTS ${s}.idempotency (
  function_id text NOT NULL,
  key         text NOT NULL,
  run_id      text NOT NULL,
  expires_at  timestamptz NOT NULL,
  PRIMARY KEY (function_id, key)
);

-- kind: call (step_id 'step' = discovery, else a planned step's hash),
-- sleep, wait_timeout, invoke_timeout. One item per (run, kind, step) so
-- duplicate plans and coalesced discoveries collapse.
CREATE TABLE IF NOT EXISTS ${s}.queue (
  id               uuid PRIMARY KEY,
  run_id           text NOT NULL,
  kind             text NOT NULL,
  step_id          text NOT NULL,
  attempt          integer NOT NULL DEFAULT 0,
  run_at           timestamptz NOT NULL,
  lease_until      timestamptz,
  leased_by        text,
  concurrency_keys text[] NOT NULL DEFAULT '{}',
  created_at       timestamptz NOT NULL DEFAULT now(),
  UNIQUE (run_id, kind, step_id)
);
CREATE INDEX IF NOT EXISTS queue_due ON ${s}.queue (run_at);
CREATE INDEX IF NOT EXISTS queue_leased ON ${s}.queue USING gin (concurrency_keys) WHERE lease_until IS NOT NULL;

-- kind: wait (step.waitForEvent), cancel (cancelOn), invoke (step.invoke's
-- wait for the child's inngest/function.finished).
CREATE TABLE IF NOT EXISTS ${s}.pauses (
  id          uuid PRIMARY KEY,
  run_id      text NOT NULL,
  step_id     text,
  kind        text NOT NULL,
  event_name  text NOT NULL,
  expression  text,
  expires_at  timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS pauses_event ON ${s}.pauses (event_name);
CREATE INDEX IF NOT EXISTS pauses_run ON ${s}.pauses (run_id);

CREATE TABLE IF NOT EXISTS ${s}.step_attempts (
  id       bigserial PRIMARY KEY,
  run_id   text NOT NULL,
  step_id  text NOT NULL,
  name     text,
  op       text NOT NULL,
  attempt  integer NOT NULL,
  status   text NOT NULL,
  output   jsonb,
  error    jsonb,
  at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS step_attempts_run ON ${s}.step_attempts (run_id, id);
`;
}

export async function ensureSchema(pool: pg.Pool, schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name "${schema}"`);
  const client = await pool.connect();
  try {
    // Two executors starting at once must not race on CREATE ... IF NOT EXISTS.
    await client.query("SELECT pg_advisory_lock(hashtext($1))", [`inngest-local:${schema}`]);
    await client.query(schemaDdl(schema));
  } finally {
    await client
      .query("SELECT pg_advisory_unlock(hashtext($1))", [`inngest-local:${schema}`])
      .catch(() => undefined);
    client.release();
  }
}
