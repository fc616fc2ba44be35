// Where to send someone after signing in. Only same-site paths are allowed:
// a callbackUrl taken from the query string is attacker-controlled, and
// "//evil.example", "/\evil.example" or an absolute URL would be an open redirect.

/** The server redirect page that forwards to the user's first organisation. */
export const DEFAULT_AFTER_SIGN_IN = "/app";

const PLACEHOLDER_ORIGIN = "http://officeflow.invalid";

export function safeCallbackUrl(value: unknown, fallback = DEFAULT_AFTER_SIGN_IN): string {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== "string" || !raw.startsWith("/") || raw.startsWith("//")) return fallback;
  // Parse the way a browser would: it strips tabs and newlines and reads "\" as "/",
  // so "/\t/evil.example" and "/\evil.example" resolve to another host.
  let url: URL;
  try {
    url = new URL(raw, PLACEHOLDER_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return fallback;
  // Coming back to the sign-in or sign-up page after signing in would go nowhere.
  if (url.pathname === "/sign-in" || url.pathname === "/sign-up") return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
