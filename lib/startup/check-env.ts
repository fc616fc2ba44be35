import { EnvError, parseServerEnv } from "@/lib/env";

/** Exits the server at start, naming each variable at fault, when the environment is invalid. */
export function exitOnInvalidEnv(): void {
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
