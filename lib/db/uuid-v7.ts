import { randomBytes } from "node:crypto";

/**
 * A version 7 UUID (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random
 * bits. Prisma's `@default(uuid(7))` makes these for rows it creates; rows
 * lib/db inserts with SQL use this, so ids keep sorting by creation time (the
 * audit log pages by id).
 */
export function uuidV7(now: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = ((bytes[6] as number) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] as number) & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
