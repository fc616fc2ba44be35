import { parseWith } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import { auditLogFilterSchema, listAuditLog } from "@/lib/audit-log/query";

export const GET = orgRoute("audit:read", async (context) => {
  const filter = parseWith(auditLogFilterSchema, Object.fromEntries(context.url.searchParams));
  return listAuditLog(context, filter);
});
