import { z } from "zod";
import { evaluateExpression } from "@/lib/engine/expression";
import { defineActionKind } from "./node-kind";

export const SWITCH_DEFAULT_BRANCH = "default";

const caseLabel = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9 _-]{0,39}$/, "must be 1–40 letters, digits, spaces, _ or -")
  .refine((label) => label !== SWITCH_DEFAULT_BRANCH, `"${SWITCH_DEFAULT_BRANCH}" is reserved`);

const config = z
  .object({
    /** JSONata giving the value to switch on, e.g. `employee.location`. */
    value: z.string().trim().min(1, "is required").max(5000),
    cases: z
      .array(
        z
          .object({
            label: caseLabel,
            equals: z.union([z.string().max(500), z.number(), z.boolean()]),
          })
          .strict(),
      )
      .min(1, "needs at least one case")
      .max(20, "can have at most 20 cases"),
  })
  .strict();

export const switchKind = defineActionKind({
  kind: "switch",
  label: "Switch",
  description: "Follows the branch whose case equals a value, or the default branch.",
  category: "logic",
  config,
  output: z.object({ value: z.unknown(), branch: z.string() }),
  sideEffects: false,
  expressionFields: ["value"],
  branches: (config) => [...config.cases.map((entry) => entry.label), SWITCH_DEFAULT_BRANCH],
  branchOf: (output) => output.branch,
  defaultConfig: {
    value: "employee.location",
    cases: [
      { label: "Berlin", equals: "Berlin" },
      { label: "London", equals: "London" },
    ],
  },
  check(config) {
    const seen = new Set<string>();
    return config.cases.flatMap((entry, index) => {
      if (seen.has(entry.label))
        return [{ field: `cases.${index}.label`, message: `"${entry.label}" is used twice` }];
      seen.add(entry.label);
      return [];
    });
  },
  async execute({ config, scope }) {
    const value = await evaluateExpression(config.value, scope);
    const match = config.cases.find((entry) => entry.equals === value);
    return { value: value ?? null, branch: match?.label ?? SWITCH_DEFAULT_BRANCH };
  },
});
