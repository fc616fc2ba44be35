"use client";

import { XIcon } from "lucide-react";
import { useId, useMemo, useState } from "react";
import { Button } from "@/components/ui/button";
import { type DesignerNode, PLAIN_HANDLE, type SelectedNode } from "@/lib/designer/document";
import { nodeKind } from "@/lib/nodes";
import { COMPENSATION_LABEL } from "@/lib/workflows/definition";
import { useDesigner } from "./store";

// The selected node's outgoing connections as a form: what each outcome
// leads to, with a remove button, and a list to add one. It is the keyboard
// way to do what dragging between handles does, and it goes through the same
// checks (no loops, no duplicates, nothing into the trigger).

type RosterEntry = readonly [id: string, name: string, kind: string];
const rosters = new WeakMap<readonly DesignerNode[], readonly RosterEntry[]>();

/**
 * Every node's id, name and kind, the same array for as long as none of them
 * changes (a drag changes only positions), so the form does not redraw.
 */
function rosterOf(nodes: readonly DesignerNode[]): readonly RosterEntry[] {
  const cached = rosters.get(nodes);
  if (cached) return cached;
  const previous = lastRoster;
  const next = nodes.map((node) => [node.id, node.data.name, node.data.kind] as const);
  const same =
    previous.length === next.length &&
    next.every((entry, index) => {
      const old = previous[index];
      return old && old[0] === entry[0] && old[1] === entry[1] && old[2] === entry[2];
    });
  lastRoster = same ? previous : next;
  rosters.set(nodes, lastRoster);
  return lastRoster;
}
let lastRoster: readonly RosterEntry[] = [];

function outputsOf(node: SelectedNode): string[] {
  const kind = nodeKind(node.data.kind);
  let outputs: string[] = [PLAIN_HANDLE];
  if (kind?.branches) {
    try {
      outputs = [...kind.branches(node.data.config)];
    } catch {
      outputs = [];
    }
  }
  return node.data.protected ? [...outputs, COMPENSATION_LABEL] : outputs;
}

export function NodeConnections({ node }: { node: SelectedNode }) {
  const id = useId();
  const edges = useDesigner((state) => state.history.present.edges);
  const roster = useDesigner((state) => rosterOf(state.history.present.nodes));
  const readOnly = useDesigner((state) => state.readOnly);
  const connect = useDesigner((state) => state.connect);
  const removeEdges = useDesigner((state) => state.removeEdges);
  const names = useMemo(() => new Map(roster.map(([id, name]) => [id, name])), [roster]);
  // A big graph's node list is put in the menus only once one is used.
  const [armed, setArmed] = useState(roster.length <= 50);
  const targets = roster.filter(([id, , kind]) => id !== node.id && kind !== "trigger");

  return (
    <fieldset disabled={readOnly} className="space-y-3 rounded-md border p-3">
      <legend className="px-1 text-sm font-medium">Next steps</legend>
      {outputsOf(node).map((output) => {
        const outgoing = edges.filter(
          (edge) => edge.source === node.id && edge.sourceHandle === output,
        );
        const label = output === PLAIN_HANDLE ? "Then" : `When ${output}`;
        return (
          <div key={output} className="space-y-1.5">
            <div className="text-xs font-medium text-muted-foreground">{label}</div>
            <ul className="space-y-1">
              {outgoing.map((edge) => (
                <li key={edge.id} className="flex items-center justify-between gap-2 text-sm">
                  <span className="truncate">{names.get(edge.target) ?? edge.target}</span>
                  <Button
                    type="button"
                    variant="ghost"
                    size="icon"
                    className="size-7"
                    aria-label={`Remove the connection to ${names.get(edge.target) ?? edge.target}`}
                    onClick={() => removeEdges(new Set([edge.id]))}
                  >
                    <XIcon />
                  </Button>
                </li>
              ))}
            </ul>
            <label htmlFor={`${id}-${output}`} className="sr-only">
              {label}: add a connection
            </label>
            <select
              id={`${id}-${output}`}
              value=""
              onFocus={() => setArmed(true)}
              onPointerDown={() => setArmed(true)}
              onChange={(event) => {
                if (event.target.value)
                  connect({ source: node.id, sourceHandle: output, target: event.target.value });
              }}
              className="h-8 w-full rounded-md border border-input bg-background px-2 text-sm"
            >
              <option value="">Connect to…</option>
              {(armed ? targets : []).map(([targetId, name]) => (
                <option key={targetId} value={targetId}>
                  {name} ({targetId})
                </option>
              ))}
            </select>
          </div>
        );
      })}
    </fieldset>
  );
}
