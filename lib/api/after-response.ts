import "server-only";
import { after } from "next/server";

/**
 * Runs `task` after the response is sent (Next's `after`, which keeps a
 * serverless function alive for it). Outside a request — a route handler
 * called directly by a test — there is no response to wait for, so the task
 * simply runs in the background. Failures are the task's to handle.
 */
export function afterResponse(task: () => Promise<unknown>): void {
  try {
    after(task);
  } catch {
    void task().catch(() => undefined);
  }
}
