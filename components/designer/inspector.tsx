"use client";

import { Trash2Icon } from "lucide-react";
import { useCallback, useId, useMemo } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { definitionFromDocument, type SelectedNode } from "@/lib/designer/document";
import { nodeKind } from "@/lib/nodes";
import {
  DEFAULT_RETRY_POLICY,
  DEFAULT_TIMEOUT_SECONDS,
  type RetryPolicy,
} from "@/lib/workflows/definition";
import { availableVariables, type VariableInfo } from "@/lib/workflows/variables";
import { ConfigForm } from "./config-form";
import { categoryAccent, kindIcon } from "./kind-visuals";
import { NodeConnections } from "./node-connections";
import { useDesigner, useDesignerStore } from "./store";

// The side panel for the selected node: its name, the form for its config,
// and its retry policy, timeout and protection. The variable picker offers
// exactly the variables the validator would accept at this node.

const NO_PROBLEMS: never[] = [];

export function Inspector({ node }: { node: SelectedNode }) {
  const kind = nodeKind(node.data.kind);
  const store = useDesignerStore();
  const readOnly = useDesigner((state) => state.readOnly);
  const problems = useDesigner((state) => state.problemsByNode.get(node.id)) ?? NO_PROBLEMS;
  const contentVersion = useDesigner((state) => state.contentVersion);
  const updateNode = useDesigner((state) => state.updateNode);
  const nameId = useId();

  // Worked out when a picker first opens (it walks the whole graph), again only
  // after the workflow changed, never on a drag or a selection.
  // biome-ignore lint/correctness/useExhaustiveDependencies: contentVersion stands for the document's content
  const variables = useMemo(() => {
    let computed: VariableInfo[] | undefined;
    return () => {
      if (!computed) {
        try {
          const definition = definitionFromDocument(store.getState().history.present);
          computed = availableVariables(definition, node.id);
        } catch {
          computed = [];
        }
      }
      return computed;
    };
  }, [store, node.id, contentVersion]);

  const onConfigChange = useCallback(
    (config: Record<string, unknown>, field: string) =>
      updateNode(node.id, { config }, `config.${field}`),
    [updateNode, node.id],
  );

  const Icon = kindIcon(node.data.kind, kind?.category);
  const unplaced = problems.filter((problem) => !problem.field);

  return (
    <section
      aria-label={`Settings of ${node.data.name}`}
      className="space-y-5 p-4"
      data-testid="inspector"
    >
      <header className="flex items-start gap-2">
        <span className={`rounded-md p-1.5 ${categoryAccent(kind?.category)}`} aria-hidden="true">
          <Icon className="size-4" />
        </span>
        <div className="min-w-0 flex-1">
          <h2 className="text-sm font-semibold">{kind?.label ?? "Unknown node kind"}</h2>
          <p className="text-xs text-muted-foreground">{kind?.description}</p>
          <p className="mt-1 font-mono text-xs text-muted-foreground">
            id: {node.id} · <span className="select-all">{`nodes.${node.id}.output`}</span>
          </p>
        </div>
        {!readOnly && (
          <Button
            variant="ghost"
            size="icon"
            aria-label={`Delete ${node.data.name}`}
            onClick={() => {
              store.getState().selectOnly(node.id);
              store.getState().deleteSelection();
            }}
          >
            <Trash2Icon />
          </Button>
        )}
      </header>

      {unplaced.length > 0 && (
        <ul className="space-y-1 rounded-md border border-destructive/40 bg-destructive/5 p-2 text-sm text-destructive">
          {unplaced.map((problem) => (
            <li key={`${problem.code}-${problem.message}`}>{problem.message}</li>
          ))}
        </ul>
      )}

      <div className="space-y-1.5">
        <label htmlFor={nameId} className="block text-sm font-medium">
          Name
        </label>
        <Input
          id={nameId}
          value={node.data.name}
          disabled={readOnly}
          maxLength={120}
          onChange={(event) => updateNode(node.id, { name: event.target.value }, "name")}
        />
      </div>

      {kind ? (
        <ConfigForm
          key={node.id}
          nodeId={node.id}
          kind={kind}
          config={node.data.config}
          problems={problems}
          variables={variables}
          readOnly={readOnly}
          onChange={onConfigChange}
        />
      ) : (
        <p className="text-sm text-muted-foreground">
          OfficeFlow has no node kind “{node.data.kind}”. Delete this node or replace it.
        </p>
      )}

      <NodeConnections node={node} />

      {kind && node.data.kind !== "trigger" && (
        <ExecutionSettings node={node} sideEffects={kind.sideEffects} readOnly={readOnly} />
      )}
    </section>
  );
}

function ExecutionSettings({
  node,
  sideEffects,
  readOnly,
}: {
  node: SelectedNode;
  sideEffects: boolean;
  readOnly: boolean;
}) {
  const updateNode = useDesigner((state) => state.updateNode);
  const id = useId();
  const retry: RetryPolicy = node.data.retry ?? DEFAULT_RETRY_POLICY;
  const setRetry = (patch: Partial<RetryPolicy>) =>
    updateNode(node.id, { retry: { ...retry, ...patch } }, "retry");
  const number = (value: string) => (value === "" ? undefined : Math.trunc(Number(value)));

  return (
    <details
      className="rounded-md border p-3"
      open={Boolean(node.data.retry || node.data.protected)}
    >
      <summary className="cursor-pointer text-sm font-medium">
        Retries, timeout and protection
      </summary>
      <fieldset disabled={readOnly} className="mt-3 grid grid-cols-2 gap-3">
        <div className="space-y-1">
          <label htmlFor={`${id}-attempts`} className="text-xs font-medium">
            Max attempts
          </label>
          <Input
            id={`${id}-attempts`}
            type="number"
            min={1}
            max={10}
            value={retry.maxAttempts}
            onChange={(event) => setRetry({ maxAttempts: number(event.target.value) ?? 1 })}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-backoff`} className="text-xs font-medium">
            Backoff
          </label>
          <select
            id={`${id}-backoff`}
            value={retry.backoff}
            onChange={(event) =>
              setRetry({ backoff: event.target.value as RetryPolicy["backoff"] })
            }
            className="h-9 w-full rounded-md border border-input bg-background px-2 text-sm"
          >
            <option value="exponential">Exponential</option>
            <option value="fixed">Fixed</option>
          </select>
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-delay`} className="text-xs font-medium">
            First retry after (s)
          </label>
          <Input
            id={`${id}-delay`}
            type="number"
            min={1}
            max={3600}
            value={retry.delaySeconds}
            onChange={(event) => setRetry({ delaySeconds: number(event.target.value) ?? 1 })}
          />
        </div>
        <div className="space-y-1">
          <label htmlFor={`${id}-timeout`} className="text-xs font-medium">
            Timeout (s)
          </label>
          <Input
            id={`${id}-timeout`}
            type="number"
            min={1}
            max={3600}
            placeholder={String(DEFAULT_TIMEOUT_SECONDS)}
            value={node.data.timeoutSeconds ?? ""}
            onChange={(event) =>
              updateNode(node.id, { timeoutSeconds: number(event.target.value) }, "timeout")
            }
          />
        </div>
        <label className="col-span-2 flex items-start gap-2 text-sm">
          <input
            type="checkbox"
            className="mt-0.5 size-4"
            checked={node.data.protected === true}
            onChange={(event) =>
              updateNode(node.id, { protected: event.target.checked ? true : undefined })
            }
          />
          <span>
            Protected: if this node fails, run its compensation branch (the amber handle) before the
            run fails.
            {!sideEffects && " Usually only nodes that change something outside need it."}
          </span>
        </label>
      </fieldset>
    </details>
  );
}
