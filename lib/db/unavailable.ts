// Telling "the database is down" apart from a bug: callers answer 503 (the
// client should retry, e.g. a webhook sender) instead of 500.

const CONNECTION_CODES = new Set([
  "P1001", // can't reach database server
  "P1002", // timed out
  "P1017", // server closed the connection
  "P2024", // timed out fetching a connection from the pool
  "P2028", // could not start a transaction in time (an overloaded pool)
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "08000",
  "08001",
  "08003",
  "08006",
]);
const CONNECTION_MESSAGE =
  /ECONNREFUSED|ECONNRESET|Connection terminated|connection (was )?(closed|lost)|Can't reach database|terminating connection|the database system is (starting up|shutting down)|timeout exceeded when trying to connect/i;

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 5) return false;
  const { code, message, cause, originalCode } = error as {
    code?: unknown;
    message?: unknown;
    cause?: unknown;
    originalCode?: unknown;
  };
  if (typeof code === "string" && CONNECTION_CODES.has(code)) return true;
  if (typeof originalCode === "string" && CONNECTION_CODES.has(originalCode)) return true;
  if (typeof message === "string" && CONNECTION_MESSAGE.test(message)) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
