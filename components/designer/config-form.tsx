"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { PlusIcon, Trash2Icon } from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import {
  Controller,
  type ControllerRenderProps,
  type FieldErrors,
  FormProvider,
  get,
  useForm,
  useFormContext,
} from "react-hook-form";
import { useOrg } from "@/components/org/org-context";
import { useCredentials } from "@/components/settings/credential-queries";
import { Button } from "@/components/ui/button";
import { fieldErrorText } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { useWorkflows } from "@/components/workflows/queries";
import { cn } from "@/lib/cn";
import { type ConfigField, cleanConfig, configFields } from "@/lib/designer/config-fields";
import type { AnyNodeKind } from "@/lib/nodes/node-kind";
import type { DefinitionProblem } from "@/lib/workflows/validate";
import type { VariableInfo } from "@/lib/workflows/variables";
import { TemplateInput } from "./template-input";

// The form for one node's config, generated from its kind's zod schema
// (lib/designer/config-fields.ts) and checked by the same schema through
// react-hook-form's zod resolver. Every change is written to the designer's
// store at once (and so autosaved and validated); the validator's findings
// for a field (an unknown variable, a rule of the kind) appear under it.

type Props = {
  nodeId: string;
  kind: AnyNodeKind;
  config: Record<string, unknown>;
  problems: readonly DefinitionProblem[];
  /** Computed on first use (the picker opening), not whenever a node is selected. */
  variables: () => readonly VariableInfo[];
  readOnly: boolean;
  onChange: (config: Record<string, unknown>, field: string) => void;
};

type FormContext = {
  problems: ReadonlyMap<string, string>;
  /** Computed on first use (the picker opening), not whenever a node is selected. */
  variables: () => readonly VariableInfo[];
  readOnly: boolean;
  formId: string;
};

export function ConfigForm({
  nodeId,
  kind,
  config,
  problems,
  variables,
  readOnly,
  onChange,
}: Props) {
  const fields = useMemo(() => configFields(kind), [kind]);
  const form = useForm<Record<string, unknown>>({
    // biome-ignore lint/suspicious/noExplicitAny: each kind's schema has its own config type
    resolver: zodResolver(kind.config as any),
    mode: "all",
    values: config,
    resetOptions: { keepErrors: false },
  });

  // Writes every edit through to the store; resets from the store (undo) have no name.
  useEffect(() => {
    const subscription = form.watch((values, { name }) => {
      if (!name) return;
      onChange(cleanConfig(values, fields) as Record<string, unknown>, name.split(".")[0] ?? name);
    });
    return () => subscription.unsubscribe();
  }, [form, fields, onChange]);

  // Show the schema's complaints about a fresh, unconfigured node straight away
  // (the form is remounted for each node).
  useEffect(() => {
    void form.trigger();
  }, [form]);

  const byField = useMemo(() => {
    const map = new Map<string, string>();
    for (const problem of problems)
      if (problem.field && !map.has(problem.field)) map.set(problem.field, problem.message);
    return map;
  }, [problems]);
  const context: FormContext = { problems: byField, variables, readOnly, formId: `cfg-${nodeId}` };

  return (
    <FormProvider {...form}>
      <form
        noValidate
        aria-label={`${kind.label} settings`}
        className="space-y-4"
        onSubmit={(event) => event.preventDefault()}
      >
        <fieldset disabled={readOnly} className="space-y-4">
          {fields.map((field) => (
            <FieldView key={field.key || "root"} field={field} name={field.key} context={context} />
          ))}
        </fieldset>
      </form>
    </FormProvider>
  );
}

function errorFor(errors: FieldErrors, name: string, context: FormContext): string | undefined {
  const own = get(errors, name) as { message?: string; type?: string } | undefined;
  if (own?.message) return own.message;
  return context.problems.get(name);
}

type FieldIds = { id: string; describedBy?: string; invalid: boolean };

/** One form field bound to the form: its label, hint and error around the control `children` draws. */
function ControlledField({
  field,
  name,
  context,
  children,
  inline = false,
}: {
  field: ConfigField;
  name: string;
  context: FormContext;
  children: (input: ControllerRenderProps, ids: FieldIds) => React.ReactNode;
  inline?: boolean;
}) {
  const { control, formState } = useFormContext();
  const message = errorFor(formState.errors, name, context);
  const id = `${context.formId}-${name.replace(/\./g, "-")}`;
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [message ? errorId : null, field.description ? hintId : null]
    .filter(Boolean)
    .join(" ");
  const label = field.label || "Value";
  return (
    <div className={cn("space-y-1.5", inline && "flex items-center gap-2 space-y-0")}>
      {!inline && (
        <label htmlFor={id} className="block text-sm font-medium">
          {label}
          {field.required && <span className="text-destructive"> *</span>}
        </label>
      )}
      <Controller
        control={control}
        name={name}
        render={({ field: input }) => (
          <>
            {children(input, {
              id,
              describedBy: describedBy || undefined,
              invalid: Boolean(message),
            })}
          </>
        )}
      />
      {inline && (
        <label htmlFor={id} className="text-sm font-medium">
          {label}
        </label>
      )}
      {field.description && (
        <p id={hintId} className="text-xs text-muted-foreground">
          {field.description}
        </p>
      )}
      {message && (
        <p id={errorId} className="text-sm text-destructive" data-testid={`field-error-${name}`}>
          {fieldErrorText(label, message)}
        </p>
      )}
    </div>
  );
}

function FieldView({
  field,
  name,
  context,
}: {
  field: ConfigField;
  name: string;
  context: FormContext;
}) {
  const { control, setValue } = useFormContext();
  switch (field.type) {
    case "text":
      return (
        <ControlledField field={field} name={name} context={context}>
          {(input, { id, describedBy, invalid }) =>
            field.syntax === "plain" ? (
              <>
                <Input
                  id={id}
                  value={typeof input.value === "string" ? input.value : String(input.value ?? "")}
                  onChange={(event) => input.onChange(event.target.value)}
                  onBlur={input.onBlur}
                  aria-invalid={invalid || undefined}
                  aria-describedby={describedBy}
                  list={field.suggestions ? `${id}-options` : undefined}
                />
                {field.suggestions && (
                  <datalist id={`${id}-options`}>
                    {field.suggestions.map((option) => (
                      <option key={option} value={option} />
                    ))}
                  </datalist>
                )}
              </>
            ) : (
              <TemplateInput
                id={id}
                value={typeof input.value === "string" ? input.value : ""}
                onChange={input.onChange}
                onBlur={input.onBlur}
                multiline={field.multiline}
                syntax={field.syntax}
                variables={context.variables}
                invalid={invalid}
                describedBy={describedBy}
                required={field.required}
                maxLength={field.maxLength}
              />
            )
          }
        </ControlledField>
      );
    case "select":
      return (
        <ControlledField field={field} name={name} context={context}>
          {(input, { id, describedBy, invalid }) => (
            <NativeSelect
              id={id}
              value={typeof input.value === "string" ? input.value : ""}
              onChange={input.onChange}
              invalid={invalid}
              describedBy={describedBy}
              options={[
                ...(field.required && field.default === undefined
                  ? []
                  : [{ value: "", label: "—" }]),
                ...field.options.map((option) => ({ value: option, label: option })),
              ]}
            />
          )}
        </ControlledField>
      );
    case "number":
      return (
        <ControlledField field={field} name={name} context={context}>
          {(input, { id, describedBy, invalid }) => (
            <Input
              id={id}
              type="number"
              inputMode={field.integer ? "numeric" : "decimal"}
              step={field.integer ? 1 : "any"}
              min={field.minimum}
              max={field.maximum}
              value={typeof input.value === "number" ? input.value : ""}
              placeholder={field.default !== undefined ? String(field.default) : undefined}
              onChange={(event) =>
                input.onChange(event.target.value === "" ? undefined : event.target.valueAsNumber)
              }
              onBlur={input.onBlur}
              aria-invalid={invalid || undefined}
              aria-describedby={describedBy}
            />
          )}
        </ControlledField>
      );
    case "boolean":
      return (
        <ControlledField field={field} name={name} context={context} inline>
          {(input, { id, describedBy }) => (
            <input
              id={id}
              type="checkbox"
              className="size-4 rounded border-input"
              checked={input.value === undefined ? field.default === true : input.value === true}
              onChange={(event) => input.onChange(event.target.checked)}
              aria-describedby={describedBy}
            />
          )}
        </ControlledField>
      );
    case "credential":
      return (
        <ControlledField field={field} name={name} context={context}>
          {(input, ids) => (
            <CredentialSelect
              {...ids}
              kinds={field.kinds}
              required={field.required}
              value={typeof input.value === "string" ? input.value : ""}
              onChange={input.onChange}
            />
          )}
        </ControlledField>
      );
    case "workflow":
      return (
        <ControlledField field={field} name={name} context={context}>
          {(input, ids) => (
            <WorkflowSelect
              {...ids}
              value={typeof input.value === "string" ? input.value : ""}
              onChange={input.onChange}
            />
          )}
        </ControlledField>
      );
    case "object":
      return (
        <fieldset className="space-y-3 rounded-md border p-3">
          <legend className="px-1 text-sm font-medium">{field.label}</legend>
          {field.fields.map((child) => (
            <FieldView
              key={child.key}
              field={child}
              name={`${name}.${child.key}`}
              context={context}
            />
          ))}
        </fieldset>
      );
    case "union":
      return <UnionView field={field} name={name} context={context} />;
    case "list":
      return (
        <Controller
          control={control}
          name={name}
          render={({ field: input }) => {
            const items = Array.isArray(input.value) ? (input.value as unknown[]) : [];
            const canAdd = field.maxItems === undefined || items.length < field.maxItems;
            const canRemove = items.length > (field.minItems ?? 0);
            return (
              <fieldset className="space-y-2 rounded-md border p-3">
                <legend className="px-1 text-sm font-medium">{field.label}</legend>
                {items.map((_, index) => (
                  // biome-ignore lint/suspicious/noArrayIndexKey: list items have no identity but their place
                  <div key={index} className="flex items-start gap-2">
                    <div className="min-w-0 flex-1 space-y-2">
                      <FieldView
                        field={{
                          ...field.item,
                          label: field.item.label || `${field.label} ${index + 1}`,
                        }}
                        name={`${name}.${index}`}
                        context={context}
                      />
                    </div>
                    <Button
                      type="button"
                      variant="ghost"
                      size="icon"
                      disabled={!canRemove || context.readOnly}
                      aria-label={`Remove ${field.label.toLowerCase()} ${index + 1}`}
                      onClick={() =>
                        setValue(
                          name,
                          items.filter((__, other) => other !== index),
                          { shouldDirty: true, shouldValidate: true },
                        )
                      }
                    >
                      <Trash2Icon />
                    </Button>
                  </div>
                ))}
                <Button
                  type="button"
                  variant="outline"
                  size="sm"
                  disabled={!canAdd || context.readOnly}
                  onClick={() =>
                    setValue(name, [...items, emptyValue(field.item)], {
                      shouldDirty: true,
                      shouldValidate: true,
                    })
                  }
                >
                  <PlusIcon /> Add
                </Button>
              </fieldset>
            );
          }}
        />
      );
    case "map":
      return (
        <ControlledField field={field} name={name} context={context}>
          {(input, { id }) => (
            <MapEditor
              id={id}
              label={field.label}
              value={(input.value as Record<string, string> | undefined) ?? {}}
              variables={context.variables}
              onChange={input.onChange}
            />
          )}
        </ControlledField>
      );
    case "json":
      return (
        <ControlledField field={field} name={name} context={context}>
          {(input, ids) => <JsonEditor {...ids} value={input.value} onChange={input.onChange} />}
        </ControlledField>
      );
  }
}

function UnionView({
  field,
  name,
  context,
}: {
  field: Extract<ConfigField, { type: "union" }>;
  name: string;
  context: FormContext;
}) {
  const { watch, setValue, getValues } = useFormContext();
  const prefix = name ? `${name}.` : "";
  const current = watch(`${prefix}${field.discriminator}`) as string | undefined;
  const option = field.options.find((entry) => entry.value === current);
  const selectId = `${context.formId}-${prefix.replace(/\./g, "-")}${field.discriminator}`;
  const switchTo = (value: string) => {
    const next = field.options.find((entry) => entry.value === value);
    if (!next) return;
    const fresh: Record<string, unknown> = { [field.discriminator]: value };
    for (const child of next.fields) {
      const kept = getValues(`${prefix}${child.key}`);
      fresh[child.key] = kept !== undefined && child.type !== "object" ? kept : emptyValue(child);
    }
    if (name) setValue(name, fresh, { shouldDirty: true, shouldValidate: true });
    else
      for (const [key, child] of Object.entries(fresh))
        setValue(key, child, { shouldDirty: true, shouldValidate: true });
  };
  return (
    <div className="space-y-3 rounded-md border p-3">
      <div className="space-y-1.5">
        <label htmlFor={selectId} className="block text-sm font-medium">
          {field.label ? `${field.label}: ${field.discriminator}` : labelCase(field.discriminator)}
        </label>
        <NativeSelect
          id={selectId}
          value={current ?? ""}
          onChange={switchTo}
          options={[
            ...(option ? [] : [{ value: "", label: "Choose…" }]),
            ...field.options.map((entry) => ({ value: entry.value, label: entry.label })),
          ]}
        />
      </div>
      {option?.fields.map((child) => (
        <FieldView key={child.key} field={child} name={`${prefix}${child.key}`} context={context} />
      ))}
    </div>
  );
}

function labelCase(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** What a new list item or a newly chosen union option starts with. */
function emptyValue(field: ConfigField): unknown {
  if (field.default !== undefined) return structuredClone(field.default);
  switch (field.type) {
    case "object":
      return Object.fromEntries(field.fields.map((child) => [child.key, emptyValue(child)]));
    case "union": {
      const first = field.options[0];
      if (!first) return {};
      return {
        [field.discriminator]: first.value,
        ...Object.fromEntries(first.fields.map((child) => [child.key, emptyValue(child)])),
      };
    }
    case "list":
      return [];
    case "map":
      return {};
    case "boolean":
      return false;
    case "number":
      return undefined;
    case "select":
      return field.options[0] ?? "";
    default:
      return "";
  }
}

function NativeSelect({
  id,
  value,
  onChange,
  options,
  invalid,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  options: { value: string; label: string }[];
  invalid?: boolean;
  describedBy?: string;
}) {
  return (
    <select
      id={id}
      value={value}
      onChange={(event) => onChange(event.target.value)}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      className="h-9 w-full rounded-md border border-input bg-background px-2 text-sm shadow-xs focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40 aria-invalid:border-destructive"
    >
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

function CredentialSelect({
  id,
  describedBy,
  invalid,
  kinds,
  required,
  value,
  onChange,
}: {
  id: string;
  describedBy?: string;
  invalid: boolean;
  kinds: readonly string[];
  required: boolean;
  value: string;
  onChange: (value: string) => void;
}) {
  const { organization, can } = useOrg();
  const credentials = useCredentials(organization.slug, { enabled: can("credentials:read") });
  const usable = (credentials.data ?? []).filter((credential) => kinds.includes(credential.kind));
  const known = usable.some((credential) => credential.id === value);
  return (
    <div className="space-y-1">
      <NativeSelect
        id={id}
        value={value}
        onChange={onChange}
        invalid={invalid}
        describedBy={describedBy}
        options={[
          { value: "", label: required ? "Choose a credential…" : "None" },
          ...(value && !known ? [{ value, label: "Unknown credential" }] : []),
          ...usable.map((credential) => ({
            value: credential.id,
            label: `${credential.name} (${credential.hint})`,
          })),
        ]}
      />
      {credentials.isSuccess && usable.length === 0 && (
        <p className="text-xs text-muted-foreground">
          No {kinds.join(" or ")} credential yet.{" "}
          <Link
            className="underline"
            href={`/o/${organization.slug}/settings?tab=credentials`}
            target="_blank"
          >
            Add one in Settings
          </Link>
          .
        </p>
      )}
    </div>
  );
}

function WorkflowSelect({
  id,
  describedBy,
  invalid,
  value,
  onChange,
}: {
  id: string;
  describedBy?: string;
  invalid: boolean;
  value: string;
  onChange: (value: string) => void;
}) {
  const { organization } = useOrg();
  const workflows = useWorkflows(organization.slug);
  const list = workflows.data ?? [];
  return (
    <NativeSelect
      id={id}
      value={value}
      onChange={onChange}
      invalid={invalid}
      describedBy={describedBy}
      options={[
        { value: "", label: "Choose a workflow…" },
        ...(value && !list.some((workflow) => workflow.id === value)
          ? [{ value, label: "Unknown workflow" }]
          : []),
        ...list.map((workflow) => ({
          value: workflow.id,
          label: `${workflow.name}${workflow.activeVersionId ? "" : " (not published)"}`,
        })),
      ]}
    />
  );
}

function MapEditor({
  id,
  label,
  value,
  variables,
  onChange,
}: {
  id: string;
  label: string;
  value: Record<string, string>;
  /** Computed on first use (the picker opening), not whenever a node is selected. */
  variables: () => readonly VariableInfo[];
  onChange: (value: Record<string, string>) => void;
}) {
  const entries = Object.entries(value);
  const update = (index: number, key: string, text: string) => {
    const next = entries.map((entry, other) => (other === index ? [key, text] : entry));
    onChange(Object.fromEntries(next));
  };
  return (
    <div className="space-y-2" id={id}>
      {entries.map(([key, text], index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: keys are being edited; the row's place is its identity
        <div key={index} className="flex items-start gap-2">
          <Input
            aria-label={`${label} ${index + 1} name`}
            value={key}
            className="w-2/5"
            onChange={(event) => update(index, event.target.value, text)}
          />
          <div className="min-w-0 flex-1">
            <TemplateInput
              id={`${id}-${index}`}
              value={text}
              onChange={(next) => update(index, key, next)}
              multiline={false}
              syntax="template"
              variables={variables}
            />
          </div>
          <Button
            type="button"
            variant="ghost"
            size="icon"
            aria-label={`Remove ${label.toLowerCase()} ${key || index + 1}`}
            onClick={() =>
              onChange(Object.fromEntries(entries.filter((_, other) => other !== index)))
            }
          >
            <Trash2Icon />
          </Button>
        </div>
      ))}
      <Button
        type="button"
        variant="outline"
        size="sm"
        onClick={() => onChange({ ...value, [uniqueKey(value)]: "" })}
      >
        <PlusIcon /> Add
      </Button>
    </div>
  );
}

function uniqueKey(value: Record<string, string>): string {
  let n = Object.keys(value).length + 1;
  while (`name${n}` in value) n++;
  return `name${n}`;
}

function JsonEditor({
  id,
  describedBy,
  invalid,
  value,
  onChange,
}: {
  id: string;
  describedBy?: string;
  invalid: boolean;
  value: unknown;
  onChange: (value: unknown) => void;
}) {
  const [text, setText] = useState(() => JSON.stringify(value ?? {}, null, 2));
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <textarea
        id={id}
        rows={6}
        value={text}
        spellCheck={false}
        aria-invalid={invalid || Boolean(error) || undefined}
        aria-describedby={describedBy}
        onChange={(event) => setText(event.target.value)}
        onBlur={() => {
          try {
            onChange(JSON.parse(text));
            setError(null);
          } catch (parseError) {
            setError(parseError instanceof Error ? parseError.message : "is not valid JSON");
          }
        }}
        className="w-full rounded-md border border-input bg-background px-3 py-1.5 font-mono text-xs shadow-xs aria-invalid:border-destructive"
      />
      {error && <p className="text-sm text-destructive">Not valid JSON: {error}</p>}
    </>
  );
}
