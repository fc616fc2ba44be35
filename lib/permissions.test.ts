import { describe, expect, it } from "vitest";
import { can, canGrant, permissionsOf } from "./permissions";

describe("the permission matrix", () => {
  it("gives viewers read access only", () => {
    expect(can("viewer", "workflows:read")).toBe(true);
    expect(can("viewer", "audit:read")).toBe(true);
    for (const permission of [
      "workflows:edit",
      "runs:start",
      "members:invite",
      "api-keys:manage",
      "organization:update",
    ] as const) {
      expect(can("viewer", permission), permission).toBe(false);
    }
  });

  it("lets editors build and run workflows but not manage people or keys", () => {
    expect(can("editor", "workflows:publish")).toBe(true);
    expect(can("editor", "runs:cancel")).toBe(true);
    expect(can("editor", "members:invite")).toBe(false);
    expect(can("editor", "credentials:manage")).toBe(false);
  });

  it("lets admins manage everything but owners", () => {
    expect(can("admin", "members:remove")).toBe(true);
    expect(can("admin", "api-keys:manage")).toBe(true);
    expect(canGrant("admin", "editor")).toBe(true);
    expect(canGrant("admin", "owner")).toBe(false);
    expect(canGrant("owner", "owner")).toBe(true);
  });

  it("orders roles: each role has everything the role below it has", () => {
    const order = ["viewer", "editor", "admin", "owner"] as const;
    for (let i = 1; i < order.length; i++) {
      const lower = new Set(permissionsOf(order[i - 1] as (typeof order)[number]));
      const higher = new Set(permissionsOf(order[i] as (typeof order)[number]));
      for (const permission of lower)
        expect(higher.has(permission), `${order[i]} has ${permission}`).toBe(true);
    }
  });
});
