import { createHash } from "node:crypto";
import type { WorkflowDefinition } from "@/lib/workflows/definition";
import { type ValidationResult, validateDefinitionSync } from "@/lib/workflows/validate";

// run:start validates the pinned version's definition before a run starts, so
// a version changed behind the API's back never runs (fail closed). Published
// versions do not change, so every run of a version validated the same text
// again. This remembers which stored texts were valid, keyed by a hash of the
// text itself — never by version id or the stored definitionHash column, which
// a change behind the API's back need not update: a changed text is a new key
// and is validated again. Invalid texts are not remembered. The memory is per
// process and only saves work; a cold process validates as before.

export type PinnedDefinitionCheck = (storedJson: string) => ValidationResult;

/**
 * Validates a stored definition (jsonb's text form), remembering the `size`
 * most recently used valid ones. Each call returns its own copy, so a caller
 * that changes its definition cannot change another run's.
 */
export function pinnedDefinitionCheck(
  options: { size?: number; validate?: (input: unknown) => ValidationResult } = {},
): PinnedDefinitionCheck {
  const size = options.size ?? 200;
  const validate = options.validate ?? ((input: unknown) => validateDefinitionSync(input));
  const valid = new Map<string, WorkflowDefinition>();
  return (storedJson) => {
    const key = createHash("sha256").update(storedJson).digest("base64");
    const known = valid.get(key);
    if (known) {
      valid.delete(key);
      valid.set(key, known);
      return { definition: structuredClone(known), problems: [] };
    }
    let input: unknown;
    try {
      input = JSON.parse(storedJson);
    } catch {
      // jsonb's text is always JSON; anything else is a caller's bug, and is not valid either.
      input = undefined;
    }
    const result = validate(input);
    if (result.definition && result.problems.length === 0) {
      valid.set(key, structuredClone(result.definition));
      if (valid.size > size) {
        const oldest = valid.keys().next().value;
        if (oldest !== undefined) valid.delete(oldest);
      }
    }
    return result;
  };
}

/** The process's check, for run:start (lib/runs/run-recorder.ts). */
export const checkPinnedDefinition: PinnedDefinitionCheck = pinnedDefinitionCheck();
