"use client";

import { CheckIcon, ChevronsUpDownIcon } from "lucide-react";
import Link from "next/link";
import { ROLE_LABELS } from "@/components/settings/roles";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import type { Role } from "@/lib/permissions";

export type OrgSwitcherMembership = { slug: string; name: string; role: Role };

/** The current organisation's name, opening a list of every organisation the user belongs to. */
export function OrgSwitcher({
  currentSlug,
  currentName,
  memberships,
}: {
  currentSlug: string;
  currentName: string;
  memberships: OrgSwitcherMembership[];
}) {
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          className="min-w-0 gap-1.5 px-2"
          aria-label={`Switch organisation (current: ${currentName})`}
        >
          <span data-testid="org-name" className="truncate text-sm font-medium">
            {currentName}
          </span>
          <ChevronsUpDownIcon aria-hidden="true" className="text-muted-foreground" />
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64">
        <DropdownMenuLabel>Your organisations</DropdownMenuLabel>
        {memberships.map((membership) => {
          const current = membership.slug === currentSlug;
          return (
            <DropdownMenuItem key={membership.slug} asChild>
              <Link
                href={`/o/${encodeURIComponent(membership.slug)}/workflows`}
                aria-current={current ? "page" : undefined}
              >
                <CheckIcon aria-hidden="true" className={current ? "text-primary" : "invisible"} />
                <span className="min-w-0 flex-1 truncate">{membership.name}</span>
                <Badge variant="outline" className="text-muted-foreground">
                  {ROLE_LABELS[membership.role]}
                </Badge>
              </Link>
            </DropdownMenuItem>
          );
        })}
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
