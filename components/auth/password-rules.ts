/** Shown under every new-password field; mirrors lib/auth/password-policy.ts. */
export const PASSWORD_RULES_HINT =
  "At least 12 characters, using at least 5 different characters. Avoid common passwords.";
