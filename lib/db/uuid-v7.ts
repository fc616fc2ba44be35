import { randomUUID } from "node:crypto";

/**
 * A version 7 UUID (RFC 9562 §5.7): 48 bits of Unix milliseconds, then random
 * bits. Prisma's `@default(uuid(7))` makes these for rows it creates; rows
 * lib/db inserts with SQL use this, so ids keep sorting by creation time (the
 * audit log pages by id). The random part is a v4 UUID's (its variant bits are
 * already RFC 9562's): randomUUID draws from a buffered pool, where a
 * randomBytes call per id asks the system for entropy each time.
 */
export function uuidV7(now: number = Date.now()): string {
  const time = now.toString(16).padStart(12, "0");
  // randomUUID: xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx; keep what follows the version digit.
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${randomUUID().slice(15)}`;
}
