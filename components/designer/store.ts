"use client";

import {
  applyEdgeChanges,
  applyNodeChanges,
  type EdgeChange,
  type NodeChange,
} from "@xyflow/react";
import { createContext, useContext } from "react";
import { createStore, type StoreApi, useStore } from "zustand";
import {
  type DesignerDocument,
  type DesignerEdge,
  type DesignerNode,
  documentFromDraft,
  type NodeData,
  type Position,
} from "@/lib/designer/document";
import {
  addNode,
  type Clip,
  type Connection,
  connect,
  copySelection,
  paste,
  removeElements,
  updateNodeData,
} from "@/lib/designer/edits";
import {
  type History,
  record,
  recordSince,
  redo,
  replacePresent,
  startHistory,
  undo,
} from "@/lib/designer/history";
import { autoLayout } from "@/lib/designer/layout";
import type { DefinitionDiff } from "@/lib/workflows/diff";
import type { DefinitionProblem } from "@/lib/workflows/validate";

// The designer's state: the document with its undo history, what the last
// save left on the server, the problems of the current content and the
// clipboard. React Flow reads nodes and edges from here and reports its
// changes back; every edit worth undoing goes through `record`. `contentVersion`
// moves only when the workflow itself changes (not on selection, measuring or
// mid-drag), so validation and autosave run only then.

export type SaveState = "saved" | "unsaved" | "saving" | "conflict" | "error";

export type DiffStatus = "added" | "removed" | "changed" | "unchanged";

/**
 * Another version shown on the canvas instead of the draft, read-only: the
 * union of both versions' nodes and edges, each marked with how it differs.
 */
export type Comparison = {
  title: string;
  document: DesignerDocument;
  nodeStatus: ReadonlyMap<string, DiffStatus>;
  edgeStatus: ReadonlyMap<string, DiffStatus>;
  /** The field-level changes, shown for the selected node (lib/workflows/diff.ts). */
  diff?: DefinitionDiff;
};

export type DesignerState = {
  history: History<DesignerDocument>;
  contentVersion: number;
  /** The draft revision on the server that the next save is based on. */
  revision: number;
  savedVersion: number;
  saveState: SaveState;
  saveMessage: string | null;
  problems: DefinitionProblem[];
  problemsByNode: ReadonlyMap<string, DefinitionProblem[]>;
  problemsByEdge: ReadonlyMap<string, DefinitionProblem[]>;
  /** What could not be read from a malformed draft. */
  loadNotes: string[];
  /** The last refused edit, shown briefly ("would make a loop"). */
  notice: { text: string; at: number } | null;
  clipboard: Clip | null;
  dragOrigin: DesignerDocument | null;
  /** The canvas cannot be edited (a member without edit rights, or a comparison on show). */
  readOnly: boolean;
  /** Set while a comparison of two versions is on the canvas (read-only). */
  comparison: Comparison | null;
  canEdit: boolean;
};

export type DesignerActions = {
  onNodesChange(changes: NodeChange<DesignerNode>[]): void;
  onEdgesChange(changes: EdgeChange<DesignerEdge>[]): void;
  connect(connection: Connection): void;
  addNode(
    kind: { kind: string; label: string; defaultConfig: unknown },
    position: Position,
  ): string;
  updateNode(id: string, patch: Partial<NodeData>, mergeKey?: string): void;
  deleteSelection(): void;
  removeEdges(ids: ReadonlySet<string>): void;
  copySelection(): boolean;
  paste(offset?: Position): void;
  duplicateSelection(): void;
  selectAll(): void;
  selectOnly(nodeId: string | null, edgeId?: string): void;
  undo(): void;
  redo(): void;
  autoLayout(): void;
  /** Replaces the whole document as one undoable edit (restore a version). */
  replaceDocument(raw: unknown): void;
  setProblems(problems: DefinitionProblem[]): void;
  saveStarted(version: number): void;
  saveSucceeded(version: number, revision: number): void;
  saveFailed(state: "conflict" | "error", message: string): void;
  notify(text: string): void;
  showComparison(comparison: Comparison): void;
  closeComparison(): void;
};

export type DesignerStore = StoreApi<DesignerState & DesignerActions>;

export function createDesignerStore(initial: {
  draft: unknown;
  revision: number;
  canEdit: boolean;
}): DesignerStore {
  const { document, notes } = documentFromDraft(initial.draft);
  return createStore<DesignerState & DesignerActions>()((set, get) => {
    /** Records an edit (undoable) and marks the content changed. */
    const commit = (next: DesignerDocument, mergeKey?: string) => {
      const { history, contentVersion, readOnly } = get();
      if (readOnly || next === history.present) return;
      set({
        history: record(history, next, mergeKey ? { key: mergeKey } : {}),
        contentVersion: contentVersion + 1,
        saveState: get().saveState === "conflict" ? "conflict" : "unsaved",
      });
    };
    const present = () => get().history.present;
    const selectedNodeIds = () =>
      new Set(
        present()
          .nodes.filter((node) => node.selected)
          .map((node) => node.id),
      );

    return {
      history: startHistory(document),
      contentVersion: 0,
      revision: initial.revision,
      savedVersion: 0,
      saveState: "saved",
      saveMessage: null,
      ...groupProblems([]),
      loadNotes: notes,
      notice: null,
      clipboard: null,
      dragOrigin: null,
      readOnly: !initial.canEdit,
      comparison: null,
      canEdit: initial.canEdit,

      onNodesChange(changes) {
        const { history, dragOrigin, readOnly, comparison } = get();
        if (comparison) {
          const shown = changes.filter(
            (change) => change.type === "select" || change.type === "dimensions",
          );
          set({
            comparison: {
              ...comparison,
              document: {
                ...comparison.document,
                nodes: applyNodeChanges(shown, comparison.document.nodes),
              },
            },
          });
          return;
        }
        const allowed = readOnly
          ? changes.filter((change) => change.type === "select" || change.type === "dimensions")
          : changes.filter((change) => change.type !== "remove");
        if (allowed.length === 0) return;
        const nodes = applyNodeChanges(allowed, history.present.nodes);
        const next = { ...history.present, nodes };
        const moves = allowed.filter((change) => change.type === "position");
        if (moves.length === 0) {
          set({ history: replacePresent(history, next) });
          return;
        }
        const dragging = moves.some((change) => change.type === "position" && change.dragging);
        if (dragging) {
          // A drag is one undo step: remembered where it started, recorded when it ends.
          set({
            history: replacePresent(history, next),
            dragOrigin: dragOrigin ?? history.present,
          });
          return;
        }
        const origin = dragOrigin ?? history.present;
        set({
          history: recordSince(replacePresent(history, next), origin),
          dragOrigin: null,
          contentVersion: get().contentVersion + 1,
          saveState: get().saveState === "conflict" ? "conflict" : "unsaved",
        });
      },

      onEdgesChange(changes) {
        const selections = changes.filter((change) => change.type === "select");
        if (selections.length === 0) return;
        const { history } = get();
        set({
          history: replacePresent(history, {
            ...history.present,
            edges: applyEdgeChanges(selections, history.present.edges),
          }),
        });
      },

      connect(connection) {
        const result = connect(present(), connection);
        if ("refused" in result) get().notify(result.refused);
        else commit(result.document);
      },

      addNode(kind, position) {
        const result = addNode(present(), kind, position);
        commit(result.document);
        return result.id;
      },

      updateNode(id, patch, mergeKey) {
        commit(updateNodeData(present(), id, patch), mergeKey ? `${id}:${mergeKey}` : undefined);
      },

      deleteSelection() {
        const document = present();
        const edges = new Set(
          document.edges.filter((edge) => edge.selected).map((edge) => edge.id),
        );
        commit(removeElements(document, selectedNodeIds(), edges));
      },

      removeEdges(ids) {
        commit(removeElements(present(), new Set(), ids));
      },

      copySelection() {
        const clip = copySelection(present(), selectedNodeIds());
        if (clip) set({ clipboard: clip });
        return clip !== null;
      },

      paste(offset = { x: 40, y: 40 }) {
        const { clipboard } = get();
        if (!clipboard) return;
        const result = paste(present(), clipboard, offset);
        commit(result.document);
        // The next paste lands further along rather than on top of this one.
        set({
          clipboard: {
            ...clipboard,
            nodes: clipboard.nodes.map((node) => ({
              ...node,
              position: { x: node.position.x + offset.x, y: node.position.y + offset.y },
            })),
          },
        });
      },

      duplicateSelection() {
        const clip = copySelection(present(), selectedNodeIds());
        if (!clip) return;
        commit(paste(present(), clip, { x: 40, y: 40 }).document);
      },

      selectAll() {
        const { history } = get();
        set({
          history: replacePresent(history, {
            nodes: history.present.nodes.map((node) =>
              node.selected ? node : { ...node, selected: true },
            ),
            edges: history.present.edges,
          }),
        });
      },

      selectOnly(nodeId, edgeId) {
        const { history } = get();
        set({
          history: replacePresent(history, {
            nodes: history.present.nodes.map((node) =>
              Boolean(node.selected) === (node.id === nodeId)
                ? node
                : { ...node, selected: node.id === nodeId },
            ),
            edges: history.present.edges.map((edge) =>
              Boolean(edge.selected) === (edge.id === edgeId)
                ? edge
                : { ...edge, selected: edge.id === edgeId },
            ),
          }),
        });
      },

      undo() {
        const { history, readOnly } = get();
        if (readOnly || history.past.length === 0) return;
        set({
          history: undo(history),
          contentVersion: get().contentVersion + 1,
          saveState: "unsaved",
        });
      },

      redo() {
        const { history, readOnly } = get();
        if (readOnly || history.future.length === 0) return;
        set({
          history: redo(history),
          contentVersion: get().contentVersion + 1,
          saveState: "unsaved",
        });
      },

      autoLayout() {
        commit(autoLayout(present()));
      },

      replaceDocument(raw) {
        const { document: next, notes: loadNotes } = documentFromDraft(raw);
        commit(next);
        set({ loadNotes });
      },

      setProblems(problems) {
        set(groupProblems(problems));
      },

      saveStarted() {
        set({ saveState: "saving", saveMessage: null });
      },

      saveSucceeded(version, revision) {
        set({
          revision,
          savedVersion: version,
          saveState: get().contentVersion === version ? "saved" : "unsaved",
          saveMessage: null,
        });
      },

      saveFailed(state, message) {
        set({ saveState: state, saveMessage: message });
      },

      notify(text) {
        set({ notice: { text, at: Date.now() } });
      },

      showComparison(comparison) {
        set({ comparison, readOnly: true });
      },

      closeComparison() {
        set({ comparison: null, readOnly: !get().canEdit });
      },
    };
  });
}

function groupProblems(problems: DefinitionProblem[]) {
  const byNode = new Map<string, DefinitionProblem[]>();
  const byEdge = new Map<string, DefinitionProblem[]>();
  for (const problem of problems) {
    if (problem.nodeId)
      byNode.set(problem.nodeId, [...(byNode.get(problem.nodeId) ?? []), problem]);
    if (problem.edgeId)
      byEdge.set(problem.edgeId, [...(byEdge.get(problem.edgeId) ?? []), problem]);
  }
  return { problems, problemsByNode: byNode, problemsByEdge: byEdge };
}

export const DesignerStoreContext = createContext<DesignerStore | null>(null);

export function useDesigner<T>(selector: (state: DesignerState & DesignerActions) => T): T {
  const store = useContext(DesignerStoreContext);
  if (!store) throw new Error("useDesigner() outside <DesignerStoreContext>");
  return useStore(store, selector);
}

export function useDesignerStore(): DesignerStore {
  const store = useContext(DesignerStoreContext);
  if (!store) throw new Error("useDesignerStore() outside <DesignerStoreContext>");
  return store;
}
