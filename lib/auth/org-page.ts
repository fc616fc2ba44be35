import "server-only";
import { notFound, redirect } from "next/navigation";
import { currentUser } from "@/lib/auth/session";
import { membershipIn, membershipsOf } from "@/lib/db/accounts";
import { permissionsOf, type Role } from "@/lib/permissions";

/**
 * For pages under /o/{slug}: the signed-in member, or a redirect to sign-in;
 * a 404 for organisations the user does not belong to (whether or not they exist).
 * Checked in the page itself, never only in middleware.
 */
export async function requireOrgMember(slug: string, returnTo: string) {
  const user = await currentUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  const membership = await membershipIn(user.id, slug);
  if (!membership) notFound();
  const role = membership.role as Role;
  return {
    user,
    organization: membership.organization,
    role,
    permissions: permissionsOf(role),
    memberships: await membershipsOf(user.id),
  };
}
