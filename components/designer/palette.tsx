"use client";

import { SearchIcon } from "lucide-react";
import { useId, useMemo, useState } from "react";
import { Input } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import { NODE_KINDS } from "@/lib/nodes";
import type { AnyNodeKind } from "@/lib/nodes/node-kind";
import { CATEGORIES, categoryAccent, kindIcon } from "./kind-visuals";
import { useDesigner } from "./store";

// The palette: every node kind of the registry, grouped by category, with a
// search. Drag an entry onto the canvas, or press it (Enter) to add the node
// in the middle of the view. The trigger is offered only while the workflow
// has none: a workflow has exactly one.

export const KIND_DRAG_TYPE = "application/x-officeflow-node-kind";

function matches(kind: AnyNodeKind, query: string): boolean {
  const text = `${kind.label} ${kind.kind} ${kind.description} ${kind.category}`.toLowerCase();
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => text.includes(word));
}

export function Palette({ onAdd }: { onAdd: (kind: AnyNodeKind) => void }) {
  const [query, setQuery] = useState("");
  const searchId = useId();
  const hasTrigger = useDesigner((state) =>
    state.history.present.nodes.some((node) => node.data.kind === "trigger"),
  );
  const readOnly = useDesigner((state) => state.readOnly);
  const groups = useMemo(() => {
    const kinds = [...NODE_KINDS.values()].filter(
      (kind) => (kind.kind !== "trigger" || !hasTrigger) && matches(kind, query),
    );
    return CATEGORIES.map((category) => ({
      ...category,
      kinds: kinds.filter((kind) => kind.category === category.id),
    })).filter((group) => group.kinds.length > 0);
  }, [query, hasTrigger]);

  return (
    <nav aria-label="Node palette" className="flex h-full flex-col">
      <div className="relative p-3">
        <label htmlFor={searchId} className="sr-only">
          Search node kinds
        </label>
        <SearchIcon
          className="pointer-events-none absolute top-1/2 left-5 size-4 -translate-y-1/2 text-muted-foreground"
          aria-hidden="true"
        />
        <Input
          id={searchId}
          type="search"
          placeholder="Search nodes…"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          className="pl-8"
        />
      </div>
      <div className="flex-1 space-y-4 overflow-y-auto px-3 pb-3">
        {groups.length === 0 && (
          <p className="px-1 text-sm text-muted-foreground">No node kind matches “{query}”.</p>
        )}
        {groups.map((group) => (
          <section key={group.id} aria-labelledby={`palette-${group.id}`}>
            <h3
              id={`palette-${group.id}`}
              className="mb-1 px-1 text-xs font-semibold tracking-wide text-muted-foreground uppercase"
            >
              {group.label}
            </h3>
            <ul className="space-y-1">
              {group.kinds.map((kind) => {
                const Icon = kindIcon(kind.kind, kind.category);
                return (
                  <li key={kind.kind}>
                    <button
                      type="button"
                      draggable={!readOnly}
                      disabled={readOnly}
                      data-testid={`palette-${kind.kind}`}
                      onDragStart={(event) => {
                        event.dataTransfer.setData(KIND_DRAG_TYPE, kind.kind);
                        event.dataTransfer.effectAllowed = "copy";
                      }}
                      onClick={() => onAdd(kind)}
                      title={`${kind.description} Drag onto the canvas, or press to add.`}
                      className={cn(
                        "flex w-full cursor-grab items-center gap-2 rounded-md border bg-background px-2 py-1.5 text-left text-sm",
                        "hover:bg-accent focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring active:cursor-grabbing disabled:cursor-not-allowed disabled:opacity-50",
                      )}
                    >
                      <span
                        className={cn("rounded p-1", categoryAccent(kind.category))}
                        aria-hidden="true"
                      >
                        <Icon className="size-3.5" />
                      </span>
                      <span className="min-w-0 flex-1 truncate">{kind.label}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          </section>
        ))}
      </div>
    </nav>
  );
}
