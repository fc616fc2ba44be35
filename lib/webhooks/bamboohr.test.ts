import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeBambooHr } from "./bamboohr";

// BambooHR Field-Based webhook payloads (fixtures written from BambooHR's
// documentation; see lib/webhooks/fixtures/README.md) into lifecycle events.

const fixture = (name: string): unknown =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, "fixtures", name), "utf8"));

describe("normalizeBambooHr", () => {
  it("turns a hire (Hire Date and Status changed) into employee.onboard with the employee's fields", () => {
    const result = normalizeBambooHr(fixture("bamboohr-new-hire-details.json"));
    expect(result).toEqual({
      ok: true,
      events: [
        {
          type: "employee.onboard",
          occurredAt: "2026-03-02T09:14:28.000Z",
          employeeExternalId: "4021",
          data: {
            employee: {
              id: "4021",
              firstName: "Priya",
              lastName: "Raman",
              email: "priya.raman@example.com",
              title: "Data Analyst",
              department: "Finance",
              location: "Berlin",
              employmentType: "Full-Time",
              startDate: "2026-03-16",
            },
          },
        },
      ],
    });
  });

  it("turns a termination (Status → Inactive) into employee.exit with the end date", () => {
    const result = normalizeBambooHr(fixture("bamboohr-termination.json"));
    expect(result.ok && result.events).toMatchObject([
      {
        type: "employee.exit",
        employeeExternalId: "2978",
        data: { employee: { firstName: "Marcus", endDate: "2026-03-31", department: "Sales" } },
      },
    ]);
  });

  it("turns job changes into one employee.transfer per employee in the batch", () => {
    const result = normalizeBambooHr(fixture("bamboohr-job-change.json"));
    expect(
      result.ok && result.events.map((event) => [event.type, event.employeeExternalId]),
    ).toEqual([
      ["employee.transfer", "1533"],
      ["employee.transfer", expect.any(String)],
    ]);
  });

  it("skips Created notifications, which carry no fields", () => {
    const result = normalizeBambooHr(fixture("bamboohr-new-hire.json"));
    expect(result).toEqual({ ok: true, events: [] });
  });

  it("names the BambooHR field to post when a required one is missing", () => {
    const result = normalizeBambooHr({
      employees: [
        {
          id: "7",
          action: "Updated",
          changedFields: ["Department"],
          fields: { "First Name": "Ana", "Last Name": "Ruiz", Department: "Ops" },
        },
      ],
    });
    expect(result).toMatchObject({ ok: false, field: "employees.0.fields.Work Email" });
    expect(!result.ok && result.message).toMatch(/post the "Work Email" field/);
  });

  it("explains that Event-Based webhooks carry no employee data", () => {
    const result = normalizeBambooHr({
      type: "employee.updated",
      timestamp: "2026-01-31T18:42:00+0000",
      data: { companyId: "1", employeeId: "2", changedFields: ["firstName"] },
    });
    expect(result).toMatchObject({ ok: false, field: "type" });
  });

  it("rejects a payload of the wrong shape, naming the field", () => {
    expect(normalizeBambooHr({ employees: "nope" })).toMatchObject({
      ok: false,
      field: "employees",
    });
    expect(normalizeBambooHr({ employees: [{ id: "1", action: "Renamed" }] })).toMatchObject({
      ok: false,
      field: "employees.0.action",
    });
  });
});
