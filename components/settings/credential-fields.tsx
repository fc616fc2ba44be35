"use client";

import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ApiError } from "@/lib/api-client";
import { cn } from "@/lib/cn";
import type { FieldSchema, ObjectSchema } from "./credential-queries";

// Form fields for one part of a credential (its secret or its settings),
// rendered from the JSON Schema the kinds API serves, so a new kind needs no
// UI code. Values are kept as typed strings; lists are one item per line.

export type FieldValues = Record<string, string>;
export type FieldGroup = "secret" | "settings";

const isList = (field: FieldSchema) => field.type === "array";

/** The first API issue for `secret.botToken`, or for an item of it (`settings.allowedHosts.0`). */
export function issueFor(error: ApiError | null, field: string): string | undefined {
  return error?.issues.find((issue) => issue.field === field || issue.field.startsWith(`${field}.`))
    ?.message;
}

/** Form values for saved settings: lists joined one per line. */
export function valuesOf(schema: ObjectSchema, saved: Record<string, unknown> = {}): FieldValues {
  return Object.fromEntries(
    Object.entries(schema.properties).map(([key, field]) => {
      const value = saved[key];
      if (isList(field)) return [key, Array.isArray(value) ? value.join("\n") : ""];
      return [key, typeof value === "string" ? value : ""];
    }),
  );
}

/** The request body part: lists split on lines and commas, empty optional fields left out. */
export function payloadOf(schema: ObjectSchema, values: FieldValues): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(schema.properties)) {
    const raw = values[key] ?? "";
    const required = schema.required?.includes(key) ?? false;
    if (isList(field)) {
      const items = raw.split(/[\s,]+/).filter(Boolean);
      if (items.length > 0 || required) payload[key] = items;
    } else if (raw !== "" || required) {
      payload[key] = raw;
    }
  }
  return payload;
}

export function CredentialFields({
  idPrefix,
  group,
  schema,
  values,
  onChange,
  error,
}: {
  idPrefix: string;
  group: FieldGroup;
  schema: ObjectSchema;
  values: FieldValues;
  onChange: (values: FieldValues) => void;
  error: ApiError | null;
}) {
  return (
    <>
      {Object.entries(schema.properties).map(([key, field]) => {
        const id = `${idPrefix}-${group}-${key}`;
        const label = field.title ?? key;
        const optional = !(schema.required?.includes(key) ?? false);
        const message = issueFor(error, `${group}.${key}`);
        const describedBy =
          [field.description || isList(field) ? `${id}-hint` : "", message ? `${id}-error` : ""]
            .filter(Boolean)
            .join(" ") || undefined;
        const common = {
          id,
          value: values[key] ?? "",
          required: !optional,
          "aria-invalid": message ? true : undefined,
          "aria-describedby": describedBy,
          spellCheck: false,
          autoCapitalize: "off",
        } as const;
        return (
          <div key={key} className="grid gap-2">
            <Label htmlFor={id}>
              {label}
              {optional && <span className="font-normal text-muted-foreground">(optional)</span>}
            </Label>
            {isList(field) ? (
              <textarea
                {...common}
                rows={3}
                onChange={(event) => onChange({ ...values, [key]: event.target.value })}
                className={cn(
                  "min-h-16 w-full rounded-md border border-input bg-background px-3 py-2 font-mono text-sm shadow-xs transition-colors",
                  "focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40",
                  "aria-invalid:border-destructive",
                )}
              />
            ) : (
              <Input
                {...common}
                // Secrets are never pre-filled, echoed or offered for autofill.
                type={group === "secret" ? "password" : field.format === "uri" ? "url" : "text"}
                autoComplete={group === "secret" ? "new-password" : "off"}
                maxLength={field.maxLength}
                onChange={(event) => onChange({ ...values, [key]: event.target.value })}
                className={group === "secret" ? "font-mono" : undefined}
              />
            )}
            {(field.description || isList(field)) && (
              <p id={`${id}-hint`} className="text-xs text-muted-foreground">
                {[field.description, isList(field) ? "One per line." : ""]
                  .filter(Boolean)
                  .join(" ")}
              </p>
            )}
            <FieldError id={`${id}-error`} label={label} message={message} />
          </div>
        );
      })}
    </>
  );
}
