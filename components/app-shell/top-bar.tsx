import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import type { OrganizationSummary } from "@/lib/db/accounts";
import type { Role } from "@/lib/permissions";
import { OrgSwitcher, type OrgSwitcherMembership } from "./org-switcher";
import { UserMenu } from "./user-menu";

const PLAN_LABEL: Record<OrganizationSummary["plan"], { label: string; variant: BadgeVariant }> = {
  free: { label: "Free", variant: "secondary" },
  team: { label: "Team", variant: "default" },
  enterprise: { label: "Enterprise", variant: "outline" },
};

export type TopBarProps = {
  organization: Pick<OrganizationSummary, "slug" | "name" | "plan">;
  role: Role;
  user: { name: string | null; email: string };
  memberships: OrgSwitcherMembership[];
};

export function TopBar({ organization, role, user, memberships }: TopBarProps) {
  const plan = PLAN_LABEL[organization.plan];
  return (
    <header className="sticky top-0 z-40 flex h-14 shrink-0 items-center gap-3 border-b bg-background/95 px-4 backdrop-blur supports-[backdrop-filter]:bg-background/80 md:px-6">
      <Link
        href={`/o/${encodeURIComponent(organization.slug)}/workflows`}
        className="rounded-md focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
      >
        <Logo markOnly className="sm:hidden" />
        <Logo className="hidden sm:inline-flex" />
      </Link>
      <span aria-hidden="true" className="h-5 w-px bg-border" />
      <div className="flex min-w-0 items-center gap-1">
        <OrgSwitcher
          currentSlug={organization.slug}
          currentName={organization.name}
          memberships={memberships}
        />
        <Badge variant={plan.variant} className="hidden sm:inline-flex">
          {plan.label}
          <span className="sr-only"> plan</span>
        </Badge>
      </div>
      <div className="ml-auto flex items-center">
        <UserMenu user={user} role={role} organizationName={organization.name} />
      </div>
    </header>
  );
}
