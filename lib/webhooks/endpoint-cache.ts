import "server-only";
import { findEndpointForIngest } from "@/lib/db/webhook-endpoint-lookup";
import type { WebhookSourceType } from "@/lib/generated/prisma/client";
import { type OpenedEndpointSecrets, openEndpointSecrets } from "./endpoint-secrets";

// The webhook endpoint's row and its opened secrets, kept in process memory
// for a few seconds: an HR system's burst then costs one endpoint read and one
// AES-GCM open per endpoint per TTL instead of one per delivery
// (npm run bench:webhooks).
//
// Staleness, and why it is bounded:
// - This instance: the settings service (lib/webhooks/endpoints.ts) forgets an
//   endpoint after every change it commits (disable, config, rotate, delete),
//   so the instance that served the change sees it at once. An entry is
//   stored when its read starts and only ever removed afterwards, so a read
//   that was under way when the change committed cannot bring the old row
//   back once the entry is forgotten.
// - Other instances (the app is stateless and may run several): they keep
//   what they read for at most TTL_MS. A disabled or deleted endpoint may
//   still accept deliveries there for up to 5 s, a re-enabled one may answer
//   404 for up to 5 s (the sender retries), and a secret replaced with no
//   overlap may verify for up to 5 s longer. The previous secret's own
//   window is checked at each delivery's time, never at caching time.
// - Plaintext secrets stay in memory for at most TTL_MS after a read; they
//   are never logged or returned, as before.
// Unknown endpoint ids are not cached: a new endpoint works on every instance
// at once, and requests to ids that name nothing cost what they cost before.

export const ENDPOINT_CACHE_TTL_MS = 5_000;
const MAX_ENTRIES = 1_000;

export type IngestEndpoint = {
  id: string;
  organizationId: string;
  sourceType: WebhookSourceType;
  config: unknown;
  enabled: boolean;
  secrets: OpenedEndpointSecrets;
};

type Entry = { expiresAt: number; endpoint: Promise<IngestEndpoint | null> };

// On globalThis so that `next dev` hot reloads of this module share one cache
// (and the settings service forgets entries in the one the route reads).
const globalForCache = globalThis as unknown as {
  officeflowEndpointCache?: Map<string, Entry>;
};
globalForCache.officeflowEndpointCache ??= new Map();
const entries: Map<string, Entry> = globalForCache.officeflowEndpointCache;

async function load(endpointId: string): Promise<IngestEndpoint | null> {
  const row = await findEndpointForIngest(endpointId);
  if (!row) return null;
  return {
    id: row.id,
    organizationId: row.organizationId,
    sourceType: row.sourceType,
    config: row.config,
    enabled: row.enabled,
    // Opening a disabled endpoint's secrets would be wasted (it answers 404).
    secrets: row.enabled ? openEndpointSecrets(row) : { current: "", previous: null },
  };
}

/**
 * The endpoint a delivery is addressed to, or null when there is none.
 * Concurrent deliveries to an uncached endpoint share one read.
 */
export function endpointForIngest(endpointId: string): Promise<IngestEndpoint | null> {
  const at = Date.now();
  const cached = entries.get(endpointId);
  if (cached && cached.expiresAt > at) return cached.endpoint;
  if (cached) entries.delete(endpointId);

  const endpoint = load(endpointId);
  const entry: Entry = { expiresAt: at + ENDPOINT_CACHE_TTL_MS, endpoint };
  entries.set(endpointId, entry);
  if (entries.size > MAX_ENTRIES) {
    // Oldest first (a Map keeps insertion order).
    entries.delete(entries.keys().next().value as string);
  }
  const drop = () => {
    if (entries.get(endpointId) === entry) entries.delete(endpointId);
  };
  // Nothing to keep for an unknown id; after a failure (the database was
  // unavailable, a secret would not open) the next delivery reads again.
  endpoint.then((found) => found ?? drop(), drop);
  return endpoint;
}

/** Call after committing any change to an endpoint (settings, secret, deletion). */
export function forgetEndpoint(endpointId: string): void {
  entries.delete(endpointId);
}
