import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { authOptions } from "@/lib/auth/options";
import { findUserById } from "@/lib/db/accounts";

export type SessionUser = { id: string; email: string; name: string | null };

/**
 * The signed-in user, re-read from the database so a deleted user's cookie
 * stops working; memoised per request (layout and page both ask).
 */
export const currentUser = cache(async (): Promise<SessionUser | null> => {
  const session = await getServerSession(authOptions);
  const id = (session?.user as { id?: string } | undefined)?.id;
  if (!id) return null;
  return findUserById(id);
});
