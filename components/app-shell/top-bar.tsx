import Link from "next/link";
import { Logo } from "@/components/brand/logo";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import type { OrganizationSummary } from "@/lib/db/accounts";

const PLAN_LABEL: Record<OrganizationSummary["plan"], { label: string; variant: BadgeVariant }> = {
  free: { label: "Free", variant: "secondary" },
  team: { label: "Team", variant: "default" },
  enterprise: { label: "Enterprise", variant: "outline" },
};

export function TopBar({ org }: { org: Pick<OrganizationSummary, "slug" | "name" | "plan"> }) {
  const plan = PLAN_LABEL[org.plan];
  return (
    <header className="sticky top-0 z-40 flex h-14 shrink-0 items-center gap-3 border-b bg-background/95 px-4 backdrop-blur supports-[backdrop-filter]:bg-background/80 md:px-6">
      <Link
        href={`/o/${encodeURIComponent(org.slug)}/workflows`}
        className="rounded-md focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
      >
        <Logo markOnly className="sm:hidden" />
        <Logo className="hidden sm:inline-flex" />
      </Link>
      <span aria-hidden="true" className="h-5 w-px bg-border" />
      <div className="flex min-w-0 items-center gap-2">
        <span data-testid="org-name" className="truncate text-sm font-medium">
          {org.name}
        </span>
        <Badge variant={plan.variant}>
          {plan.label}
          <span className="sr-only"> plan</span>
        </Badge>
      </div>
    </header>
  );
}
