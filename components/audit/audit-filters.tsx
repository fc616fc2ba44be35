"use client";

import { FilterIcon, XIcon } from "lucide-react";
import { type ChangeEvent, type FormEvent, useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { ApiError } from "@/lib/api-client";
import { type AuditLogFilters, hasAuditFilters, NO_AUDIT_FILTERS } from "./queries";

// Suggestions only: the field accepts any type, so new kinds of target need no change here.
const KNOWN_TARGET_TYPES = ["organization", "membership", "invitation", "api_key", "user"];

const FIELD_LABELS: Record<keyof AuditLogFilters, string> = {
  actor: "Actor",
  action: "Action",
  targetType: "Target type",
  targetId: "Target ID",
  from: "From",
  to: "To",
};

type AuditFiltersFormProps = {
  applied: AuditLogFilters;
  onApply: (filters: AuditLogFilters) => void;
  /** The last query's error, for showing a rejected filter next to its field. */
  error: unknown;
};

export function AuditFiltersForm({ applied, onApply, error }: AuditFiltersFormProps) {
  const ids = useId();
  const [draft, setDraft] = useState(applied);
  const apiError = error instanceof ApiError ? error : null;

  const field = (name: keyof AuditLogFilters) => ({
    id: `${ids}-${name}`,
    name,
    value: draft[name],
    onChange: (event: ChangeEvent<HTMLInputElement>) =>
      setDraft({ ...draft, [name]: event.target.value }),
    "aria-invalid": apiError?.issueFor(name) ? true : undefined,
    "aria-describedby": apiError?.issueFor(name) ? `${ids}-${name}-error` : undefined,
  });

  const issue = (name: keyof AuditLogFilters) => (
    <FieldError
      id={`${ids}-${name}-error`}
      label={FIELD_LABELS[name]}
      message={apiError?.issueFor(name)}
    />
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    onApply(draft);
  }

  function reset() {
    setDraft(NO_AUDIT_FILTERS);
    onApply(NO_AUDIT_FILTERS);
  }

  return (
    <form
      aria-label="Filter the audit log"
      onSubmit={onSubmit}
      className="grid gap-4 rounded-xl border bg-card p-4 shadow-xs sm:grid-cols-2 lg:grid-cols-3"
    >
      <div className="grid content-start gap-2">
        <Label htmlFor={`${ids}-actor`}>Actor</Label>
        <Input {...field("actor")} placeholder="Email or API key name" autoComplete="off" />
        {issue("actor")}
      </div>
      <div className="grid content-start gap-2">
        <Label htmlFor={`${ids}-action`}>Action</Label>
        <Input
          {...field("action")}
          placeholder="e.g. member. or api_key.created"
          autoComplete="off"
          spellCheck={false}
        />
        {issue("action")}
      </div>
      <div className="grid content-start gap-2">
        <Label htmlFor={`${ids}-targetType`}>Target type</Label>
        <Input
          {...field("targetType")}
          list={`${ids}-target-types`}
          placeholder="Any"
          autoComplete="off"
          spellCheck={false}
        />
        <datalist id={`${ids}-target-types`}>
          {KNOWN_TARGET_TYPES.map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        {issue("targetType")}
      </div>
      <div className="grid content-start gap-2">
        <Label htmlFor={`${ids}-targetId`}>Target ID</Label>
        <Input {...field("targetId")} placeholder="Any" autoComplete="off" spellCheck={false} />
        {issue("targetId")}
      </div>
      <div className="grid content-start gap-2">
        <Label htmlFor={`${ids}-from`}>From</Label>
        <Input {...field("from")} type="datetime-local" />
        {issue("from")}
      </div>
      <div className="grid content-start gap-2">
        <Label htmlFor={`${ids}-to`}>To</Label>
        <Input {...field("to")} type="datetime-local" />
        {issue("to")}
      </div>
      <div className="flex flex-wrap gap-2 sm:col-span-2 lg:col-span-3">
        <Button type="submit">
          <FilterIcon aria-hidden="true" />
          Apply filters
        </Button>
        {(hasAuditFilters(draft) || hasAuditFilters(applied)) && (
          <Button variant="ghost" onClick={reset}>
            <XIcon aria-hidden="true" />
            Clear filters
          </Button>
        )}
      </div>
    </form>
  );
}
