"use client";

import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { ApiError } from "@/lib/api-client";

// The source-specific and common settings of a webhook endpoint's form. The
// server validates them (lib/webhooks/sources.ts) and names the field at
// fault as `config.signatureHeader`; these fields show that next to the input.

export const SELECT_CLASS =
  "h-9 rounded-md border border-input bg-background px-2.5 text-sm shadow-xs focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40";

/** The server's messages for signature settings start with the setting's key; the label says it. */
export function issueText(label: string, message: string): string {
  const fragment = message.replace(/^[a-z][A-Za-z]+ (?=(is|must)\b)/, "");
  if (!/^[a-z]/.test(fragment)) return fragment;
  return `${label} ${fragment}${/[.!?]$/.test(fragment) ? "" : "."}`;
}

/** The message for `field` or one of its items (`config.eventTypes.0`). */
function issueFor(error: ApiError | null, field: string): string | undefined {
  return error?.issues.find((issue) => issue.field === field || issue.field.startsWith(`${field}.`))
    ?.message;
}

export type HmacValues = {
  signatureHeader: string;
  algorithm: "sha256" | "sha512";
  encoding: "hex" | "base64";
  prefix: string;
  timestampHeader: string;
  deliveryIdHeader: string;
};

export const EMPTY_HMAC: HmacValues = {
  signatureHeader: "",
  algorithm: "sha256",
  encoding: "hex",
  prefix: "",
  timestampHeader: "",
  deliveryIdHeader: "",
};

/** The config body: empty headers left out. */
export function hmacConfigOf(values: HmacValues): Record<string, unknown> {
  return {
    // Left out when empty, so the server answers "is required" rather than "must not be empty".
    ...(values.signatureHeader.trim() ? { signatureHeader: values.signatureHeader.trim() } : {}),
    algorithm: values.algorithm,
    encoding: values.encoding,
    ...(values.prefix ? { prefix: values.prefix } : {}),
    ...(values.timestampHeader.trim() ? { timestampHeader: values.timestampHeader.trim() } : {}),
    ...(values.deliveryIdHeader.trim() ? { deliveryIdHeader: values.deliveryIdHeader.trim() } : {}),
  };
}

const TEXT_FIELDS: {
  key: "signatureHeader" | "prefix" | "timestampHeader" | "deliveryIdHeader";
  label: string;
  placeholder: string;
  optional?: boolean;
}[] = [
  { key: "signatureHeader", label: "Signature header", placeholder: "e.g. X-Signature" },
  { key: "prefix", label: "Signature prefix", placeholder: "e.g. sha256=", optional: true },
  {
    key: "timestampHeader",
    label: "Timestamp header",
    placeholder: "e.g. X-Timestamp",
    optional: true,
  },
  {
    key: "deliveryIdHeader",
    label: "Delivery id header",
    placeholder: "e.g. X-Delivery-Id",
    optional: true,
  },
];

export function HmacHeaderFields({
  idPrefix,
  values,
  onChange,
  error,
}: {
  idPrefix: string;
  values: HmacValues;
  onChange: (values: HmacValues) => void;
  error: ApiError | null;
}) {
  const set = (patch: Partial<HmacValues>) => onChange({ ...values, ...patch });
  const id = (key: string) => `${idPrefix}-config-${key}`;

  return (
    <fieldset className="grid gap-4 rounded-md border p-4 sm:grid-cols-2">
      <legend className="px-1 text-sm font-medium">Signature</legend>
      {TEXT_FIELDS.map((field) => {
        const message = issueFor(error, `config.${field.key}`);
        return (
          <div key={field.key} className="grid content-start gap-2">
            <Label htmlFor={id(field.key)}>
              {field.label}
              {field.optional && (
                <span className="font-normal text-muted-foreground"> (optional)</span>
              )}
            </Label>
            <Input
              id={id(field.key)}
              value={values[field.key]}
              onChange={(event) => set({ [field.key]: event.target.value })}
              placeholder={field.placeholder}
              required={!field.optional}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={message ? true : undefined}
              aria-describedby={message ? `${id(field.key)}-error` : undefined}
            />
            {message && (
              <FieldError
                id={`${id(field.key)}-error`}
                label={field.label}
                message={issueText(field.label, message)}
              />
            )}
          </div>
        );
      })}
      <div className="grid content-start gap-2">
        <Label htmlFor={id("algorithm")}>Hash</Label>
        <select
          id={id("algorithm")}
          value={values.algorithm}
          onChange={(event) => set({ algorithm: event.target.value as HmacValues["algorithm"] })}
          className={SELECT_CLASS}
        >
          <option value="sha256">HMAC-SHA256</option>
          <option value="sha512">HMAC-SHA512</option>
        </select>
      </div>
      <div className="grid content-start gap-2">
        <Label htmlFor={id("encoding")}>Signature encoding</Label>
        <select
          id={id("encoding")}
          value={values.encoding}
          onChange={(event) => set({ encoding: event.target.value as HmacValues["encoding"] })}
          className={SELECT_CLASS}
        >
          <option value="hex">Hex</option>
          <option value="base64">Base64</option>
        </select>
      </div>
      <p className="text-xs text-muted-foreground sm:col-span-2">
        With a timestamp header the sender signs “timestamp.body” and deliveries older or newer than
        5 minutes are refused; without one, only the raw body is signed.
      </p>
    </fieldset>
  );
}

const EVENT_TYPES = [
  { value: "employee.onboard", label: "Joiners" },
  { value: "employee.transfer", label: "Movers" },
  { value: "employee.exit", label: "Leavers" },
  { value: "employee.update", label: "Updates" },
] as const;

/** Which lifecycle events the endpoint accepts, and the optional JSONata mapping. */
export function EventFilterFields({
  idPrefix,
  eventTypes,
  onEventTypesChange,
  mapping,
  onMappingChange,
  error,
}: {
  idPrefix: string;
  eventTypes: string[];
  onEventTypesChange: (eventTypes: string[]) => void;
  mapping: string;
  onMappingChange: (mapping: string) => void;
  error: ApiError | null;
}) {
  const eventTypesError = issueFor(error, "config.eventTypes");
  const mappingError = issueFor(error, "config.mapping");
  const toggle = (value: string, checked: boolean) =>
    onEventTypesChange(
      checked ? [...eventTypes, value] : eventTypes.filter((type) => type !== value),
    );

  return (
    <details
      className="group rounded-md border p-4"
      open={Boolean(mappingError || eventTypesError)}
    >
      <summary className="cursor-pointer text-sm font-medium">
        Events and mapping <span className="font-normal text-muted-foreground">(optional)</span>
      </summary>
      <div className="mt-4 grid gap-4">
        <fieldset className="grid gap-2" aria-describedby={`${idPrefix}-events-hint`}>
          <legend className="text-sm font-medium">Accepted events</legend>
          <div className="flex flex-wrap gap-x-5 gap-y-2">
            {EVENT_TYPES.map((type) => (
              <label key={type.value} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={eventTypes.includes(type.value)}
                  onChange={(event) => toggle(type.value, event.target.checked)}
                  className="size-4 accent-primary"
                />
                {type.label} <code className="text-xs text-muted-foreground">{type.value}</code>
              </label>
            ))}
          </div>
          <p id={`${idPrefix}-events-hint`} className="text-xs text-muted-foreground">
            None ticked: every event is accepted.
          </p>
          {eventTypesError && (
            <FieldError
              id={`${idPrefix}-events-error`}
              label="Accepted events"
              message={eventTypesError}
            />
          )}
        </fieldset>
        <div className="grid gap-2">
          <Label htmlFor={`${idPrefix}-mapping`}>Mapping (JSONata)</Label>
          <textarea
            id={`${idPrefix}-mapping`}
            value={mapping}
            onChange={(event) => onMappingChange(event.target.value)}
            rows={3}
            spellCheck={false}
            placeholder={'{ "type": "employee.onboard", "employee": { "id": worker.id, … } }'}
            aria-invalid={mappingError ? true : undefined}
            aria-describedby={`${idPrefix}-mapping-hint${mappingError ? ` ${idPrefix}-mapping-error` : ""}`}
            className="rounded-md border border-input bg-background px-3 py-2 font-mono text-xs shadow-xs focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40 aria-invalid:border-destructive"
          />
          <p id={`${idPrefix}-mapping-hint`} className="text-xs text-muted-foreground">
            Only for senders whose JSON is not already OfficeFlow&apos;s{" "}
            <code>{"{ type, employee, previous? }"}</code>: an expression that builds that shape
            from the body. Leave empty otherwise.
          </p>
          <FieldError id={`${idPrefix}-mapping-error`} label="The mapping" message={mappingError} />
        </div>
      </div>
    </details>
  );
}
