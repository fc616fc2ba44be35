import { z } from "zod";
import type { AnyNodeKind } from "@/lib/nodes/node-kind";

// The form a node kind's config gets in the designer, read from the kind's
// zod schema (through its JSON Schema, which is what the API publishes too):
// a tree of fields the config form renders. Nothing here knows a kind by
// name; what a field is for comes from the declaration (credential fields,
// expression fields) and the schema (enums, unions, lists, maps).

type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  default?: unknown;
  description?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
};

type Common = {
  /** Dotted path within the config (`target.channel`, `cases.0.label` for list items' own paths). */
  path: string;
  key: string;
  label: string;
  description?: string;
  required: boolean;
  default?: unknown;
};

export type ConfigField =
  | (Common & {
      type: "text";
      /** Shown as several lines (message bodies, prompts, expressions). */
      multiline: boolean;
      /** What the variable picker inserts: `{{ path }}` in templates, a bare path in expressions. */
      syntax: "template" | "expression" | "plain";
      suggestions?: string[];
      maxLength?: number;
    })
  | (Common & { type: "select"; options: string[] })
  | (Common & { type: "number"; integer: boolean; minimum?: number; maximum?: number })
  | (Common & { type: "boolean" })
  | (Common & { type: "credential"; kinds: readonly string[] })
  | (Common & { type: "workflow" })
  | (Common & { type: "object"; fields: ConfigField[] })
  | (Common & {
      type: "union";
      discriminator: string;
      options: { value: string; label: string; fields: ConfigField[] }[];
    })
  | (Common & { type: "list"; item: ConfigField; minItems?: number; maxItems?: number })
  | (Common & { type: "map" })
  | (Common & { type: "json" });

export function configFields(kind: AnyNodeKind): ConfigField[] {
  let schema: JsonSchema;
  try {
    schema = z.toJSONSchema(kind.config, { io: "input", unrepresentable: "any" }) as JsonSchema;
  } catch {
    return [{ type: "json", path: "", key: "", label: "Configuration", required: true }];
  }
  const context: Context = {
    credentials: kind.credentialFields ?? {},
    expressions: new Set(kind.expressionFields ?? []),
    longText: new Set(kind.longTextFields ?? []),
    unrendered: new Set(kind.unrenderedFields ?? []),
  };
  const root = fieldOf(schema, "", "", true, context, 0);
  if (root.type === "object") return root.fields;
  return [root];
}

type Context = {
  credentials: Readonly<Record<string, readonly string[]>>;
  expressions: ReadonlySet<string>;
  longText: ReadonlySet<string>;
  unrendered: ReadonlySet<string>;
};

function fieldOf(
  schema: JsonSchema,
  path: string,
  key: string,
  required: boolean,
  context: Context,
  depth: number,
): ConfigField {
  const common: Common = {
    path,
    key,
    label: labelOf(key),
    required,
    ...(schema.description ? { description: schema.description } : {}),
    ...(schema.default !== undefined ? { default: schema.default } : {}),
  };
  const topKey = path.split(".")[0] ?? "";
  if (depth > 6) return { ...common, type: "json" };
  if (depth === 1 && context.credentials[key])
    return { ...common, type: "credential", kinds: context.credentials[key] };
  if (schema.format === "uuid" && key === "workflowId") return { ...common, type: "workflow" };

  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const union = unionOf(alternatives, common, context, depth);
    if (union) return union;
    // A closed list or free text (an event name, a value of several types): text with suggestions.
    const suggestions = alternatives.flatMap((entry) =>
      (entry.enum ?? []).filter((value): value is string => typeof value === "string"),
    );
    return {
      ...common,
      type: "text",
      multiline: false,
      syntax: "plain",
      ...(suggestions.length > 0 ? { suggestions } : {}),
    };
  }
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (schema.enum?.every((value) => typeof value === "string"))
    return { ...common, type: "select", options: schema.enum as string[] };
  switch (type) {
    case "string":
      return {
        ...common,
        type: "text",
        multiline: context.longText.has(topKey) || context.expressions.has(topKey),
        syntax: context.expressions.has(topKey)
          ? "expression"
          : context.unrendered.has(topKey) || schema.format === "uuid"
            ? "plain"
            : "template",
        ...(schema.maxLength !== undefined ? { maxLength: schema.maxLength } : {}),
      };
    case "integer":
    case "number":
      return {
        ...common,
        type: "number",
        integer: type === "integer",
        ...(schema.minimum !== undefined ? { minimum: schema.minimum } : {}),
        ...(schema.maximum !== undefined ? { maximum: schema.maximum } : {}),
      };
    case "boolean":
      return { ...common, type: "boolean" };
    case "array":
      if (!schema.items) return { ...common, type: "json" };
      return {
        ...common,
        type: "list",
        item: fieldOf(schema.items, "", "", true, context, depth + 1),
        ...(schema.minItems !== undefined ? { minItems: schema.minItems } : {}),
        ...(schema.maxItems !== undefined ? { maxItems: schema.maxItems } : {}),
      };
    case "object": {
      if (schema.properties && Object.keys(schema.properties).length > 0) {
        const required = new Set(schema.required ?? []);
        return {
          ...common,
          type: "object",
          fields: Object.entries(schema.properties).map(([name, child]) =>
            fieldOf(child, join(path, name), name, required.has(name), context, depth + 1),
          ),
        };
      }
      const values = schema.additionalProperties;
      if (typeof values === "object" && values.type === "string") return { ...common, type: "map" };
      return { ...common, type: "json" };
    }
    default:
      return { ...common, type: "json" };
  }
}

/** A oneOf of objects told apart by one constant property (`type`, `mode`). */
function unionOf(
  alternatives: JsonSchema[],
  common: Common,
  context: Context,
  depth: number,
): ConfigField | null {
  if (!alternatives.every((entry) => entry.type === "object" && entry.properties)) return null;
  const first = alternatives[0]?.properties ?? {};
  const discriminator = Object.keys(first).find((name) =>
    alternatives.every((entry) => typeof entry.properties?.[name]?.const === "string"),
  );
  if (!discriminator) return null;
  return {
    ...common,
    type: "union",
    discriminator,
    options: alternatives.map((entry) => {
      const value = entry.properties?.[discriminator]?.const as string;
      const required = new Set(entry.required ?? []);
      return {
        value,
        label: labelOf(value),
        fields: Object.entries(entry.properties ?? {})
          .filter(([name]) => name !== discriminator)
          .map(([name, child]) =>
            fieldOf(child, join(common.path, name), name, required.has(name), context, depth + 1),
          ),
      };
    }),
  };
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

/** `credentialId` → "Credential", `maxResponseKb` → "Max response KB", `lifecycle_event` → "Lifecycle event". */
export function labelOf(key: string): string {
  if (!key) return "";
  const words = key
    .replace(/Id$/, "")
    .replace(/_/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/\bkb\b/, "KB")
    .replace(/\burl\b/, "URL")
    .replace(/\bcc\b/, "Cc");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The form's values as the schema wants them: an optional field left empty is
 * absent (`cc: ""` → no cc), while an empty required one stays, so the error
 * says "is required" rather than that the key is missing.
 */
export function cleanConfig(value: unknown, fields: readonly ConfigField[]): unknown {
  if (!isRecord(value)) return value;
  const result: Record<string, unknown> = { ...value };
  for (const field of fields) {
    const current = result[field.key];
    if ((current === "" || current === null || current === undefined) && !field.required) {
      delete result[field.key];
      continue;
    }
    result[field.key] = cleanValue(current, field);
  }
  return result;
}

function cleanValue(value: unknown, field: ConfigField): unknown {
  switch (field.type) {
    case "object":
      return cleanConfig(value, field.fields);
    case "union": {
      if (!isRecord(value)) return value;
      const option = field.options.find((entry) => entry.value === value[field.discriminator]);
      return option ? cleanConfig(value, option.fields) : value;
    }
    case "list":
      return Array.isArray(value) ? value.map((item) => cleanValue(item, field.item)) : value;
    default:
      return value;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
