import { canGrant, ROLES, type Role } from "@/lib/permissions";

export const ROLE_LABELS: Record<Role, string> = {
  owner: "Owner",
  admin: "Admin",
  editor: "Editor",
  viewer: "Viewer",
};

/** The roles `actorRole` may hand out, most powerful first. */
export function grantableRoles(actorRole: Role): Role[] {
  return ROLES.filter((role) => canGrant(actorRole, role));
}
