import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Tenant data is reached only through forOrg() (lib/db/tenant.ts). Code
// outside lib/db may not import the raw database client, and nothing outside
// lib/db may name a tenant-owned model on a raw client. This fails the build
// the day someone queries around the tenant scope.

const ROOTS = ["app", "components", "lib", "inngest"];
const SKIP = [/^lib\/db\//, /^lib\/generated\//, /\.test\.tsx?$/];
const RAW_CLIENT_IMPORT =
  /from\s+["'](@\/lib\/db\/client|@\/lib\/db\/create-client|(\.\.?\/)+(lib\/)?db\/(client|create-client))["']/;
const TENANT_MODEL_DELEGATES =
  /\b(db\(\)|prisma|tx)\s*\.\s*(membership|invitation|apiKey|credential|workflow|workflowVersion|workflowRun|stepRun|lifecycleEvent|webhookEndpoint|webhookDelivery|auditLog)\b/;

// Modules outside lib/db allowed to use the raw client, for non-tenant tables only.
const RAW_CLIENT_ALLOWED = new Set(["lib/mail/dev-mailbox.ts"]);

function sourceFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const relative = path.relative(process.cwd(), full).split(path.sep).join("/");
      if (entry.isDirectory()) walk(full);
      else if (/\.tsx?$/.test(entry.name) && !SKIP.some((rule) => rule.test(relative)))
        files.push(relative);
    }
  };
  for (const root of ROOTS) walk(path.resolve(root));
  return files;
}

describe("the tenant boundary", () => {
  it("only lib/db (and explained exceptions) import the raw database client", () => {
    const offenders = sourceFiles().filter(
      (file) => RAW_CLIENT_IMPORT.test(readFileSync(file, "utf8")) && !RAW_CLIENT_ALLOWED.has(file),
    );
    expect(offenders, "import forOrg from @/lib/db/tenant instead").toEqual([]);
  });

  it("no module outside lib/db touches a tenant-owned model on a raw client", () => {
    const offenders = sourceFiles().filter((file) => {
      const source = readFileSync(file, "utf8");
      return RAW_CLIENT_IMPORT.test(source) && TENANT_MODEL_DELEGATES.test(source);
    });
    expect(offenders).toEqual([]);
  });

  it("catches a violation (the check itself works)", () => {
    const bad = `import { db } from "@/lib/db/client";\nexport const rows = () => db().workflowRun.findMany();`;
    expect(RAW_CLIENT_IMPORT.test(bad) && TENANT_MODEL_DELEGATES.test(bad)).toBe(true);
  });
});
