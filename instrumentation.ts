// Runs once when the server starts: fail fast, naming the variable, when the
// environment is missing or malformed, instead of failing on the first request.
// The Node-only check lives in its own module so the Edge bundle never sees it.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { exitOnInvalidEnv } = await import("@/lib/startup/check-env");
    exitOnInvalidEnv();
  }
}
