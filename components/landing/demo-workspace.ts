/** The seeded demo organisation that the public landing page invites visitors into. */
export const DEMO_WORKSPACE_PATH = "/o/acme/workflows";
