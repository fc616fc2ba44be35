import { z } from "zod";
import { evaluateExpression } from "@/lib/engine/expression";
import { permanentFailure } from "@/lib/engine/node-error";
import { defineDurableKind } from "./node-kind";

// Runs one action for each item of a list (add to each group, email each
// buddy), each item its own retried step, in order. Bounded so a long list
// cannot exhaust the run's step budget.

export const MAX_LOOP_ITEMS = 100;

const config = z
  .object({
    /** JSONata giving the list, e.g. `employee.customFields.groups ~> $split(",")`. */
    items: z.string().trim().min(1, "is required").max(5000),
    maxItems: z.number().int().min(1).max(MAX_LOOP_ITEMS).default(50),
    /** The action run for each item; its templates may use `{{ item }}` and `{{ index }}`. */
    action: z
      .object({
        kind: z.string().min(1),
        config: z.record(z.string(), z.unknown()).default({}),
      })
      .strict(),
  })
  .strict();

type LoopPlan = { items: unknown[]; action: { kind: string; config: Record<string, unknown> } };

export const loopKind = defineDurableKind({
  kind: "loop",
  label: "Loop",
  description: "Runs an action once for each item of a list, one step per item.",
  category: "logic",
  config,
  output: z.object({ count: z.number(), results: z.array(z.unknown()) }),
  sideEffects: false,
  waitStatus: "running",
  expressionFields: ["items"],
  // Rendered per item by the engine, when `item` exists.
  unrenderedFields: ["action"],
  nestedActions: (config) => [
    {
      field: "action.config",
      kind: config.action.kind,
      config: config.action.config,
      extraScope: { item: z.unknown(), index: z.number() },
    },
  ],
  defaultConfig: {
    items: 'employee.customFields.groups ~> $split(",")',
    maxItems: 50,
    action: { kind: "transform", config: { expression: "item" } },
  },
  async begin({ config, scope }): Promise<LoopPlan> {
    const value = await evaluateExpression(config.items, scope);
    const items =
      value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
    if (items.length > config.maxItems)
      throw permanentFailure(
        `the list has ${items.length} items; this loop allows at most ${config.maxItems}`,
      );
    return { items, action: config.action };
  },
  async wait(plan, tools) {
    const results: unknown[] = [];
    for (const [index, item] of plan.items.entries()) {
      results.push(await tools.runAction(`item-${index}`, plan.action, { item, index }));
    }
    return results;
  },
  async finish(_context, plan, waited) {
    const results = Array.isArray(waited) ? waited : [];
    return { count: plan.items.length, results };
  },
});
