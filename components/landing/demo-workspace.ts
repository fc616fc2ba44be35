/** The seeded demo organisation that the public landing page invites visitors into. */
export const DEMO_WORKSPACE_PATH = "/o/acme/workflows";

/** The workspace needs a signed-in member, so demo links go through sign-in and come back. */
export const DEMO_SIGN_IN_PATH = `/sign-in?callbackUrl=${encodeURIComponent(DEMO_WORKSPACE_PATH)}`;
