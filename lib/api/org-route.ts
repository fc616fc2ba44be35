import "server-only";
import type { Actor, AuditContext } from "@/lib/audit";
import { currentUser } from "@/lib/auth/session";
import { membershipIn, type OrganizationSummary } from "@/lib/db/accounts";
import { findActiveApiKey } from "@/lib/db/api-key-auth";
import { forOrg, type TenantDb } from "@/lib/db/tenant";
import { Forbidden, NotFound, Unauthorized, ValidationFailed } from "@/lib/errors";
import { can, type Permission, type Role } from "@/lib/permissions";
import { type RouteParams, requestMeta, runRoute } from "./http";
import { ROUTE_KIND, type RouteKind } from "./route-kind";

// Every tenant API route is `orgRoute(permission, handler)`: the wrapper
// authenticates (API key, or session + ?org=<slug>), resolves the
// organisation, rejects cross-site writes, checks the permission, hands the
// handler a tenant-scoped database, and maps typed errors to statuses. A
// route cannot exist without naming its permission (lib/api/routes.test.ts).

export type OrgContext = {
  request: Request;
  url: URL;
  params: Record<string, string>;
  organization: OrganizationSummary;
  role: Role;
  actor: Actor;
  audit: AuditContext;
  db: TenantDb;
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Cookie-authenticated writes must come from our own pages (CSRF). */
function assertSameOrigin(request: Request) {
  const origin = request.headers.get("origin");
  const host = request.headers.get("x-forwarded-host") ?? request.headers.get("host");
  if (origin && origin !== "null" && host && new URL(origin).host === host) return;
  throw new Forbidden("Cross-site request refused.");
}

async function authenticate(request: Request, url: URL) {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    const [scheme, secret] = authorization.split(" ");
    if (scheme?.toLowerCase() !== "bearer" || !secret)
      throw new Unauthorized("Use Authorization: Bearer <API key>.");
    const key = await findActiveApiKey(secret);
    if (!key) throw new Unauthorized("The API key is invalid, expired or revoked.");
    const slug = url.searchParams.get("org");
    if (slug && slug !== key.organization.slug) throw new NotFound("Organization");
    const actor: Actor = { type: "api_key", apiKeyId: key.id, label: `API key ${key.name}` };
    return { organization: key.organization, role: key.role as Role, actor };
  }
  // No cookie, no session: skip next-auth entirely (API clients that forgot their key).
  const user = request.headers.has("cookie") ? await currentUser() : null;
  if (!user) throw new Unauthorized();
  if (!SAFE_METHODS.has(request.method)) assertSameOrigin(request);
  const slug = url.searchParams.get("org");
  if (!slug)
    throw new ValidationFailed([
      { field: "org", message: "query parameter is required (the organisation's slug)" },
    ]);
  const membership = await membershipIn(user.id, slug);
  if (!membership) throw new NotFound("Organization");
  const actor: Actor = { type: "user", userId: user.id, label: user.email };
  return { organization: membership.organization, role: membership.role as Role, actor };
}

export function orgRoute(
  permission: Permission,
  handler: (context: OrgContext) => Promise<unknown>,
) {
  const route = (request: Request, routeParams: RouteParams) =>
    runRoute(routeParams, async (params) => {
      const url = new URL(request.url);
      const { organization, role, actor } = await authenticate(request, url);
      if (!can(role, permission))
        throw new Forbidden(`Your role (${role}) does not allow ${permission}.`);
      return handler({
        request,
        url,
        params,
        organization,
        role,
        actor,
        audit: { organizationId: organization.id, actor, meta: requestMeta(request) },
        db: forOrg(organization.id),
      });
    });
  return Object.assign(route, { [ROUTE_KIND]: { kind: "org", permission } satisfies RouteKind });
}
