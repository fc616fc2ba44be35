import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { auditLogFilterSchema, exportAuditLogCsv } from "@/lib/audit-log/query";

export const GET = orgRoute("audit:read", async (context) => {
  const filter = parseWith(auditLogFilterSchema, Object.fromEntries(context.url.searchParams));
  const csv = await exportAuditLogCsv(context, filter);
  const day = new Date().toISOString().slice(0, 10);
  return new Response(csv, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="audit-log-${context.organization.slug}-${day}.csv"`,
      "cache-control": "no-store",
    },
  });
});
