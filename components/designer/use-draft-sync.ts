"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { workflowKeys } from "@/components/workflows/queries";
import { ApiError, apiFetch } from "@/lib/api-client";
import { definitionFromDocument } from "@/lib/designer/document";
import type { DefinitionProblem } from "@/lib/workflows/validate";
import { startBackgroundValidator } from "./background-validator";
import type { DesignerStore } from "./store";

// Keeps the designer honest with the server and the validator:
// - live validation: the engine's own validator runs in the browser (in a
//   Web Worker, so a big graph never freezes the canvas) on opening and shortly
//   after each change of the workflow's content;
// - autosave: the draft is saved a moment after the last change, based on
//   the revision last seen, so a concurrent edit by someone else is refused
//   (409) and shown, never overwritten;
// - after each save the server validates the draft with what only it can look
//   up (credentials, sub-workflows), and those problems join the live ones.

const VALIDATE_DELAY_MS = 150;
export const AUTOSAVE_DELAY_MS = 800;

/** Problems only the server can find (the browser cannot look up credentials or other workflows). */
const SERVER_ONLY = new Set<string>([
  "credential_not_found",
  "credential_wrong_kind",
  "sub_workflow_not_found",
  "sub_workflow_not_published",
  "sub_workflow_calls_itself",
  "sub_workflow_cycle",
]);

export function useDraftSync(store: DesignerStore, slug: string, workflowId: string) {
  const queryClient = useQueryClient();
  const saveNow = useRef<() => Promise<void>>(async () => {});

  useEffect(() => {
    let validateTimer: ReturnType<typeof setTimeout> | undefined;
    let saveTimer: ReturnType<typeof setTimeout> | undefined;
    let serverProblems: DefinitionProblem[] = [];
    let localProblems: DefinitionProblem[] = [];
    // One save at a time, in order: each is based on the revision the last one returned.
    let queue: Promise<void> = Promise.resolve();

    const validator = startBackgroundValidator();
    const validate = () => {
      const definition = definitionFromDocument(store.getState().history.present);
      validator.validate(definition, (problems) => {
        localProblems = problems;
        store.getState().setProblems([...localProblems, ...serverProblems]);
      });
    };

    const checkOnServer = async () => {
      const checked = await apiFetch<{ problems: DefinitionProblem[] }>(
        `/api/v1/workflows/${encodeURIComponent(workflowId)}/validate`,
        { org: slug, method: "POST", body: {} },
      );
      serverProblems = checked.problems.filter((problem) => SERVER_ONLY.has(problem.code));
      store.getState().setProblems([...localProblems, ...serverProblems]);
    };

    const save = async () => {
      const state = store.getState();
      const version = state.contentVersion;
      if (state.readOnly || state.saveState === "conflict" || version === state.savedVersion)
        return;
      state.saveStarted(version);
      try {
        const { workflow } = await apiFetch<{ workflow: { draftRevision: number } }>(
          `/api/v1/workflows/${encodeURIComponent(workflowId)}`,
          {
            org: slug,
            method: "PATCH",
            body: {
              definition: definitionFromDocument(state.history.present),
              expectedRevision: state.revision,
            },
          },
        );
        store.getState().saveSucceeded(version, workflow.draftRevision);
        void queryClient.invalidateQueries({ queryKey: workflowKeys.all(slug) });
        await checkOnServer();
      } catch (error) {
        if (error instanceof ApiError && error.status === 409)
          store.getState().saveFailed("conflict", error.message);
        else
          store
            .getState()
            .saveFailed(
              "error",
              error instanceof Error ? error.message : "The draft could not be saved.",
            );
      }
    };

    const enqueueSave = () => {
      clearTimeout(saveTimer);
      queue = queue.then(save);
      return queue;
    };
    saveNow.current = enqueueSave;

    validate();
    checkOnServer().catch(() => {
      // Only the lookups are missing; the problems the draft came with still show.
    });
    const unsubscribe = store.subscribe((state, previous) => {
      if (state.contentVersion === previous.contentVersion) return;
      clearTimeout(validateTimer);
      validateTimer = setTimeout(validate, VALIDATE_DELAY_MS);
      clearTimeout(saveTimer);
      saveTimer = setTimeout(enqueueSave, AUTOSAVE_DELAY_MS);
    });

    // Leaving with unsaved edits: save them now, and ask the browser to warn.
    const beforeUnload = (event: BeforeUnloadEvent) => {
      const state = store.getState();
      if (state.contentVersion !== state.savedVersion && state.saveState !== "conflict") {
        void enqueueSave();
        event.preventDefault();
      }
    };
    window.addEventListener("beforeunload", beforeUnload);
    return () => {
      unsubscribe();
      clearTimeout(validateTimer);
      validator.stop();
      window.removeEventListener("beforeunload", beforeUnload);
      if (store.getState().contentVersion !== store.getState().savedVersion) void enqueueSave();
    };
  }, [store, slug, workflowId, queryClient]);

  /** Saves pending edits now (before publishing or a test run); true when the draft on the server is current. */
  return async function flush(): Promise<boolean> {
    await saveNow.current();
    const state = store.getState();
    return state.contentVersion === state.savedVersion && state.saveState === "saved";
  };
}
