"use client";

import { CheckIcon, CloudIcon, LoaderIcon, TriangleAlertIcon } from "lucide-react";
import { useDesigner } from "./store";

// Where the draft stands: saved, waiting to save, saving, or refused because
// someone else changed it meanwhile (then autosave stops until a reload, so
// nobody's work is silently overwritten).

export function SaveStatus() {
  const saveState = useDesigner((state) => state.saveState);
  const message = useDesigner((state) => state.saveMessage);
  const readOnly = useDesigner((state) => state.readOnly && !state.comparison);
  if (readOnly) return <span className="text-xs text-muted-foreground">Read-only</span>;
  switch (saveState) {
    case "saved":
      return (
        <span
          className="flex items-center gap-1 text-xs text-muted-foreground"
          data-testid="save-status"
          data-state="saved"
        >
          <CheckIcon className="size-3.5" aria-hidden="true" /> Saved
        </span>
      );
    case "unsaved":
      return (
        <span
          className="flex items-center gap-1 text-xs text-muted-foreground"
          data-testid="save-status"
          data-state="unsaved"
        >
          <CloudIcon className="size-3.5" aria-hidden="true" /> Unsaved changes
        </span>
      );
    case "saving":
      return (
        <span
          className="flex items-center gap-1 text-xs text-muted-foreground"
          data-testid="save-status"
          data-state="saving"
        >
          <LoaderIcon className="size-3.5 animate-spin" aria-hidden="true" /> Saving…
        </span>
      );
    case "conflict":
      return (
        <span
          role="alert"
          className="flex items-center gap-2 rounded bg-destructive/10 px-2 py-1 text-xs text-destructive"
          data-testid="save-status"
          data-state="conflict"
        >
          <TriangleAlertIcon className="size-3.5" aria-hidden="true" />
          {message ?? "Someone else changed this draft."} Your edits are kept here but not saved.
          <button type="button" className="underline" onClick={() => window.location.reload()}>
            Reload
          </button>
        </span>
      );
    case "error":
      return (
        <span
          role="alert"
          className="flex items-center gap-1 text-xs text-destructive"
          data-testid="save-status"
          data-state="error"
        >
          <TriangleAlertIcon className="size-3.5" aria-hidden="true" /> Not saved: {message}
        </span>
      );
  }
}
