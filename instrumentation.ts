// Runs once when the server starts: fail fast, naming the variable, when the
// environment is missing or malformed, instead of failing on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { parseServerEnv, EnvError } = await import("@/lib/env");
  try {
    parseServerEnv(process.env);
  } catch (error) {
    if (error instanceof EnvError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}
