import "server-only";
import { pingDatabase } from "@/lib/db/health";

export type DependencyCheck = { ok: true; latencyMs: number } | { ok: false; reason: string };

const DATABASE_CHECK_TIMEOUT_MS = 2_000;

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  // Driver errors can embed the connection string; keep only the first line, without credentials.
  return (message.split("\n").find((line) => line.trim()) ?? "unknown error")
    .replace(/postgres(ql)?:\/\/[^\s@]*@/g, "postgresql://***@")
    .trim()
    .slice(0, 300);
}

/** Readiness of Postgres: one round trip, bounded so a hung server answers "not ready" quickly. */
export async function checkDatabase(): Promise<DependencyCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${DATABASE_CHECK_TIMEOUT_MS} ms`)),
      DATABASE_CHECK_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([pingDatabase(), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { ok: false, reason: `database unavailable: ${describeError(error)}` };
  } finally {
    clearTimeout(timer);
  }
}
