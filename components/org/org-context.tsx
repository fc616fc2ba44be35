"use client";

import { createContext, type ReactNode, useContext } from "react";
import type { Permission, Role } from "@/lib/permissions";

// What the signed-in member may do in this organisation, for hiding controls.
// The server checks every action again; this only keeps the UI honest.

export type OrgSession = {
  organization: { id: string; slug: string; name: string; plan: "free" | "team" | "enterprise" };
  role: Role;
  permissions: Permission[];
  user: { id: string; email: string; name: string | null };
};

const OrgContext = createContext<OrgSession | null>(null);

export function OrgProvider({ value, children }: { value: OrgSession; children: ReactNode }) {
  return <OrgContext.Provider value={value}>{children}</OrgContext.Provider>;
}

export function useOrg(): OrgSession & { can: (permission: Permission) => boolean } {
  const value = useContext(OrgContext);
  if (!value) throw new Error("useOrg() outside <OrgProvider>");
  return { ...value, can: (permission) => value.permissions.includes(permission) };
}
