import { ScrollTextIcon } from "lucide-react";
import type { Metadata } from "next";
import { EmptyState } from "@/components/app-shell/empty-state";
import { PageHeader } from "@/components/app-shell/page-header";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditLogPage() {
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed what, and when, across this organisation."
      />
      <EmptyState
        icon={ScrollTextIcon}
        title="No audit events yet"
        description="Changes to workflows, members, credentials, webhook endpoints and settings, and every run state change, will be recorded here."
      />
    </>
  );
}
