import { randomUUID } from "node:crypto";
import { nextCronRun, parseFunctionConfig, SyncError } from "./functions";
import { signRequest } from "./signing";
import type { Db, Tables } from "./state";

// Registering an app's functions, from either sync flavour: in-band (we PUT
// the app and it answers with its functions) or out-of-band (the app POSTs
// /fn/register to us). Validation happens before anything is written.

export type SyncedApp = { appId: string; functions: string[] };

export function readRegistration(body: unknown): {
  url: string;
  appId: string;
  functions: unknown[];
} {
  if (typeof body !== "object" || body === null)
    throw new SyncError("sync body must be a JSON object");
  const record = body as Record<string, unknown>;
  const url = record.url;
  const appId = record.appName ?? record.app_id;
  if (typeof url !== "string" || !URL.canParse(url))
    throw new SyncError('sync body: "url" must be the app\'s serve URL');
  if (typeof appId !== "string" || appId === "")
    throw new SyncError('sync body: "appName" (or "app_id") is required');
  if (!Array.isArray(record.functions))
    throw new SyncError('sync body: "functions" must be an array');
  return { url, appId, functions: record.functions };
}

export async function registerApp(
  db: Db,
  t: Tables,
  registration: { url: string; appId: string; functions: unknown[] },
): Promise<SyncedApp> {
  const configs = registration.functions.map(parseFunctionConfig);
  await db.query(
    `INSERT INTO ${t.apps} (url, app_id, synced_at) VALUES ($1, $2, now())
     ON CONFLICT (url) DO UPDATE SET app_id = excluded.app_id, synced_at = now()`,
    [registration.url, registration.appId],
  );
  await db.query(`DELETE FROM ${t.functions} WHERE app_url = $1 AND NOT (id = ANY($2::text[]))`, [
    registration.url,
    configs.map((c) => c.id),
  ]);
  for (const config of configs) {
    await db.query(
      `INSERT INTO ${t.functions} (id, uuid, app_url, name, config, updated_at) VALUES ($1, $2, $3, $4, $5, now())
       ON CONFLICT (id) DO UPDATE SET app_url = excluded.app_url, name = excluded.name, config = excluded.config, updated_at = now()`,
      [config.id, randomUUID(), registration.url, config.name ?? config.id, JSON.stringify(config)],
    );
    await db.query(`DELETE FROM ${t.triggers} WHERE function_id = $1`, [config.id]);
    for (const trigger of config.triggers) {
      if ("event" in trigger) {
        await db.query(
          `INSERT INTO ${t.triggers} (function_id, event_name, expression) VALUES ($1, $2, $3)`,
          [config.id, trigger.event, trigger.expression ?? null],
        );
      } else {
        await db.query(
          `INSERT INTO ${t.triggers} (function_id, cron, next_at) VALUES ($1, $2, $3)`,
          [config.id, trigger.cron, nextCronRun(trigger.cron, new Date())],
        );
      }
    }
  }
  return { appId: registration.appId, functions: configs.map((c) => c.id) };
}

/** In-band sync: PUT the serve URL and register the functions it answers with. */
export async function fetchInBandRegistration(
  appUrl: string,
  signingKey?: string,
): Promise<{ url: string; appId: string; functions: unknown[] }> {
  const body = { url: appUrl };
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "x-inngest-sync-kind": "in_band",
    "x-inngest-server-kind": signingKey ? "cloud" : "dev",
  };
  // A cloud-mode SDK only answers an in-band sync that carries a valid signature.
  if (signingKey) headers["x-inngest-signature"] = signRequest(body, signingKey);
  let response: Response;
  try {
    response = await fetch(appUrl, {
      method: "PUT",
      headers,
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new SyncError(
      `could not reach ${appUrl}: ${(error as { cause?: Error }).cause?.message ?? (error as Error).message}`,
    );
  }
  const text = await response.text();
  if (!response.ok || response.headers.get("x-inngest-sync-kind") !== "in_band") {
    throw new SyncError(
      `in-band sync of ${appUrl} failed: HTTP ${response.status} ${text.slice(0, 300)}`,
    );
  }
  const registration = JSON.parse(text) as Record<string, unknown>;
  return readRegistration({ ...registration, url: registration.url ?? appUrl });
}
