import type * as React from "react";
import { TopBar } from "@/components/app-shell/top-bar";
import { OrgProvider } from "@/components/org/org-context";
import { requireOrgMember } from "@/lib/auth/org-page";
import type { Role } from "@/lib/permissions";

// Membership is checked per request; without this the production build would
// try to prerender and query the database at build time.
export const dynamic = "force-dynamic";

type OrganizationLayoutProps = {
  children: React.ReactNode;
  params: Promise<{ slug: string }>;
};

export default async function OrganizationLayout({ children, params }: OrganizationLayoutProps) {
  const { slug } = await params;
  const { user, organization, role, permissions, memberships } = await requireOrgMember(
    slug,
    `/o/${encodeURIComponent(slug)}`,
  );

  return (
    <OrgProvider value={{ organization, role, permissions, user }}>
      <div className="flex min-h-dvh flex-col bg-muted/30">
        <a
          href="#main-content"
          className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-background focus:px-3 focus:py-2 focus:text-sm focus:shadow-md focus:ring-2 focus:ring-ring"
        >
          Skip to content
        </a>
        <TopBar
          organization={organization}
          role={role}
          user={user}
          memberships={memberships.map((membership) => ({
            slug: membership.organization.slug,
            name: membership.organization.name,
            role: membership.role as Role,
          }))}
        />
        {children}
      </div>
    </OrgProvider>
  );
}
