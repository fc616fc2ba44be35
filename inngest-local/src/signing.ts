import { createHmac } from "node:crypto";
import canonicalize from "canonicalize";

// Cloud-mode request signing, as the SDK verifies it (inngest-js
// src/helpers/net.ts): HMAC-SHA256 keyed with the signing key minus its
// `signkey-<env>-` prefix, used as text, over the RFC 8785 canonical JSON of
// the body followed by the unix timestamp.
export function signRequest(body: unknown, signingKey: string, now = Date.now()): string {
  const timestamp = Math.floor(now / 1_000);
  const key = signingKey.replace(/^signkey-\w+-/, "");
  const canonical = canonicalize(body) ?? "";
  const signature = createHmac("sha256", key)
    .update(canonical + timestamp)
    .digest("hex");
  return `t=${timestamp}&s=${signature}`;
}
