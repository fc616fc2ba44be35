"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useReactFlow } from "@xyflow/react";
import { useState } from "react";
import { toast } from "@/components/ui/toast";
import { workflowKeys } from "@/components/workflows/queries";
import { definitionFromDocument } from "@/lib/designer/document";
import { comparisonDocument, diffDefinitions } from "@/lib/workflows/diff";
import { useDesignerStore } from "./store";
import {
  fetchWorkflowVersion,
  rollBackToVersion,
  type WorkflowVersionSummary,
} from "./version-queries";

// What the Versions tab does with a published version: show it against the
// draft or another version on the canvas, make it the draft again, or publish
// it again. Restoring asks first only when the draft holds work that no
// published version has (or that is not saved yet); otherwise nothing is lost.

export type RestorePlan = { version: WorkflowVersionSummary; definition: unknown };

export function useVersionActions(slug: string, workflowId: string) {
  const store = useDesignerStore();
  const queryClient = useQueryClient();
  const { fitView } = useReactFlow();
  /** Which action is fetching (`compare:<id>`, `restore:<id>`), so its button can say so. */
  const [busy, setBusy] = useState<string | null>(null);

  const definitionOf = async (versionId: string) =>
    (await fetchWorkflowVersion(queryClient, slug, workflowId, versionId)).definition;

  const draftDefinition = () => definitionFromDocument(store.getState().history.present);

  async function run<T>(key: string, action: () => Promise<T>): Promise<T | undefined> {
    setBusy(key);
    try {
      return await action();
    } catch (error) {
      toast({
        title: "The version could not be loaded",
        description: error instanceof Error ? error.message : undefined,
        variant: "destructive",
      });
      return undefined;
    } finally {
      setBusy(null);
    }
  }

  // The comparison banner fits it in view once its nodes are measured.
  const show = (title: string, before: unknown, after: unknown) =>
    store.getState().showComparison({ title, ...comparisonDocument(before, after) });

  /** The version before, the current draft after. */
  const compareWithDraft = (version: WorkflowVersionSummary) =>
    run(`compare:${version.id}`, async () => {
      const before = await definitionOf(version.id);
      show(`Version ${version.version} → Draft`, before, draftDefinition());
    });

  /** The older of the two before, the newer after. */
  const compareVersions = (a: WorkflowVersionSummary, b: WorkflowVersionSummary) => {
    const [older, newer] = a.version < b.version ? [a, b] : [b, a];
    return run(`compare:${a.id}`, async () => {
      const [before, after] = await Promise.all([definitionOf(older.id), definitionOf(newer.id)]);
      show(`Version ${older.version} → Version ${newer.version}`, before, after);
    });
  };

  /**
   * Loads a version for restoring. Returns the plan when the draft has work of
   * its own (confirm first), or null when it was restored at once or there was
   * nothing to do.
   */
  const prepareRestore = (
    version: WorkflowVersionSummary,
    newest: WorkflowVersionSummary,
  ): Promise<RestorePlan | null | undefined> =>
    run(`restore:${version.id}`, async () => {
      const [definition, newestDefinition] = await Promise.all([
        definitionOf(version.id),
        definitionOf(newest.id),
      ]);
      const draft = draftDefinition();
      if (!differs(definition, draft)) {
        toast({ title: `The draft already matches version ${version.version}` });
        return null;
      }
      const unsaved = store.getState().saveState !== "saved";
      if (unsaved || differs(newestDefinition, draft)) return { version, definition };
      restore({ version, definition });
      return null;
    });

  const restore = ({ version, definition }: RestorePlan) => {
    const actions = store.getState();
    // The comparison makes the canvas read-only, which would refuse the edit.
    actions.closeComparison();
    actions.replaceDocument(definition);
    requestAnimationFrame(() => void fitView({ padding: 0.2, duration: 200 }));
    toast({
      title: `Version ${version.version} restored as the draft`,
      description: "Undo brings the previous draft back. Publish to make it live.",
      variant: "success",
    });
  };

  const rollback = useMutation({
    mutationFn: (version: WorkflowVersionSummary) =>
      rollBackToVersion(slug, workflowId, version.id),
    onSuccess: (published, version) => {
      toast({
        title: `Version ${published.version} published`,
        description: `It is version ${version.version} again; new runs use it from now on.`,
        variant: "success",
      });
    },
    onError: (error) => {
      toast({ title: "Not published", description: error.message, variant: "destructive" });
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: workflowKeys.all(slug) }),
  });

  return { busy, compareWithDraft, compareVersions, prepareRestore, restore, rollback };
}

/** Anything that would change on the canvas, moves included. */
function differs(before: unknown, after: unknown): boolean {
  const diff = diffDefinitions(before, after);
  return (
    diff.nodes.some((node) => node.status !== "unchanged" || node.moved) ||
    diff.edges.some((edge) => edge.status !== "unchanged")
  );
}
