import type { JsonSchema } from "./api-reference-model";

// One-line descriptions of JSON Schema fragments for the reference tables:
// "string (uuid)", "\"owner\" | \"admin\"", "1–200, default 50".

export function typeLabel(schema: JsonSchema): string {
  if (Array.isArray(schema.enum))
    return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  if ("const" in schema) return JSON.stringify(schema.const);
  for (const key of ["anyOf", "oneOf"] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      return options.map((option) => typeLabel(option as JsonSchema)).join(" | ");
    }
  }
  const type = Array.isArray(schema.type) ? schema.type.join(" | ") : schema.type;
  if (type === "array" && schema.items && typeof schema.items === "object") {
    return `${typeLabel(schema.items as JsonSchema)}[]`;
  }
  if (typeof type !== "string") return "any";
  return typeof schema.format === "string" ? `${type} (${schema.format})` : type;
}

export function constraintsOf(schema: JsonSchema): string[] {
  const notes: string[] = [];
  const { minLength, maxLength, minimum, maximum, minItems, maxItems } = schema;
  if (typeof minLength === "number" && typeof maxLength === "number") {
    notes.push(`${minLength}–${maxLength} characters`);
  } else if (typeof maxLength === "number") notes.push(`at most ${maxLength} characters`);
  else if (typeof minLength === "number") notes.push(`at least ${minLength} characters`);
  if (typeof minimum === "number" && typeof maximum === "number")
    notes.push(`${minimum}–${maximum}`);
  else if (typeof maximum === "number") notes.push(`at most ${maximum}`);
  else if (typeof minimum === "number") notes.push(`at least ${minimum}`);
  if (typeof minItems === "number") notes.push(`at least ${minItems} items`);
  if (typeof maxItems === "number") notes.push(`at most ${maxItems} items`);
  // Long patterns (uuid) are noise next to their format; short ones say something.
  if (typeof schema.pattern === "string" && typeof schema.format !== "string") {
    notes.push(`pattern ${schema.pattern}`);
  }
  if ("default" in schema) notes.push(`default ${JSON.stringify(schema.default)}`);
  return notes;
}

/** The top-level fields of an object schema, for a table. */
export function propertiesOf(
  schema: JsonSchema,
): { name: string; required: boolean; schema: JsonSchema }[] {
  const properties = schema.properties;
  if (!properties || typeof properties !== "object") return [];
  const required = Array.isArray(schema.required) ? schema.required : [];
  return Object.entries(properties as Record<string, JsonSchema>).map(([name, property]) => ({
    name,
    required: required.includes(name),
    schema: property,
  }));
}
