import { z } from "zod";
import { evaluateExpression } from "@/lib/engine/expression";
import { permanentFailure } from "@/lib/engine/node-error";
import { defineActionKind } from "./node-kind";

const config = z
  .object({
    /** JSONata, e.g. `employee.department = "Engineering"`. */
    expression: z.string().trim().min(1, "is required").max(5000),
  })
  .strict();

export const conditionKind = defineActionKind({
  kind: "condition",
  label: "Condition",
  description: "Follows the true or the false branch depending on an expression.",
  category: "logic",
  config,
  output: z.object({ result: z.boolean() }),
  sideEffects: false,
  expressionFields: ["expression"],
  branches: () => ["true", "false"],
  branchOf: (output) => (output.result ? "true" : "false"),
  defaultConfig: { expression: 'employee.department = "Engineering"' },
  async execute({ config, scope }) {
    const value = await evaluateExpression(config.expression, scope);
    // A field that is absent (JSONata: undefined) or null reads as false.
    if (value === undefined || value === null) return { result: false };
    if (typeof value !== "boolean")
      throw permanentFailure(
        `the condition must be true or false, but it gave ${JSON.stringify(value).slice(0, 80)}`,
      );
    return { result: value };
  },
});
