import { describe, expect, it } from "vitest";
import { apiRouteFiles, routeHandlers } from "@/test/support/routes";
import { ROUTE_KIND, type RouteKind } from "./route-kind";

// A route handler that does not go through orgRoute/publicRoute skips
// authentication, tenant scoping or error mapping; only these are exempt.
const EXEMPT: Record<string, string> = {
  "/api/auth/[...nextauth]": "next-auth's own handler, which enforces its CSRF token",
  "/api/health": "liveness probe, touches nothing",
  "/api/health/ready": "readiness probe, runs SELECT 1",
  "/api/inngest": "Inngest serve endpoint; the SDK verifies request signatures in production",
};

describe("API routes", () => {
  it("are all found", () => {
    expect(apiRouteFiles().length).toBeGreaterThan(10);
  });

  it.each(apiRouteFiles().map((route) => [route.pattern, route.file] as const))(
    "%s is built with orgRoute or publicRoute (or is an exempt, explained route)",
    async (pattern, file) => {
      const handlers = await routeHandlers(file);
      expect(Object.keys(handlers).length, `${pattern} exports handlers`).toBeGreaterThan(0);
      if (EXEMPT[pattern]) return;
      for (const [method, handler] of Object.entries(handlers)) {
        const kind = (handler as unknown as Record<symbol, RouteKind | undefined>)[ROUTE_KIND];
        expect(
          kind,
          `${method} ${pattern} must use orgRoute(permission, …) or publicRoute(reason, …)`,
        ).toBeDefined();
      }
    },
  );
});
