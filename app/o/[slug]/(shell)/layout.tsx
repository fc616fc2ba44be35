import type * as React from "react";
import { SidebarNav } from "@/components/app-shell/sidebar-nav";

// The organisation's pages with the sidebar; the workflow designer has the
// whole width instead (see the (designer) group).

type ShellLayoutProps = { children: React.ReactNode; params: Promise<{ slug: string }> };

export default async function ShellLayout({ children, params }: ShellLayoutProps) {
  const { slug } = await params;
  return (
    <div className="flex flex-1 flex-col md:flex-row">
      <aside className="shrink-0 border-b bg-background md:sticky md:top-14 md:h-[calc(100dvh-3.5rem)] md:w-60 md:border-r md:border-b-0">
        <SidebarNav slug={slug} />
      </aside>
      <main id="main-content" className="min-w-0 flex-1 px-4 py-6 md:px-8 md:py-8">
        <div className="mx-auto w-full max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
