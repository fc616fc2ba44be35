import "server-only";
import { type RouteParams, runRoute } from "./http";
import { ROUTE_KIND, type RouteKind } from "./route-kind";

/**
 * A route that needs no organisation (sign-up, invitation acceptance, the
 * OpenAPI document). It must say why it is public; errors map like orgRoute's.
 */
export function publicRoute(
  reason: string,
  handler: (request: Request, params: Record<string, string>) => Promise<unknown>,
) {
  const route = (request: Request, routeParams: RouteParams) =>
    runRoute(routeParams, (params) => handler(request, params));
  return Object.assign(route, { [ROUTE_KIND]: { kind: "public", reason } satisfies RouteKind });
}
