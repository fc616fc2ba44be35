import type { MemberRole } from "@/lib/generated/prisma/enums";

// The one permission matrix: route handlers, server actions and UI controls
// all ask `can(role, permission)`. Adding a capability means adding it here.

export const ROLES = [
  "owner",
  "admin",
  "editor",
  "viewer",
] as const satisfies readonly MemberRole[];
export type Role = (typeof ROLES)[number];

const READ = [
  "organization:read",
  "members:read",
  "audit:read",
  "workflows:read",
  "runs:read",
] as const;
// credentials:read shows credentials' metadata (name, kind, masked hint,
// settings such as allowed hosts) — never a secret, which no role can read
// back. Editors need it to pick a credential for a workflow step; viewers
// do not, and the hosts an organisation holds keys for are not theirs to map.
const EDIT = [
  "workflows:edit",
  "workflows:publish",
  "runs:start",
  "runs:cancel",
  "runs:approve",
  "credentials:read",
] as const;
const ADMIN = [
  "organization:update",
  "members:invite",
  "members:update",
  "members:remove",
  "api-keys:manage",
  "credentials:manage",
  "webhooks:manage",
] as const;
const OWNER = ["members:manage-owners"] as const;

export type Permission =
  | (typeof READ)[number]
  | (typeof EDIT)[number]
  | (typeof ADMIN)[number]
  | (typeof OWNER)[number];

const MATRIX: Record<Role, ReadonlySet<Permission>> = {
  owner: new Set([...READ, ...EDIT, ...ADMIN, ...OWNER]),
  admin: new Set([...READ, ...EDIT, ...ADMIN]),
  editor: new Set([...READ, ...EDIT]),
  viewer: new Set(READ),
};

export function can(role: Role, permission: Permission): boolean {
  return MATRIX[role].has(permission);
}

export function permissionsOf(role: Role): Permission[] {
  return [...MATRIX[role]];
}

/** Owners may grant any role; admins may grant any role but owner. */
export function canGrant(actorRole: Role, targetRole: Role): boolean {
  if (targetRole === "owner") return can(actorRole, "members:manage-owners");
  return can(actorRole, "members:update");
}
