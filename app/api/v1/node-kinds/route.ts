import { z } from "zod";
import { orgRoute } from "@/lib/api/org-route";
import { NODE_KINDS } from "@/lib/nodes";

// The node kind registry as the designer and API clients need it: what each
// kind is, the branches a new node of it offers, and JSON Schemas of its
// config (as written in a definition) and of its output (for templates).

function jsonSchemaOf(schema: z.ZodType) {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: "input",
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

export const GET = orgRoute("workflows:read", async () => ({
  kinds: [...NODE_KINDS.values()].map((kind) => ({
    kind: kind.kind,
    label: kind.label,
    description: kind.description,
    category: kind.category,
    sideEffects: kind.sideEffects,
    execution: kind.execution,
    branches: kind.branches?.(kind.defaultConfig) ?? [],
    expressionFields: kind.expressionFields ?? [],
    credentialFields: kind.credentialFields ?? {},
    defaultConfig: kind.defaultConfig,
    configSchema: jsonSchemaOf(kind.config),
    outputSchema: jsonSchemaOf(kind.output),
  })),
}));
