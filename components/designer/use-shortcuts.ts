"use client";

import { useReactFlow } from "@xyflow/react";
import { useEffect } from "react";
import { useDesignerStore } from "./store";

// The designer's keyboard shortcuts. They act only when focus is on the
// canvas or the page, never while typing in a field (where Ctrl+Z is the
// field's own undo).

export const SHORTCUTS: { keys: string; action: string }[] = [
  { keys: "Ctrl/⌘ Z", action: "Undo" },
  { keys: "Ctrl/⌘ Shift Z, Ctrl Y", action: "Redo" },
  { keys: "Ctrl/⌘ C / V", action: "Copy / paste the selected nodes" },
  { keys: "Ctrl/⌘ D", action: "Duplicate the selected nodes" },
  { keys: "Ctrl/⌘ A", action: "Select every node" },
  { keys: "Delete, Backspace", action: "Delete the selection" },
  { keys: "Shift L", action: "Auto-layout" },
  { keys: "Shift 1", action: "Fit the workflow in view" },
  { keys: "Escape", action: "Close a comparison, or clear the selection" },
];

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return (
    target.isContentEditable ||
    target.tagName === "INPUT" ||
    target.tagName === "TEXTAREA" ||
    target.tagName === "SELECT" ||
    target.closest("[role=dialog],[role=listbox],[role=menu]") !== null
  );
}

export function useDesignerShortcuts() {
  const store = useDesignerStore();
  const { fitView } = useReactFlow();

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.defaultPrevented) return;
      const actions = store.getState();
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      let handled = true;
      if (mod && key === "z" && !event.shiftKey) actions.undo();
      else if (mod && ((key === "z" && event.shiftKey) || key === "y")) actions.redo();
      else if (mod && key === "c") handled = actions.copySelection();
      else if (mod && key === "v") actions.paste();
      else if (mod && key === "d") actions.duplicateSelection();
      else if (mod && key === "a") actions.selectAll();
      else if (!mod && (event.key === "Delete" || event.key === "Backspace"))
        actions.deleteSelection();
      else if (!mod && event.shiftKey && key === "l") actions.autoLayout();
      else if (!mod && event.shiftKey && event.code === "Digit1")
        void fitView({ padding: 0.2, duration: 200 });
      else if (event.key === "Escape" && actions.comparison) actions.closeComparison();
      else if (event.key === "Escape") actions.selectOnly(null);
      else handled = false;
      if (handled) event.preventDefault();
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, [store, fitView]);
}
