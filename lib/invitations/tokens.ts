import { randomBytes } from "node:crypto";
import { sha256Hex } from "@/lib/sha256";

// 256-bit random tokens; only their sha256 is stored, so a database leak
// yields no usable invitation links.
export function newInvitationToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString("base64url");
  return { token, tokenHash: hashInvitationToken(token) };
}

export function hashInvitationToken(token: string): string {
  return sha256Hex(token);
}

export const INVITATION_TTL_DAYS = 7;
