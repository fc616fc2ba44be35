"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

// A recorded value (a step's input, output, error, what it would have sent) as
// pretty JSON. Values come from workflows, so anything goes: huge strings,
// deep objects. The text is cut at `limit` characters unless asked for, so one
// step's megabyte never makes the page unusable.

const DEFAULT_LIMIT = 20_000;

export function jsonText(value: unknown): string {
  if (value === undefined) return "";
  if (typeof value === "string") return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

export function JsonView({ value, limit = DEFAULT_LIMIT }: { value: unknown; limit?: number }) {
  const [expanded, setExpanded] = useState(false);
  const text = jsonText(value);
  const cut = !expanded && text.length > limit;
  return (
    <div className="grid gap-1">
      <pre className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md border bg-muted/40 p-3 font-mono text-xs">
        {cut ? text.slice(0, limit) : text}
        {cut ? "…" : null}
      </pre>
      {cut ? (
        <div className="flex items-center gap-2 text-xs text-muted-foreground">
          Showing the first {limit.toLocaleString()} of {text.length.toLocaleString()} characters.
          <Button type="button" variant="link" size="sm" onClick={() => setExpanded(true)}>
            Show all
          </Button>
        </div>
      ) : null}
    </div>
  );
}
