import { createHash } from "node:crypto";

/** Lower-case hex sha256: how API keys and invitation tokens are stored (never the secrets themselves). */
export function sha256Hex(value: string | Buffer): string {
  return createHash("sha256").update(value).digest("hex");
}
