import type * as React from "react";
import { Input, type InputProps } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { cn } from "@/lib/cn";

export type FormFieldProps = Omit<InputProps, "id"> & {
  id: string;
  label: string;
  /** Guidance shown under the input, e.g. password rules. */
  hint?: React.ReactNode;
  error?: string;
  /** Marks the label "(optional)". */
  optional?: boolean;
  /** Fixed text shown before the value, e.g. "/o/" for a URL slug. */
  prefix?: string;
};

/** A labelled input whose hint and error are announced with it (aria-describedby). */
export function FormField({
  id,
  label,
  hint,
  error,
  optional = false,
  prefix,
  className,
  ...inputProps
}: FormFieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  const input = (
    <Input
      id={id}
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy}
      className={cn(prefix && "rounded-l-none", className)}
      {...inputProps}
    />
  );

  return (
    <div className="grid gap-2">
      <Label htmlFor={id}>
        {label}
        {optional && <span className="font-normal text-muted-foreground">(optional)</span>}
      </Label>
      {prefix ? (
        <div className="flex">
          <span
            aria-hidden="true"
            className="inline-flex items-center rounded-l-md border border-r-0 border-input bg-muted px-3 font-mono text-sm text-muted-foreground"
          >
            {prefix}
          </span>
          {input}
        </div>
      ) : (
        input
      )}
      {hint && (
        <p id={hintId} className="text-xs text-muted-foreground">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="text-xs font-medium text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}
