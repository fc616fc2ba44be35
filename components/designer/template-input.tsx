"use client";

import { BracesIcon } from "lucide-react";
import { type KeyboardEvent, useId, useMemo, useRef, useState } from "react";
import { cn } from "@/lib/cn";
import type { VariableInfo } from "@/lib/workflows/variables";

// A text field with the variable picker: typing `{{` (or pressing Ctrl+Space,
// or the { } button) lists exactly the variables in reach of this node — the
// trigger's payload and the outputs of nodes that certainly ran before it —
// filtered as you type; Enter or a click inserts `{{ path }}` (a bare path in
// an expression field).

const MAX_SHOWN = 50;

type Props = {
  id: string;
  value: string;
  onChange: (value: string) => void;
  onBlur?: () => void;
  multiline: boolean;
  syntax: "template" | "expression";
  /** The variables in reach, computed when the list first opens. */
  variables: () => readonly VariableInfo[];
  invalid?: boolean;
  describedBy?: string;
  required?: boolean;
  maxLength?: number;
};

type Open = { query: string; start: number; end: number; viaButton: boolean };

/** The partial `{{ emp` before the caret, if any. */
function partialAt(value: string, caret: number): { query: string; start: number } | null {
  const before = value.slice(0, caret);
  const match = /\{\{\s*([A-Za-z0-9_.]*)$/.exec(before);
  return match ? { query: match[1] ?? "", start: match.index } : null;
}

export function TemplateInput(props: Props) {
  const { id, value, onChange, multiline, syntax, variables } = props;
  const fieldRef = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const listId = useId();
  const [open, setOpen] = useState<Open | null>(null);
  const [active, setActive] = useState(0);

  const matches = useMemo(() => {
    if (!open) return [];
    const query = open.query.toLowerCase();
    return variables()
      .filter((variable) => variable.path.toLowerCase().includes(query))
      .sort(
        (a, b) =>
          Number(!a.path.toLowerCase().startsWith(query)) -
          Number(!b.path.toLowerCase().startsWith(query)),
      )
      .slice(0, MAX_SHOWN);
  }, [open, variables]);

  const refreshFromCaret = (text: string, caret: number) => {
    if (syntax !== "template") return;
    const partial = partialAt(text, caret);
    setOpen(partial ? { ...partial, end: caret, viaButton: false } : null);
    setActive(0);
  };

  const insert = (variable: VariableInfo) => {
    if (!open) return;
    const text = syntax === "template" ? `{{ ${variable.path} }}` : variable.path;
    const next = value.slice(0, open.start) + text + value.slice(open.end);
    onChange(next);
    setOpen(null);
    const caret = open.start + text.length;
    requestAnimationFrame(() => {
      fieldRef.current?.focus();
      fieldRef.current?.setSelectionRange(caret, caret);
    });
  };

  const openAtCaret = (viaButton: boolean) => {
    const caret = fieldRef.current?.selectionStart ?? value.length;
    const partial = syntax === "template" ? partialAt(value, caret) : null;
    setActive(0);
    setOpen(
      partial
        ? { ...partial, end: caret, viaButton }
        : { query: "", start: caret, end: caret, viaButton },
    );
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === " " && event.ctrlKey) {
      event.preventDefault();
      openAtCaret(false);
      return;
    }
    if (!open || matches.length === 0) {
      if (event.key === "Escape" && open) {
        event.preventDefault();
        setOpen(null);
      }
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      setActive((current) => (current + step + matches.length) % matches.length);
    } else if (event.key === "Enter" || event.key === "Tab") {
      event.preventDefault();
      const chosen = matches[active];
      if (chosen) insert(chosen);
    } else if (event.key === "Escape") {
      event.preventDefault();
      setOpen(null);
    }
  };

  const shared = {
    id,
    ref: fieldRef,
    value,
    role: "combobox",
    "aria-autocomplete": "list" as const,
    "aria-expanded": open !== null && matches.length > 0,
    "aria-controls": listId,
    "aria-activedescendant": open && matches[active] ? `${listId}-${active}` : undefined,
    "aria-invalid": props.invalid || undefined,
    "aria-describedby": props.describedBy,
    "aria-required": props.required || undefined,
    maxLength: props.maxLength,
    spellCheck: syntax === "template",
    onKeyDown,
    onBlur: () => {
      // Let a click on a suggestion land before the list closes.
      setTimeout(() => setOpen((current) => (current?.viaButton ? current : null)), 150);
      props.onBlur?.();
    },
    className: cn(
      "w-full min-w-0 rounded-md border border-input bg-background px-3 py-1.5 pr-9 text-sm shadow-xs",
      "focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40",
      "aria-invalid:border-destructive",
      syntax === "expression" && "font-mono text-xs",
    ),
  };

  return (
    <div className="relative">
      {multiline ? (
        <textarea
          {...shared}
          rows={syntax === "expression" ? 3 : 5}
          onChange={(event) => {
            onChange(event.target.value);
            refreshFromCaret(event.target.value, event.target.selectionStart);
          }}
        />
      ) : (
        <input
          {...shared}
          type="text"
          onChange={(event) => {
            onChange(event.target.value);
            refreshFromCaret(
              event.target.value,
              event.target.selectionStart ?? event.target.value.length,
            );
          }}
        />
      )}
      <button
        type="button"
        className="absolute top-1.5 right-1.5 rounded p-1 text-muted-foreground hover:bg-accent hover:text-foreground focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
        aria-label="Insert a variable"
        title="Insert a variable (Ctrl+Space)"
        onMouseDown={(event) => event.preventDefault()}
        onClick={() => {
          if (open) return setOpen(null);
          fieldRef.current?.focus();
          openAtCaret(true);
        }}
      >
        <BracesIcon className="size-3.5" aria-hidden="true" />
      </button>
      {open && (
        <VariableList
          listId={listId}
          matches={matches}
          active={active}
          onPick={insert}
          empty={
            variables().length === 0
              ? "No variables are in reach of this node yet."
              : `No variable matches “${open.query}”.`
          }
        />
      )}
    </div>
  );
}

function VariableList({
  listId,
  matches,
  active,
  onPick,
  empty,
}: {
  listId: string;
  matches: VariableInfo[];
  active: number;
  onPick: (variable: VariableInfo) => void;
  empty: string;
}) {
  return (
    <div
      id={listId}
      role="listbox"
      aria-label="Variables"
      className="absolute z-20 mt-1 max-h-64 w-full overflow-y-auto rounded-md border bg-popover p-1 text-popover-foreground shadow-md"
    >
      {matches.length === 0 && (
        <li className="px-2 py-1.5 text-sm text-muted-foreground">{empty}</li>
      )}
      {matches.map((variable, index) => (
        // biome-ignore lint/a11y/useKeyWithClickEvents: the field keeps focus and handles the keys (combobox pattern)
        <div
          key={variable.path}
          id={`${listId}-${index}`}
          ref={
            index === active
              ? (element) => element?.scrollIntoView({ block: "nearest" })
              : undefined
          }
          role="option"
          tabIndex={-1}
          aria-selected={index === active}
          onMouseDown={(event) => event.preventDefault()}
          onClick={() => onPick(variable)}
          className={cn(
            "cursor-pointer rounded px-2 py-1 text-sm",
            index === active ? "bg-accent text-accent-foreground" : "hover:bg-accent/60",
          )}
        >
          <span className="font-mono text-xs">{variable.path}</span>
          <span className="sr-only">, </span>
          <span className="ml-2 text-xs text-muted-foreground">{variable.type}</span>
          {variable.description && (
            <span className="block truncate text-xs text-muted-foreground">
              {variable.description}
            </span>
          )}
        </div>
      ))}
    </div>
  );
}
