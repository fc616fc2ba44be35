import { z } from "zod";
import { evaluateExpression } from "@/lib/engine/expression";
import { defineActionKind } from "./node-kind";

const config = z
  .object({
    /** JSONata producing the output, e.g. `{ "fullName": employee.firstName & " " & employee.lastName }`. */
    expression: z.string().trim().min(1, "is required").max(5000),
  })
  .strict();

export const transformKind = defineActionKind({
  kind: "transform",
  label: "Transform",
  description: "Shapes data with an expression; later nodes read the result as its output.",
  category: "data",
  config,
  // Any JSON: what later nodes may read from it is up to the expression.
  output: z.unknown(),
  sideEffects: false,
  expressionFields: ["expression"],
  defaultConfig: { expression: '{ "fullName": employee.firstName & " " & employee.lastName }' },
  async execute({ config, scope }) {
    return (await evaluateExpression(config.expression, scope)) ?? null;
  },
});
