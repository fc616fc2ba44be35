import { Cron } from "croner";

// Cron schedules for workflow triggers (croner: 5 or 6 fields, IANA zones).

export class ScheduleError extends Error {}

export function parseSchedule(cron: string, timezone: string): Cron {
  try {
    return new Cron(cron.trim(), { timezone, paused: true });
  } catch (error) {
    throw new ScheduleError(
      `"${cron}" is not a valid cron expression: ${(error as Error).message}`,
    );
  }
}

/** The first slot strictly after `after`, or null if the schedule never fires again. */
export function nextSlot(cron: string, timezone: string, after: Date): Date | null {
  return parseSchedule(cron, timezone).nextRun(after) ?? null;
}
