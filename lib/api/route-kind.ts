import type { Permission } from "@/lib/permissions";

/** Marks handlers built by our wrappers, so a test can refuse any route built without one. */
export const ROUTE_KIND = Symbol.for("officeflow.route-kind");

export type RouteKind =
  | { kind: "org"; permission: Permission }
  | { kind: "public"; reason: string };
