import { z } from "zod";

// The canonical joiner/mover/leaver event every trigger source is normalised
// into (webhooks, the API, manual starts). Workflow templates read it as
// `{{ employee.firstName }}`, `{{ previous.department }}`, `{{ event.type }}`,
// so this schema is also what the validator checks template variables against.

export const LIFECYCLE_EVENT_TYPES = [
  "employee.onboard",
  "employee.exit",
  "employee.transfer",
  "employee.update",
] as const;
export type LifecycleEventType = (typeof LIFECYCLE_EVENT_TYPES)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), "is not a real date");

const timeZone = z.string().refine((value) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}, "must be an IANA time zone such as Europe/Berlin");

const text = (max: number) => z.string().trim().min(1, "must not be empty").max(max);

export const employeeSchema = z
  .object({
    id: text(255).describe("The employee's id in the HR system"),
    firstName: text(120),
    lastName: text(120),
    displayName: text(255).optional(),
    email: z.email("must be an email address").max(320),
    personalEmail: z.email("must be an email address").max(320).optional(),
    phone: text(64).optional(),
    title: text(255).optional(),
    department: text(255).optional(),
    location: text(255).optional(),
    timeZone: timeZone.optional(),
    employmentType: text(64).optional(),
    manager: z
      .object({
        id: text(255).optional(),
        name: text(255).optional(),
        email: z.email("must be an email address").max(320),
      })
      .strict()
      .optional(),
    startDate: isoDate.optional(),
    endDate: isoDate.optional(),
    customFields: z
      .record(
        z.string().max(64),
        z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]),
      )
      .optional(),
  })
  .strict();
export type Employee = z.infer<typeof employeeSchema>;

/** The fields a transfer or update changed, as they were before. */
export const previousEmployeeSchema = employeeSchema.partial().strict();

export const lifecycleEventDataSchema = z
  .object({
    employee: employeeSchema,
    previous: previousEmployeeSchema.optional(),
  })
  .strict();
export type LifecycleEventData = z.infer<typeof lifecycleEventDataSchema>;

/** What a run was started with; the engine exposes it to templates. */
export const triggerEventSchema = z.object({
  id: z.string(),
  type: z.string(),
  occurredAt: z.string(),
  data: z.record(z.string(), z.unknown()),
});
export type TriggerEvent = z.infer<typeof triggerEventSchema>;
