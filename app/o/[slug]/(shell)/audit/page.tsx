import type { Metadata } from "next";
import { PageHeader } from "@/components/app-shell/page-header";
import { AuditLogView } from "@/components/audit/audit-log-view";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditLogPage() {
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Who changed what, and when, across this organisation."
      />
      <AuditLogView />
    </>
  );
}
