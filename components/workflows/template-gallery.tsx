"use client";

import {
  ArrowRightLeftIcon,
  type LucideIcon,
  SquareDashedIcon,
  UserMinusIcon,
  UserPlusIcon,
} from "lucide-react";
import { useId } from "react";
import { LoadError } from "@/components/ui/query-state";
import { cn } from "@/lib/cn";
import type { WorkflowTemplateSummary } from "./queries";

// The choice a new workflow starts from: blank, or one of the joiner, mover and
// leaver templates. Native radio buttons under the cards give the keyboard
// behaviour of a radio group for free (Tab into it, arrows to move).

export type GalleryChoice = "blank" | WorkflowTemplateSummary["id"];

const ICONS: Record<GalleryChoice, LucideIcon> = {
  blank: SquareDashedIcon,
  joiner: UserPlusIcon,
  mover: ArrowRightLeftIcon,
  leaver: UserMinusIcon,
};

const AUDIENCE: Record<WorkflowTemplateSummary["id"], string> = {
  joiner: "Joiner",
  mover: "Mover",
  leaver: "Leaver",
};

type Card = { id: GalleryChoice; name: string; description: string; detail: string };

export function TemplateGallery({
  templates,
  loading,
  error,
  value,
  onChange,
  describedBy,
}: {
  templates: WorkflowTemplateSummary[] | undefined;
  loading: boolean;
  error: unknown;
  value: GalleryChoice;
  onChange: (choice: GalleryChoice) => void;
  /** The id of an error shown under the gallery. */
  describedBy?: string;
}) {
  const name = useId();
  const cards: Card[] = [
    {
      id: "blank",
      name: "Blank",
      description: "Start with a trigger alone and build the workflow in the designer.",
      detail: "1 node",
    },
    ...(templates ?? []).map((template) => ({
      id: template.id,
      name: template.name,
      description: template.description,
      detail: `${AUDIENCE[template.id]} · ${template.nodeCount} nodes`,
    })),
  ];

  return (
    <fieldset className="grid gap-2" aria-describedby={describedBy}>
      <legend className="mb-2 text-sm font-medium">Start from</legend>
      <div className="grid gap-2 sm:grid-cols-2">
        {cards.map((card) => {
          const Icon = ICONS[card.id];
          const checked = value === card.id;
          return (
            <label
              key={card.id}
              data-testid={`template-${card.id}`}
              className={cn(
                "flex cursor-pointer gap-3 rounded-lg border bg-card p-3 text-left transition-colors hover:bg-accent/50",
                "has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-ring has-[:focus-visible]:ring-offset-2 has-[:focus-visible]:ring-offset-background",
                checked && "border-primary bg-primary/5",
              )}
            >
              <input
                type="radio"
                name={name}
                value={card.id}
                checked={checked}
                onChange={() => onChange(card.id)}
                className="sr-only"
              />
              <span
                className={cn(
                  "flex size-9 shrink-0 items-center justify-center rounded-md bg-muted text-muted-foreground",
                  checked && "bg-primary/10 text-primary",
                )}
              >
                <Icon aria-hidden="true" className="size-5" />
              </span>
              <span className="grid gap-0.5">
                <span className="text-sm font-medium">{card.name}</span>
                <span className="text-xs text-muted-foreground">{card.description}</span>
                <span className="text-xs text-muted-foreground tabular-nums">{card.detail}</span>
              </span>
            </label>
          );
        })}
      </div>
      {loading ? (
        <p role="status" className="text-xs text-muted-foreground">
          Loading templates…
        </p>
      ) : null}
      {error ? <LoadError title="Could not load the templates" error={error} /> : null}
    </fieldset>
  );
}
