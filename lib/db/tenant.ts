import "server-only";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import type { Prisma } from "@/lib/generated/prisma/client";

// The one way to reach tenant data: `forOrg(organizationId)` returns a Prisma
// client on which every query of a tenant-owned model is filtered by, and
// every write stamped with, that organisation. A caller cannot widen it: an
// organizationId it passes in `where` or `data` is overwritten.
// lib/db/tenant-boundary.test.ts fails when code outside lib/db reaches
// tenant-owned models any other way.

export const TENANT_MODELS = new Set<Prisma.ModelName>([
  "Membership",
  "Invitation",
  "ApiKey",
  "Credential",
  "Workflow",
  "WorkflowVersion",
  "WorkflowRun",
  "StepRun",
  "LifecycleEvent",
  "WebhookEndpoint",
  "WebhookDelivery",
  "AuditLog",
  "Approval",
  "ApprovalToken",
]);

const UNIQUE_WHERE = new Set(["findUnique", "findUniqueOrThrow", "update", "delete", "upsert"]);
const FILTERED = new Set([
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "updateMany",
  "updateManyAndReturn",
  "deleteMany",
]);
const CREATES = new Set(["create", "createMany", "createManyAndReturn"]);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Args = Record<string, unknown> & {
  where?: Record<string, unknown>;
  data?: unknown;
  create?: unknown;
};

function stamp(data: unknown, organizationId: string): unknown {
  if (Array.isArray(data)) return data.map((row) => stamp(row, organizationId));
  const { organization: _ignored, ...rest } = (data ?? {}) as Record<string, unknown>;
  return { ...rest, organizationId };
}

function unstamp(data: unknown): Record<string, unknown> {
  const {
    organizationId: _moved,
    organization: _relinked,
    ...rest
  } = (data ?? {}) as Record<string, unknown>;
  return rest;
}

export function scopeArgs(operation: string, args: Args | undefined, organizationId: string): Args {
  const scoped: Args = { ...(args ?? {}) };
  if (UNIQUE_WHERE.has(operation)) scoped.where = { ...scoped.where, organizationId };
  else if (FILTERED.has(operation))
    scoped.where = { AND: [scoped.where ?? {}, { organizationId }] };
  else if (!CREATES.has(operation))
    throw new Error(`tenant scope: unsupported operation ${operation}`);
  if (CREATES.has(operation)) scoped.data = stamp(scoped.data, organizationId);
  if (operation === "upsert") scoped.create = stamp(scoped.create, organizationId);
  // Updates (including an upsert's update part) may not move a row to another organisation.
  if (operation === "update" || operation === "updateMany" || operation === "updateManyAndReturn") {
    scoped.data = unstamp(scoped.data);
  }
  if (operation === "upsert") scoped.update = unstamp(scoped.update);
  return scoped;
}

function scopedClient(organizationId: string) {
  return db().$extends({
    name: "tenant-scope",
    query: {
      $allModels: {
        $allOperations({ model, operation, args, query }) {
          if (!TENANT_MODELS.has(model as Prisma.ModelName)) return query(args);
          return query(scopeArgs(operation, args as Args, organizationId));
        },
      },
    },
  });
}

export type TenantDb = ReturnType<typeof scopedClient>;
/** The client inside `forOrg(id).$transaction(async (tx) => …)`; still scoped. */
export type TenantTx = Parameters<Parameters<TenantDb["$transaction"]>[0]>[0];

export function forOrg(organizationId: string): TenantDb {
  // A malformed id would make Postgres throw on the uuid cast; it names no organisation.
  if (!UUID.test(organizationId)) throw new NotFound("Organization");
  return scopedClient(organizationId);
}
