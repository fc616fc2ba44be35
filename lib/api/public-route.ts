import "server-only";
import { errorResponse } from "./http";
import { ROUTE_KIND, type RouteKind } from "./route-kind";

/**
 * A route that needs no organisation (sign-up, invitation acceptance, the
 * OpenAPI document). It must say why it is public; errors map like orgRoute's.
 */
export function publicRoute(
  reason: string,
  handler: (request: Request, params: Record<string, string>) => Promise<unknown>,
) {
  const route = async (
    request: Request,
    routeParams: { params: Promise<Record<string, string | string[]>> },
  ) => {
    try {
      const raw = (await routeParams?.params) ?? {};
      const params = Object.fromEntries(
        Object.entries(raw).map(([key, value]) => [key, String(value)]),
      );
      const result = await handler(request, params);
      if (result instanceof Response) return result;
      return Response.json(result ?? null, { headers: { "cache-control": "no-store" } });
    } catch (error) {
      return errorResponse(error);
    }
  };
  return Object.assign(route, { [ROUTE_KIND]: { kind: "public", reason } satisfies RouteKind });
}
