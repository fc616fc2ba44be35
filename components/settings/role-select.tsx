import type * as React from "react";
import { cn } from "@/lib/cn";
import type { Role } from "@/lib/permissions";
import { ROLE_LABELS } from "./roles";

export type RoleSelectProps = Omit<React.ComponentProps<"select">, "value" | "onChange"> & {
  value: Role;
  /** Only these are offered; pass the result of grantableRoles(). */
  roles: readonly Role[];
  onValueChange: (role: Role) => void;
};

/** A native select: keyboard, screen-reader and mobile support come for free. */
export function RoleSelect({ value, roles, onValueChange, className, ...props }: RoleSelectProps) {
  return (
    <select
      value={value}
      onChange={(event) => onValueChange(event.target.value as Role)}
      className={cn(
        "h-9 rounded-md border border-input bg-background px-2.5 text-sm shadow-xs transition-colors",
        "focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40",
        "aria-invalid:border-destructive disabled:cursor-not-allowed disabled:opacity-50",
        className,
      )}
      {...props}
    >
      {roles.map((role) => (
        <option key={role} value={role}>
          {ROLE_LABELS[role]}
        </option>
      ))}
    </select>
  );
}
