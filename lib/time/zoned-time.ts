// Turning "2026-12-01 at 09:30 in Europe/Berlin" into an instant, with Intl
// only (no tz database package): guess the instant as if the wall time were
// UTC, measure the zone's offset at that instant, correct, and measure again
// so the answer is right on both sides of a DST change.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

export class ZonedTimeError extends Error {}

export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The zone's offset from UTC at `instant`, in milliseconds (Berlin in winter: +3_600_000). */
export function zoneOffsetMs(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((part) => part.type === type)?.value);
  const asUtc = Date.UTC(
    get("year"),
    get("month") - 1,
    get("day"),
    get("hour"),
    get("minute"),
    get("second"),
  );
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** `date` (YYYY-MM-DD, or an ISO timestamp whose date part is used) at `time` (HH:MM) in `zone`. */
export function zonedTimeToInstant(date: string, time: string, zone: string): Date {
  const dateMatch = DATE.exec(date.trim().slice(0, 10));
  if (!dateMatch) throw new ZonedTimeError(`"${date}" is not a date (expected YYYY-MM-DD)`);
  const timeMatch = TIME.exec(time.trim());
  if (!timeMatch) throw new ZonedTimeError(`"${time}" is not a time of day (expected HH:MM)`);
  if (!isValidTimeZone(zone)) throw new ZonedTimeError(`"${zone}" is not an IANA time zone`);
  const [, year, month, day] = dateMatch.map(Number) as [number, number, number, number];
  const [, hour, minute] = timeMatch.map(Number) as [number, number, number];
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day)
    throw new ZonedTimeError(`"${date}" is not a real date`);
  const first = wall - zoneOffsetMs(new Date(wall), zone);
  const second = wall - zoneOffsetMs(new Date(first), zone);
  return new Date(second);
}

const UNIT_MS = { seconds: 1000, minutes: 60_000, hours: 3_600_000, days: 86_400_000 } as const;
export type DurationUnit = keyof typeof UNIT_MS;
export const DURATION_UNITS = Object.keys(UNIT_MS) as DurationUnit[];

export function durationMs(duration: { amount: number; unit: DurationUnit }): number {
  return duration.amount * UNIT_MS[duration.unit];
}
