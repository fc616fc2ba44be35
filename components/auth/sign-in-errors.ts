import { tooManyAttemptsMessage } from "./form-errors";

// next-auth reports failures as short codes, either from signIn() or as
// ?error= on the sign-in page after an OAuth round trip
// (https://next-auth.js.org/configuration/pages#sign-in-page).

const OAUTH_FAILURE =
  "Signing in with that provider did not work. Try again, or use your email and password.";

const MESSAGES: Record<string, string> = {
  CredentialsSignin: "Email or password is incorrect.",
  AccessDenied: "That account cannot sign in here. Your provider must confirm your email address.",
  OAuthSignin: OAUTH_FAILURE,
  OAuthCallback: OAUTH_FAILURE,
  OAuthCreateAccount: OAUTH_FAILURE,
  OAuthAccountNotLinked: OAUTH_FAILURE,
  Callback: OAUTH_FAILURE,
  SessionRequired: "Sign in to continue.",
};

export function signInErrorMessage(code: string): string {
  const rateLimited = /^RateLimited:(\d+)$/.exec(code);
  if (rateLimited) return tooManyAttemptsMessage(Number(rateLimited[1]));
  return MESSAGES[code] ?? "Sign-in failed. Try again.";
}
