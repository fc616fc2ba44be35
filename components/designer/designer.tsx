"use client";

import "@xyflow/react/dist/style.css";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import {
  ArrowLeftIcon,
  KeyboardIcon,
  LayoutGridIcon,
  MaximizeIcon,
  Redo2Icon,
  RocketIcon,
  Undo2Icon,
} from "lucide-react";
import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { useOrg } from "@/components/org/org-context";
import { Button } from "@/components/ui/button";
import { Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui/tabs";
import { toast } from "@/components/ui/toast";
import { workflowKeys } from "@/components/workflows/queries";
import { ApiError, apiFetch } from "@/lib/api-client";
import type { AnyNodeKind } from "@/lib/nodes/node-kind";
import type { DefinitionProblem } from "@/lib/workflows/validate";
import { Canvas } from "./canvas";
import { ComparisonBanner } from "./comparison-banner";
import { Inspector } from "./inspector";
import { NodeDiff } from "./node-diff";
import { Palette } from "./palette";
import { ProblemsList } from "./problems-list";
import { SaveStatus } from "./save-status";
import { createDesignerStore, DesignerStoreContext, useDesigner, useDesignerStore } from "./store";
import { TestRunDialog } from "./test-run-dialog";
import { useDraftSync } from "./use-draft-sync";
import { SHORTCUTS, useDesignerShortcuts } from "./use-shortcuts";
import { VersionsPanel } from "./versions-panel";

// The visual workflow designer: palette on the left, canvas in the middle,
// the selected node's settings and the problems list on the right, and a
// toolbar for undo/redo, layout, test runs and publishing. The draft is
// autosaved; the validator runs live in the browser.

export type WorkflowDetail = {
  id: string;
  name: string;
  description: string | null;
  status: "draft" | "active" | "archived";
  draftRevision: number;
  draftDefinition: unknown;
  activeVersion: { id: string; version: number; publishedAt: string } | null;
  problems: DefinitionProblem[];
};

/**
 * The designer for one workflow, as the page loaded it on the server. From
 * then on the designer owns the draft (autosave); reopening the page starts
 * from what was saved.
 */
export function WorkflowDesigner({ workflow }: { workflow: WorkflowDetail }) {
  return <DesignerWorkspace key={workflow.id} workflow={workflow} />;
}

function DesignerWorkspace({ workflow }: { workflow: WorkflowDetail }) {
  const { can } = useOrg();
  // Made once per opened workflow (the component is keyed by its id); later data comes through it.
  const [store] = useState(() =>
    createDesignerStore({
      draft: workflow.draftDefinition,
      revision: workflow.draftRevision,
      canEdit: can("workflows:edit"),
    }),
  );
  return (
    <DesignerStoreContext.Provider value={store}>
      <ReactFlowProvider>
        <DesignerLayout workflow={workflow} />
      </ReactFlowProvider>
    </DesignerStoreContext.Provider>
  );
}

function DesignerLayout({ workflow }: { workflow: WorkflowDetail }) {
  const { organization, can } = useOrg();
  const slug = organization.slug;
  const store = useDesignerStore();
  const flush = useDraftSync(store, slug, workflow.id);
  useDesignerShortcuts();
  const { screenToFlowPosition, fitView } = useReactFlow();
  const [tab, setTab] = useState("node");

  // The one selected node's id and data, not the node: its position changes
  // on every frame of a drag, and the panel must not redraw for that.
  const selectedId = useDesigner((state) => {
    const nodes = state.comparison?.document.nodes ?? state.history.present.nodes;
    let found: string | null = null;
    for (const node of nodes) {
      if (!node.selected) continue;
      if (found) return null;
      found = node.id;
    }
    return found;
  });
  const selectedData = useDesigner((state) =>
    selectedId
      ? (state.comparison?.document.nodes ?? state.history.present.nodes).find(
          (node) => node.id === selectedId,
        )?.data
      : undefined,
  );
  const selected = useMemo(
    () => (selectedId && selectedData ? { id: selectedId, data: selectedData } : null),
    [selectedId, selectedData],
  );
  const problemCount = useDesigner((state) => state.problems.length);
  const notice = useDesigner((state) => state.notice);
  const canUndo = useDesigner((state) => !state.readOnly && state.history.past.length > 0);
  const canRedo = useDesigner((state) => !state.readOnly && state.history.future.length > 0);
  const readOnly = useDesigner((state) => state.readOnly);
  const saveState = useDesigner((state) => state.saveState);
  const comparing = useDesigner((state) => state.comparison !== null);

  useEffect(() => {
    if (notice) toast({ title: "Not connected", description: notice.text, variant: "destructive" });
  }, [notice]);

  // Selecting a node shows its settings.
  useEffect(() => {
    if (selectedId) setTab("node");
  }, [selectedId]);

  const addAtCentre = (kind: AnyNodeKind) => {
    const canvas = document.querySelector<HTMLElement>("[data-testid=designer-canvas]");
    const box = canvas?.getBoundingClientRect();
    const point = box
      ? screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 })
      : { x: 0, y: 0 };
    store.getState().addNode(kind, { x: Math.round(point.x - 120), y: Math.round(point.y - 36) });
  };

  const queryClient = useQueryClient();
  const publish = useMutation({
    mutationFn: async () => {
      if (!(await flush()))
        throw new Error("The draft could not be saved, so it was not published.");
      return apiFetch<{ version: { version: number } }>(
        `/api/v1/workflows/${encodeURIComponent(workflow.id)}/publish`,
        { org: slug, body: { expectedRevision: store.getState().revision } },
      );
    },
    onSuccess: ({ version }) => {
      toast({
        title: `Version ${version.version} published`,
        description: "New runs use it from now on.",
        variant: "success",
      });
      void queryClient.invalidateQueries({ queryKey: workflowKeys.all(slug) });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 422) setTab("problems");
      toast({ title: "Not published", description: error.message, variant: "destructive" });
    },
  });

  const blocked =
    problemCount > 0
      ? `Fix the ${problemCount} problem${problemCount === 1 ? "" : "s"} first`
      : saveState === "conflict"
        ? "Someone else changed this draft; reload first"
        : null;

  return (
    <div className="flex h-[calc(100dvh-3.5rem)] min-h-[560px] flex-col bg-background">
      <header className="flex flex-wrap items-center gap-2 border-b px-3 py-2">
        <Button variant="ghost" size="sm" asChild>
          <Link href={`/o/${slug}/workflows`}>
            <ArrowLeftIcon aria-hidden="true" /> Workflows
          </Link>
        </Button>
        <h1 className="min-w-0 truncate text-base font-semibold" title={workflow.name}>
          {workflow.name}
        </h1>
        <SaveStatus />
        <div className="ml-auto flex flex-wrap items-center gap-1">
          <Button
            variant="ghost"
            size="icon"
            aria-label="Undo"
            title="Undo (Ctrl+Z)"
            disabled={!canUndo}
            onClick={() => store.getState().undo()}
          >
            <Undo2Icon />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-label="Redo"
            title="Redo (Ctrl+Shift+Z)"
            disabled={!canRedo}
            onClick={() => store.getState().redo()}
          >
            <Redo2Icon />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-label="Auto-layout"
            title="Auto-layout (Shift+L)"
            disabled={readOnly}
            onClick={() => {
              store.getState().autoLayout();
              requestAnimationFrame(() => void fitView({ padding: 0.2, duration: 200 }));
            }}
          >
            <LayoutGridIcon />
          </Button>
          <Button
            variant="ghost"
            size="icon"
            aria-label="Fit view"
            title="Fit the workflow in view (Shift+1)"
            onClick={() => void fitView({ padding: 0.2, duration: 200 })}
          >
            <MaximizeIcon />
          </Button>
          <ShortcutsHelp />
          {can("runs:start") && can("workflows:edit") && (
            <TestRunDialog
              slug={slug}
              workflowId={workflow.id}
              disabledReason={blocked}
              flush={flush}
            />
          )}
          {can("workflows:publish") && (
            <Button
              size="sm"
              disabled={blocked !== null || publish.isPending || readOnly}
              title={blocked ?? "Publish the draft as a new version"}
              onClick={() => publish.mutate()}
            >
              <RocketIcon aria-hidden="true" /> {publish.isPending ? "Publishing…" : "Publish"}
            </Button>
          )}
        </div>
      </header>
      <div className="grid min-h-0 flex-1 grid-cols-[13rem_minmax(0,1fr)_20rem] 2xl:grid-cols-[15rem_minmax(0,1fr)_26rem]">
        <aside className="min-h-0 border-r">
          <Palette onAdd={addAtCentre} />
        </aside>
        <div className="relative min-h-0">
          <Canvas onNodeClick={() => setTab("node")} />
          <ComparisonBanner />
        </div>
        <aside className="flex min-h-0 flex-col border-l" aria-label="Details">
          <Tabs value={tab} onValueChange={setTab} className="flex min-h-0 flex-1 flex-col">
            <TabsList className="m-2">
              <TabsTrigger value="node">Node</TabsTrigger>
              <TabsTrigger value="problems">
                Problems
                <span
                  className={
                    problemCount > 0
                      ? "ml-1 rounded bg-destructive px-1.5 text-xs text-destructive-foreground"
                      : "ml-1 text-xs text-muted-foreground"
                  }
                  data-testid="problem-count"
                >
                  {problemCount}
                </span>
              </TabsTrigger>
              <TabsTrigger value="versions">Versions</TabsTrigger>
            </TabsList>
            <TabsContent value="node" className="min-h-0 flex-1 overflow-y-auto">
              {comparing ? (
                <NodeDiff node={selected} />
              ) : selected ? (
                <Inspector node={selected} />
              ) : (
                <p className="p-4 text-sm text-muted-foreground">
                  Select a node to configure it. Drag node kinds from the palette onto the canvas
                  and join them by dragging from a node’s lower handle to another node.
                </p>
              )}
            </TabsContent>
            <TabsContent value="problems" className="min-h-0 flex-1 overflow-y-auto">
              <ProblemsList />
            </TabsContent>
            <TabsContent value="versions" className="min-h-0 flex-1 overflow-y-auto">
              <VersionsPanel workflowId={workflow.id} />
            </TabsContent>
          </Tabs>
        </aside>
      </div>
    </div>
  );
}

function ShortcutsHelp() {
  const [open, setOpen] = useState(false);
  return (
    <div className="relative">
      <Button
        variant="ghost"
        size="icon"
        aria-label="Keyboard shortcuts"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <KeyboardIcon />
      </Button>
      {open && (
        <div
          role="dialog"
          aria-label="Keyboard shortcuts"
          className="absolute top-10 right-0 z-30 w-80 rounded-md border bg-popover p-3 text-sm shadow-md"
        >
          <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-1">
            {SHORTCUTS.map((shortcut) => (
              <div key={shortcut.keys} className="contents">
                <dt>
                  <kbd className="rounded border bg-muted px-1 font-mono text-xs">
                    {shortcut.keys}
                  </kbd>
                </dt>
                <dd>{shortcut.action}</dd>
              </div>
            ))}
          </dl>
        </div>
      )}
    </div>
  );
}
