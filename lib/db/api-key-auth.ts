import "server-only";
import { db } from "@/lib/db/client";
import { sha256Hex } from "@/lib/sha256";

// API keys are looked up by the hash of the presented secret before any
// tenant is known; this is the only cross-tenant read of ApiKey.

export function hashApiKey(secret: string): string {
  return sha256Hex(secret);
}

export async function findActiveApiKey(secret: string) {
  const key = await db().apiKey.findUnique({
    where: { keyHash: hashApiKey(secret) },
    select: {
      id: true,
      name: true,
      role: true,
      revokedAt: true,
      expiresAt: true,
      lastUsedAt: true,
      organization: { select: { id: true, slug: true, name: true, plan: true } },
    },
  });
  if (!key || key.revokedAt || (key.expiresAt && key.expiresAt < new Date())) return null;
  // Last-used is informational; write it at most once a minute per key.
  if (!key.lastUsedAt || Date.now() - key.lastUsedAt.getTime() > 60_000) {
    await db().apiKey.update({ where: { id: key.id }, data: { lastUsedAt: new Date() } });
  }
  return key;
}
