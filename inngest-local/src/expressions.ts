// Inngest-compatible CEL expressions (trigger `expression`, waitForEvent and
// cancelOn `if`), on top of @marcbachmann/cel-js. Semantics follow
// inngest/inngest pkg/expressions:
// https://github.com/inngest/inngest/blob/main/pkg/expressions/expressions.go
//
// "A missing attribute is null, never an error" (expressions.go Evaluator docs;
// Inngest does it with cel-go partial evaluation and unknowns). cel-js throws
// `No such key`, and null.b is an error too. So before evaluating we resolve
// every static attribute path rooted at event/async/vars ourselves: compiling
// rewrites `event.data.a.b` to `__attrs[0]` and `has(event.data.a)` to
// `__attrs[1]`, and each evaluation passes the resolved values (null when
// missing). The same walk drives interpolateEvent, which splices in literals.
// Loose operators and the extra functions live in expressions-env.ts.
//
// Known differences from Inngest (Go), all at the edges:
// - Attribute paths with computed keys (`event.data[k]`) and fields of macro
//   variables (`list.exists(x, x.missing == 1)`) still error when missing,
//   which makes evaluateBoolean false.
// - Missing attributes are plain null. Inngest's unknowns order as "less than
//   anything"; here null orders as the other side's zero value (as Inngest
//   does for explicit nulls), which only differs against negative numbers.
// - No JS-style truthiness for non-boolean `&&`/`||`/`?:` operands (Inngest's
//   unknown.go maybeWrapLogicalOp): they are errors, hence false.
// - Mixed int/double arithmetic is numeric (Inngest concatenates for `+` and
//   errors for `- * /`); date() also accepts doubles; b64decode is lenient.

import type { ASTNode, ParseResult } from "@marcbachmann/cel-js";
import {
  ATTRS_VARIABLE,
  createEnvironment,
  ROOT_VARIABLES,
  toCelLiteral,
  toPlain,
} from "./expressions-env";

export class ExpressionError extends Error {
  override name = "ExpressionError";
}

export type ExpressionVars = { event?: unknown; async?: unknown; vars?: unknown };
export type CompiledExpression = { source: string; evaluate(vars: ExpressionVars): unknown };

type Root = (typeof ROOT_VARIABLES)[number];
type PathKey = string | number;
type Reference = { root: Root; path: PathKey[]; has: boolean; start: number; end: number };

const env = createEnvironment();
const CACHE_LIMIT = 1_000;
const cache = new Map<string, CompiledExpression>();

/** Parses and type-checks `source` (cached, LRU of 1,000); throws ExpressionError when invalid. */
export function compileExpression(source: string): CompiledExpression {
  const hit = cache.get(source);
  if (hit) {
    cache.delete(source);
    cache.set(source, hit);
    return hit;
  }
  const compiled = compileUncached(source);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}

/** True only for a boolean true result; runtime errors are false (Inngest: no match). */
export function evaluateBoolean(
  expression: CompiledExpression | string,
  vars: ExpressionVars,
): boolean {
  const compiled = typeof expression === "string" ? compileExpression(expression) : expression;
  try {
    return compiled.evaluate(vars) === true;
  } catch {
    return false;
  }
}

/**
 * Replaces every `event.<path>` reference with the CEL literal of its value
 * (null when missing; `has(event.x)` becomes true/false), so the stored
 * expression depends on `async` only. Inngest's expressions.Interpolate
 * (pkg/expressions/residual.go) reaches the same result via residual ASTs.
 */
export function interpolateEvent(source: string, event: unknown): string {
  const references = collectReferences(parse(source).ast, source).filter((r) => r.root === "event");
  return splice(source, references, (r) => {
    const value = resolvePath(event, r.path);
    return r.has ? String(value !== undefined) : toCelLiteral(value);
  });
}

function compileUncached(source: string): CompiledExpression {
  const original = parse(source);
  check(source, original);
  const slots = new Map<string, number>();
  const attrs: Reference[] = [];
  const rewritten = splice(source, collectReferences(original.ast, source), (r) => {
    const key = JSON.stringify([r.has, r.root, r.path]);
    if (!slots.has(key)) slots.set(key, attrs.push(r) - 1);
    return `${ATTRS_VARIABLE}[${slots.get(key)}]`;
  });
  const program = parse(rewritten);
  check(source, program);
  return {
    source,
    evaluate(vars) {
      const values = attrs.map((r) => {
        const value = resolvePath(vars[r.root], r.path);
        return r.has ? value !== undefined : (value ?? null);
      });
      try {
        return toPlain(program({ [ATTRS_VARIABLE]: values }));
      } catch (error) {
        throw new ExpressionError(
          `expression ${JSON.stringify(source)} failed: ${errorSummary(error)}`,
        );
      }
    },
  };
}

function parse(source: string): ParseResult {
  try {
    return env.parse(source);
  } catch (error) {
    throw new ExpressionError(
      `invalid expression ${JSON.stringify(source)}: ${errorSummary(error)}`,
    );
  }
}

function check(source: string, parsed: ParseResult): void {
  const result = parsed.check();
  if (!result.valid) {
    throw new ExpressionError(
      `invalid expression ${JSON.stringify(source)}: ${errorSummary(result.error)}`,
    );
  }
}

function errorSummary(error: unknown): string {
  const e = error as { summary?: string; message?: string; range?: { start: number } } | undefined;
  const where = e?.range ? ` (at offset ${e.range.start})` : "";
  return `${e?.summary ?? e?.message ?? String(error)}${where}`;
}

/** Static attribute paths rooted at event/async/vars (and `has()` of them), in source order. */
function collectReferences(root: ASTNode, source: string): Reference[] {
  const out: Reference[] = [];
  const walk = (node: ASTNode, shadowed: ReadonlySet<string>): void => {
    const chain = staticChain(node, source, shadowed);
    if (chain) {
      out.push(chain);
      return;
    }
    if (node.op === "call" && node.args[0] === "has" && node.args[1].length === 1) {
      const target = staticChain(node.args[1][0] as ASTNode, source, shadowed);
      if (target && target.path.length > 0) {
        out.push({ ...target, has: true, start: node.start, end: node.end });
        return;
      }
    }
    for (const [child, scope] of children(node, shadowed)) walk(child, scope);
  };
  walk(root, new Set());
  return out.sort((a, b) => a.start - b.start);
}

const ITERATING_MACROS = new Set(["all", "exists", "exists_one", "map", "filter"]);

/** A node's sub-expressions, each with the variable names shadowed inside it. */
function children(node: ASTNode, shadowed: ReadonlySet<string>): [ASTNode, ReadonlySet<string>][] {
  const same = (nodes: ASTNode[]) =>
    nodes.map((n): [ASTNode, ReadonlySet<string>] => [n, shadowed]);
  switch (node.op) {
    case "value":
    case "id":
      return [];
    case ".":
    case ".?":
      return same([node.args[0]]);
    case "!_":
    case "-_":
      return same([node.args]);
    case "call":
      return same(node.args[1]);
    case "map":
      return same(node.args.flat());
    case "rcall": {
      // Macro iteration variables (and cel.bind's variable) shadow event/async/vars:
      // `list.exists(x, body)` binds x in body, `cel.bind(x, init, body)` binds x in body.
      const [name, receiver, args] = node.args;
      const bind = name === "bind" && receiver.op === "id" && receiver.args === "cel";
      const variable = args[0]?.op === "id" ? args[0].args : undefined;
      if (!variable || !(bind || ITERATING_MACROS.has(name))) return same([receiver, ...args]);
      const inner = new Set([...shadowed, variable]);
      const bodies = args.slice(1).map((arg, i): [ASTNode, ReadonlySet<string>] => {
        return [arg, bind && i === 0 ? shadowed : inner];
      });
      return [[receiver, shadowed], ...bodies];
    }
    default:
      return same(node.args);
  }
}

/**
 * `event.data["a"].b[0]` as {root, path} when the whole node is such a chain
 * of literal keys, written plainly (no parentheses or comments in between, so
 * its source range can be replaced safely).
 */
function staticChain(node: ASTNode, source: string, shadowed: ReadonlySet<string>) {
  const path: PathKey[] = [];
  for (let current = node; ; ) {
    if (current.op === "id") {
      const name = current.args;
      const root = ROOT_VARIABLES.find((candidate) => candidate === name);
      if (!root || shadowed.has(root)) return null;
      return { root, path: path.reverse(), has: false, start: current.start, end: node.end };
    }
    if (current.op === ".") {
      const [left, field] = current.args;
      if (!/^\s*\.\s*[A-Za-z_]\w*$/.test(source.slice(left.end, current.end))) return null;
      path.push(field);
      current = left;
    } else if (current.op === "[]") {
      const [left, index] = current.args;
      const key = index.op === "value" ? index.args : undefined;
      if (typeof key !== "string" && typeof key !== "bigint") return null;
      if (!/^\s*\[\s*$/.test(source.slice(left.end, index.start))) return null;
      if (!/^\s*\]$/.test(source.slice(index.end, current.end))) return null;
      path.push(typeof key === "bigint" ? Number(key) : key);
      current = left;
    } else {
      return null;
    }
  }
}

function splice(source: string, refs: Reference[], render: (r: Reference) => string): string {
  let out = "";
  let position = 0;
  for (const ref of refs) {
    out += source.slice(position, ref.start) + render(ref);
    position = ref.end;
  }
  return out + source.slice(position);
}

/** The value at `path`, or undefined when any step is missing (lists by index only). */
function resolvePath(root: unknown, path: readonly PathKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    if (Array.isArray(value)) value = typeof key === "number" ? value[key] : undefined;
    else if (value instanceof Map) value = value.get(key);
    else value = Object.hasOwn(value, key) ? (value as Record<PathKey, unknown>)[key] : undefined;
  }
  return value;
}
