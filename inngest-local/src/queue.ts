import type { Db, QueueItem, Tables } from "./state";

// Leasing due queue items. FOR UPDATE SKIP LOCKED lets several workers (and
// several executor processes) take different items; an expired lease makes
// an item due again, which is how work held by a crashed executor resumes.
// Concurrency limits count items being processed (Inngest counts executing
// steps, not runs): a key's advisory lock serialises the count-then-lease.

const CANDIDATES = 16;

/**
 * The oldest due item that no concurrency limit governs: one autocommitted
 * statement (the common case, and one round trip).
 */
export async function leaseUnlimited(
  db: Db,
  t: Tables,
  workerId: string,
  leaseMs: number,
): Promise<QueueItem | undefined> {
  const { rows } = await db.query<QueueItem>(
    `UPDATE ${t.queue} SET lease_until = now() + make_interval(secs => $2::double precision / 1000), leased_by = $1
      WHERE id = (
        SELECT id FROM ${t.queue}
         WHERE run_at <= now() AND (lease_until IS NULL OR lease_until < now()) AND concurrency_keys = '{}'
         ORDER BY run_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      RETURNING id, run_id, kind, step_id, attempt, concurrency_keys`,
    [workerId, leaseMs],
  );
  return rows[0];
}

/** An item under concurrency limits; run inside a transaction (the key locks are transaction-scoped). */
export async function leaseLimited(
  db: Db,
  t: Tables,
  workerId: string,
  leaseMs: number,
): Promise<QueueItem | undefined> {
  const { rows } = await db.query<QueueItem>(
    `SELECT id, run_id, kind, step_id, attempt, concurrency_keys FROM ${t.queue}
      WHERE run_at <= now() AND (lease_until IS NULL OR lease_until < now()) AND concurrency_keys <> '{}'
      ORDER BY run_at LIMIT ${CANDIDATES} FOR UPDATE SKIP LOCKED`,
  );
  for (const item of rows) {
    if (item.kind === "call" && !(await withinConcurrencyLimits(db, t, item))) continue;
    await db.query(
      `UPDATE ${t.queue} SET lease_until = now() + make_interval(secs => $3::double precision / 1000), leased_by = $2
        WHERE id = $1`,
      [item.id, workerId, leaseMs],
    );
    return item;
  }
  return undefined;
}

async function withinConcurrencyLimits(db: Db, t: Tables, item: QueueItem): Promise<boolean> {
  for (const key of item.concurrency_keys) {
    const limit = Number(key.split("|")[0]);
    await db.query("SELECT pg_advisory_xact_lock(hashtext($1))", [key]);
    const { rows } = await db.query<{ active: number }>(
      `SELECT count(*)::int AS active FROM ${t.queue}
        WHERE lease_until > now() AND kind = 'call' AND concurrency_keys @> ARRAY[$1]::text[]`,
      [key],
    );
    if ((rows[0]?.active ?? 0) >= limit) return false;
  }
  return true;
}

/** Is anything due that no one holds? (cheap check for the idle poller) */
export async function hasDueWork(db: Db, t: Tables): Promise<boolean> {
  const { rowCount } = await db.query(
    `SELECT 1 FROM ${t.queue} WHERE run_at <= now() AND (lease_until IS NULL OR lease_until < now()) LIMIT 1`,
  );
  return (rowCount ?? 0) > 0;
}
