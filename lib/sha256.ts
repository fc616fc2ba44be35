import { createHash } from "node:crypto";

/** Lower-case hex sha256: how API keys and invitation tokens are stored (never the secrets themselves). */
export function sha256Hex(value: string | Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}

/**
 * A UUID-shaped id derived from `seed`: the same seed always gives the same id,
 * so work that may be done twice (a redelivered event, a repeated sweep)
 * creates one row, not two.
 */
export function derivedUuid(seed: string): string {
  const hex = sha256Hex(seed);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
