"use client";

import { signOut } from "next-auth/react";

/**
 * Signs out, then loads `path` on this site. next-auth's own redirect is
 * built from NEXTAUTH_URL, which falls back to http://localhost:3000 when
 * unset (next-auth/utils/parse-url.js), so we navigate ourselves. A full page
 * load also drops every query the signed-out user had cached.
 */
export async function signOutTo(path: string): Promise<void> {
  await signOut({ redirect: false });
  window.location.assign(path);
}
