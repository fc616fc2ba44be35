"use client";

import { BookOpenIcon, LogOutIcon } from "lucide-react";
import Link from "next/link";
import { signOutTo } from "@/components/auth/sign-out";
import { ROLE_LABELS } from "@/components/settings/roles";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { Role } from "@/lib/permissions";

function initialsOf(name: string | null, email: string): string {
  const words = (name ?? "").trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length > 0 ? words.map((word) => word[0]).join("") : (email[0] ?? "?").toString();
  return letters.slice(0, 2).toUpperCase();
}

export function UserMenu({
  user,
  role,
  organizationName,
}: {
  user: { name: string | null; email: string };
  role: Role;
  organizationName: string;
}) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" className="rounded-full" aria-label="Account menu">
          <span
            aria-hidden="true"
            className="flex size-8 items-center justify-center rounded-full bg-primary/10 text-xs font-semibold text-primary"
          >
            {initialsOf(user.name, user.email)}
          </span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel className="grid gap-1 font-normal">
          {user.name && (
            <span className="truncate text-sm font-medium text-foreground">{user.name}</span>
          )}
          <span data-testid="user-email" className="truncate">
            {user.email}
          </span>
          <span className="mt-1 flex items-center gap-1.5">
            <Badge variant="secondary">{ROLE_LABELS[role]}</Badge>
            <span className="truncate">in {organizationName}</span>
          </span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link href="/docs/api">
            <BookOpenIcon aria-hidden="true" />
            API reference
          </Link>
        </DropdownMenuItem>
        <DropdownMenuSeparator />
        <DropdownMenuItem onSelect={() => void signOutTo("/")}>
          <LogOutIcon aria-hidden="true" />
          Sign out
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
