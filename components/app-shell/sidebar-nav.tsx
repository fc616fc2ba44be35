"use client";

import {
  ActivityIcon,
  BookOpenIcon,
  LayoutDashboardIcon,
  type LucideIcon,
  ScrollTextIcon,
  SettingsIcon,
  WorkflowIcon,
} from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { cn } from "@/lib/cn";

type NavItem = { segment: string; label: string; icon: LucideIcon };

// Icons are components, which cannot cross the server/client boundary as props, so the
// items live here and the server layout only passes the organisation slug.
const NAV_ITEMS: readonly NavItem[] = [
  { segment: "workflows", label: "Workflows", icon: WorkflowIcon },
  { segment: "runs", label: "Runs", icon: ActivityIcon },
  { segment: "dashboard", label: "Dashboard", icon: LayoutDashboardIcon },
  { segment: "audit", label: "Audit log", icon: ScrollTextIcon },
  { segment: "settings", label: "Settings", icon: SettingsIcon },
];

function isActive(pathname: string, href: string) {
  return pathname === href || pathname.startsWith(`${href}/`);
}

export function SidebarNav({ slug }: { slug: string }) {
  const pathname = usePathname();
  const base = `/o/${encodeURIComponent(slug)}`;

  return (
    <div className="flex h-full flex-col">
      <nav aria-label="Main" className="px-3 py-2 md:py-4">
        <ul className="flex gap-1 overflow-x-auto md:flex-col md:overflow-visible">
          {NAV_ITEMS.map(({ segment, label, icon: Icon }) => {
            const href = `${base}/${segment}`;
            const active = isActive(pathname, href);
            return (
              <li key={segment}>
                <Link
                  href={href}
                  aria-current={active ? "page" : undefined}
                  className={cn(
                    "flex items-center gap-2.5 whitespace-nowrap rounded-md px-3 py-2 text-sm font-medium transition-colors",
                    "focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring",
                    active
                      ? "bg-primary/10 text-primary"
                      : "text-muted-foreground hover:bg-accent hover:text-accent-foreground",
                  )}
                >
                  <Icon aria-hidden="true" className="size-4 shrink-0" />
                  {label}
                </Link>
              </li>
            );
          })}
        </ul>
      </nav>
      {/* On small screens the user menu carries this link; the sidebar is a row of tabs there. */}
      <div className="mt-auto hidden px-3 pb-4 md:block">
        <Link
          href="/docs/api"
          className="flex items-center gap-2 rounded-md px-3 py-1.5 text-xs text-muted-foreground transition-colors hover:text-foreground focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
        >
          <BookOpenIcon aria-hidden="true" className="size-3.5 shrink-0" />
          API reference
        </Link>
      </div>
    </div>
  );
}
