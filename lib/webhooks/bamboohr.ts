import { z } from "zod";
import { lifecycleEventDataSchema } from "@/lib/events/lifecycle-event";
import type { NormalizedEvent, NormalizeResult } from "./normalize";

// BambooHR's Field-Based (Global) webhook payload → lifecycle events.
// https://documentation.bamboohr.com/docs/field-based-webhooks and
// https://documentation.bamboohr.com/docs/global-webhooks: the body is
// `{ employees: [{ id, action: Created|Updated|Deleted, timestamp, changedFields, fields }] }`;
// `fields` holds the "post fields" the admin chose, under BambooHR's English
// field names ("First Name", "Work Email", …) unless they gave aliases, and
// Created/Deleted notifications carry no fields at all. So the employee comes
// from an Updated notification's post fields, and the event type from which
// monitored fields changed. Both the default names and camelCase aliases are
// understood. Event-Based webhooks (`{ type, data: { employeeId } }`) carry
// no employee data and are refused with an explanation.

const FIELD_NAMES: Record<string, readonly string[]> = {
  firstName: ["First Name", "firstName"],
  lastName: ["Last Name", "lastName"],
  displayName: ["Preferred Name", "preferredName", "displayName"],
  email: ["Work Email", "workEmail", "email"],
  personalEmail: ["Home Email", "homeEmail"],
  phone: ["Mobile Phone", "mobilePhone"],
  title: ["Job Title", "jobTitle"],
  department: ["Department", "department"],
  location: ["Location", "location"],
  employmentType: ["Employment Status", "employmentStatus"],
  startDate: ["Hire Date", "hireDate"],
  endDate: ["Termination Date", "terminationDate"],
  managerName: ["Reporting to", "Reporting To", "supervisor", "reportingTo"],
  managerEmail: ["Supervisor Email", "supervisorEmail", "managerEmail"],
  status: ["Status", "status"],
};

const TRANSFER_FIELDS = ["Department", "Division", "Job Title", "Location", "Reporting to"];

const entrySchema = z.object({
  id: z.union([z.string().min(1), z.number()]),
  action: z.enum(["Created", "Updated", "Deleted"]),
  timestamp: z.string().optional(),
  changedFields: z.array(z.string()).default([]),
  fields: z.union([z.record(z.string(), z.unknown()), z.array(z.unknown()).length(0)]).default({}),
});

const payloadSchema = z.object({ employees: z.array(z.unknown()).min(1).max(500) });

function pick(fields: Record<string, unknown>, key: string): string | undefined {
  for (const name of FIELD_NAMES[key] ?? []) {
    const value = fields[name];
    if (typeof value === "string" && value.trim() !== "") return value.trim();
    if (typeof value === "number") return String(value);
  }
  return undefined;
}

const changed = (changedFields: string[], key: string) =>
  changedFields.some((field) => (FIELD_NAMES[key] ?? []).includes(field));

/** BambooHR writes dates as YYYY-MM-DD, and "0000-00-00" for none. */
const date = (value: string | undefined) =>
  value && /^\d{4}-\d{2}-\d{2}$/.test(value) && !value.startsWith("0000") ? value : undefined;

function eventTypeOf(changedFields: string[], fields: Record<string, unknown>): string {
  const status = pick(fields, "status")?.toLowerCase();
  const employment = pick(fields, "employmentType")?.toLowerCase();
  if (
    (changed(changedFields, "status") && status === "inactive") ||
    (changed(changedFields, "employmentType") && employment === "terminated") ||
    changed(changedFields, "endDate")
  )
    return "employee.exit";
  if (
    changed(changedFields, "startDate") ||
    (changed(changedFields, "status") && status === "active")
  )
    return "employee.onboard";
  const aliases = TRANSFER_FIELDS.flatMap(
    (field) => Object.values(FIELD_NAMES).find((names) => names.includes(field)) ?? [field],
  );
  if (changedFields.some((field) => aliases.includes(field))) return "employee.transfer";
  return "employee.update";
}

export function normalizeBambooHr(body: unknown): NormalizeResult {
  if (body && typeof body === "object" && "type" in body && "data" in body)
    return {
      ok: false,
      field: "type",
      message:
        "this is a BambooHR Event-Based webhook, which carries no employee data; configure a Field-Based webhook that posts the employee's fields",
    };
  const payload = payloadSchema.safeParse(body);
  if (!payload.success) {
    const issue = payload.error.issues[0];
    return {
      ok: false,
      field: issue?.path.join(".") || "employees",
      message: issue?.message ?? "is invalid",
    };
  }
  const events: NormalizedEvent[] = [];
  for (const [index, raw] of payload.data.employees.entries()) {
    const entry = entrySchema.safeParse(raw);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      return {
        ok: false,
        field: ["employees", index, ...(issue?.path ?? [])].join("."),
        message: issue?.message ?? "is invalid",
      };
    }
    const { id, action, timestamp, changedFields } = entry.data;
    const fields = Array.isArray(entry.data.fields) ? {} : entry.data.fields;
    // Created and Deleted carry no fields: nothing to start a workflow with.
    if (action !== "Updated" || Object.keys(fields).length === 0) continue;
    const managerEmail = pick(fields, "managerEmail");
    const employee = {
      id: String(id),
      firstName: pick(fields, "firstName"),
      lastName: pick(fields, "lastName"),
      displayName: pick(fields, "displayName"),
      email: pick(fields, "email"),
      personalEmail: pick(fields, "personalEmail"),
      phone: pick(fields, "phone"),
      title: pick(fields, "title"),
      department: pick(fields, "department"),
      location: pick(fields, "location"),
      employmentType: pick(fields, "employmentType"),
      startDate: date(pick(fields, "startDate")),
      endDate: date(pick(fields, "endDate")),
      manager: managerEmail
        ? { name: pick(fields, "managerName"), email: managerEmail }
        : undefined,
    };
    const data = lifecycleEventDataSchema.safeParse({
      employee: Object.fromEntries(
        Object.entries(employee).filter(([, value]) => value !== undefined),
      ),
    });
    if (!data.success) {
      const issue = data.error.issues[0];
      const key = String(issue?.path[1] ?? "");
      const bambooName = FIELD_NAMES[key === "manager" ? "managerEmail" : key]?.[0] ?? key;
      return {
        ok: false,
        field: `employees.${index}.fields.${bambooName}`,
        message: `${issue?.message ?? "is invalid"} (post the "${bambooName}" field in the BambooHR webhook)`,
      };
    }
    events.push({
      type: eventTypeOf(changedFields, fields),
      occurredAt: timestamp ? toIso(timestamp) : null,
      employeeExternalId: String(id),
      data: data.data,
    });
  }
  return { ok: true, events };
}

/** BambooHR's "2026-01-31T18:42:00+0000" → ISO 8601 with a colon in the offset. */
function toIso(timestamp: string): string | null {
  const fixed = timestamp.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  const parsed = new Date(fixed);
  return Number.isNaN(parsed.getTime()) ? null : parsed.toISOString();
}
