// Conditions, switches, transforms and loops are JSONata expressions over plain JSON
// (`employee.department = "Engineering"`). JSONata never evaluates JavaScript: a name only
// reads an own property of a JSON object, and the only callables are its built-in functions
// and lambdas written in JSONata. What is left is resource use (recursive lambdas make it
// Turing-complete), bounded here:
// - time and recursion depth, with the `timeout` and `stack` options of JSONata 2.2, which
//   checks both on entry to every evaluation step: the technique of the exerciser's
//   `timeboxExpression`, built in (node_modules/jsonata/jsonata.js, `guardrails`);
// - sequence length, with its `sequence` option (ranges and appends are checked);
// - string length, with an `__evaluate_exit` hook, because `$s & $s` doubles a string per
//   step and `$pad` allocates any width in one call, both far faster than the clock check;
// - the size of the result, as JSON.
// The input and bindings are reduced to plain JSON first, so no function of ours is ever
// reachable from an expression.
import jsonata from "jsonata";
import { utf8ByteLength } from "./utf8";

export class ExpressionError extends Error {
  constructor(
    message: string,
    /** Character offset JSONata reports for the error (just after the offending token). */
    readonly position?: number,
  ) {
    super(message);
    this.name = "ExpressionError";
  }
}

export type ExpressionLimits = {
  maxSourceLength: number;
  timeoutMs: number;
  maxDepth: number;
  maxResultBytes: number;
  maxSequenceLength: number;
  maxStringLength: number;
};

export const EXPRESSION_LIMITS: Readonly<ExpressionLimits> = Object.freeze({
  maxSourceLength: 5_000,
  timeoutMs: 100,
  maxDepth: 200,
  maxResultBytes: 1024 * 1024,
  /** Longest sequence (array) an expression may build, e.g. with a range `[1..n]`. */
  maxSequenceLength: 1_000_000,
  /** Longest string an expression may build along the way (UTF-16 code units). */
  maxStringLength: 10 * 1024 * 1024,
});

/** A limit hit inside JSONata; turned into an ExpressionError without a position. */
class LimitExceeded extends Error {}

type JsonataError = { code?: string; position?: number; token?: string; message?: string };

const CACHE_SIZE = 500;
const compiled = new Map<string, jsonata.Expression>();

function compile(source: string, limits: ExpressionLimits): jsonata.Expression {
  const key = [
    limits.timeoutMs,
    limits.maxDepth,
    limits.maxSequenceLength,
    limits.maxStringLength,
    source,
  ].join("\u0000");
  const cached = compiled.get(key);
  if (cached) {
    compiled.delete(key);
    compiled.set(key, cached);
    return cached;
  }
  if (source.length > limits.maxSourceLength)
    throw new ExpressionError(
      `expression is longer than ${limits.maxSourceLength.toLocaleString("en-US")} characters`,
    );
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source, {
      timeout: limits.timeoutMs,
      stack: limits.maxDepth,
      sequence: limits.maxSequenceLength,
    });
  } catch (error) {
    throw syntaxError(error);
  }
  guardStrings(expression, limits.maxStringLength);
  compiled.set(key, expression);
  if (compiled.size > CACHE_SIZE) {
    const oldest = compiled.keys().next().value;
    if (oldest !== undefined) compiled.delete(oldest);
  }
  return expression;
}

function guardStrings(expression: jsonata.Expression, maxLength: number): void {
  const tooLong = () =>
    new LimitExceeded(
      `expression builds a string longer than ${maxLength.toLocaleString("en-US")} characters`,
    );
  // JSONata looks its hooks up by these symbols (jsonata.js, `evaluate`); a symbol cannot be
  // named from an expression, so the hook is not reachable as a $variable.
  const bind = expression.assign as unknown as (name: symbol, value: unknown) => void;
  bind(
    Symbol.for("jsonata.__evaluate_exit"),
    (_node: unknown, _input: unknown, _env: unknown, result: unknown) => {
      if (typeof result === "string" && result.length > maxLength) throw tooLong();
    },
  );
  // The built-in $pad allocates the whole width before any hook runs.
  expression.registerFunction(
    "pad",
    (value: string | undefined, width: number, fill?: string) => {
      if (value === undefined) return undefined;
      const target = Math.trunc(width);
      if (Math.abs(target) > maxLength) throw tooLong();
      const chars = Array.from(fill === undefined || fill.length === 0 ? " " : fill);
      const missing = Math.abs(target) - Array.from(value).length;
      if (missing <= 0) return value;
      const padding = Array.from({ length: missing }, (_, i) => chars[i % chars.length]).join("");
      return target > 0 ? value + padding : padding + value;
    },
    "<s-ns?:s>",
  );
}

function syntaxError(error: unknown): ExpressionError {
  const { position, message } = (error ?? {}) as JsonataError;
  if (error instanceof RangeError)
    return new ExpressionError("expression is too deeply nested to parse");
  const where = typeof position === "number" ? ` at position ${position}` : "";
  return new ExpressionError(
    `expression syntax error${where}: ${message ?? "invalid expression"}`,
    position,
  );
}

function evaluationError(error: unknown, limits: ExpressionLimits): ExpressionError {
  if (error instanceof ExpressionError) return error;
  if (error instanceof LimitExceeded) return new ExpressionError(error.message);
  if (error instanceof RangeError)
    return new ExpressionError("expression ran out of stack or memory (is it recursing forever?)");
  const jsonataError = (error ?? {}) as JsonataError & { error?: unknown };
  // $eval wraps what went wrong inside it (D3120/D3121); a limit hit there is still ours.
  if (jsonataError.error !== undefined && /^D312[01]$/.test(jsonataError.code ?? "")) {
    const inner = evaluationError(jsonataError.error, limits);
    if (inner.position === undefined) return inner;
  }
  switch (jsonataError.code) {
    case "D1012":
      return new ExpressionError(`expression took longer than ${limits.timeoutMs} ms`);
    case "D1011":
      return new ExpressionError(
        `expression nests or recurses deeper than ${limits.maxDepth} levels`,
      );
    case "D2014":
    case "D2015":
      return new ExpressionError(
        `expression builds a sequence longer than ${limits.maxSequenceLength.toLocaleString("en-US")} items`,
      );
  }
  if (typeof jsonataError.message !== "string")
    return new ExpressionError("expression could not be evaluated");
  const { position } = jsonataError;
  const where = typeof position === "number" ? ` at position ${position}` : "";
  return new ExpressionError(`expression error${where}: ${jsonataError.message}`, position);
}

export function parseExpression(source: string): void {
  compile(source, EXPRESSION_LIMITS);
}

export async function evaluateExpression(
  source: string,
  input: unknown,
  bindings: Record<string, unknown> = {},
  limits: Partial<ExpressionLimits> = {},
): Promise<unknown> {
  const effective = { ...EXPRESSION_LIMITS, ...limits };
  const expression = compile(source, effective);
  const plainBindings: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(bindings)) plainBindings[name] = toPlainJson(value);
  let result: unknown;
  try {
    result = await expression.evaluate(toPlainJson(input), plainBindings);
  } catch (error) {
    throw evaluationError(error, effective);
  }
  return toJsonResult(result, effective.maxResultBytes);
}

function toPlainJson(value: unknown): unknown {
  if (value === undefined) return undefined;
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // A cycle, a BigInt or nesting deeper than the stack: the data, not the expression.
    throw new ExpressionError("the data for this expression cannot be read as JSON");
  }
  return json === undefined ? undefined : JSON.parse(json);
}

/**
 * The result as plain JSON: JSONata marks its arrays as sequences and may return a
 * function. Counting while stringifying stops a huge result early.
 */
function toJsonResult(result: unknown, maxBytes: number): unknown {
  if (result === undefined) return undefined;
  const tooLarge = () =>
    new ExpressionError(`expression result is larger than ${formatBytes(maxBytes)}`);
  let budget = maxBytes;
  let json: string | undefined;
  try {
    json = JSON.stringify(result, (key, value: unknown) => {
      if (typeof value === "function" || isJsonataFunction(value))
        throw new ExpressionError("expression result is a function, not data");
      if (typeof value === "number" && !Number.isFinite(value))
        throw new ExpressionError("expression result contains a number that is not finite");
      // A lower bound on the bytes this value adds; enough to stop early.
      budget -= key.length + (typeof value === "string" ? value.length : 1);
      if (budget < 0) throw tooLarge();
      return value;
    });
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    throw new ExpressionError("expression result cannot be turned into JSON");
  }
  if (json === undefined) return undefined;
  if (utf8ByteLength(json) > maxBytes) throw tooLarge();
  return JSON.parse(json);
}

function isJsonataFunction(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  const marks = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return marks._jsonata_lambda === true || marks._jsonata_function === true;
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

// ---------------------------------------------------------------------------------------
// Static analysis: which input paths an expression reads.

type AstNode = {
  type: string;
  value?: unknown;
  steps?: AstNode[];
  stages?: AstNode[];
  predicate?: AstNode[];
  expr?: AstNode;
  expressions?: AstNode[];
  arguments?: AstNode[];
  procedure?: AstNode;
  lhs?: AstNode | AstNode[][];
  rhs?: AstNode;
  expression?: AstNode;
  condition?: AstNode;
  then?: AstNode;
  else?: AstNode;
  body?: AstNode;
  pattern?: AstNode;
  update?: AstNode;
  delete?: AstNode;
  terms?: { expression: AstNode }[];
  group?: { lhs: AstNode[][] };
  focus?: string;
};

/**
 * Best-effort list of the input paths an expression reads from its root, as dotted strings
 * ("employee.department", "nodes.lookup.output.groups"), found by walking the JSONata AST.
 * Names inside a filter or a group are relative to the items they filter, so
 * `employee.groups[name = "x"].id` reads "employee.groups.name" and "employee.groups.id".
 * Paths through $variables/bindings, or starting with `$` / `$$`, are skipped, and a path
 * stops where a step is not a plain name (a wildcard, a function, a block…).
 */
export function expressionPaths(source: string): string[] {
  const expression = compile(source, EXPRESSION_LIMITS);
  const paths = new Set<string>();
  walk(expression.ast() as AstNode, [], paths);
  return [...paths];
}

/** `context` is the path of the value names are read from, or null where it is unknown. */
function walk(node: AstNode | undefined, context: string[] | null, paths: Set<string>): void {
  if (!node || typeof node !== "object") return;
  switch (node.type) {
    case "path":
      walkPath(node, context, paths);
      return;
    case "name":
      if (context && isPlainName(node.value)) record([...context, node.value], paths);
      break;
    case "binary":
    case "apply":
      walk(node.lhs as AstNode, context, paths);
      walk(node.rhs, context, paths);
      break;
    case "unary":
      if (node.value === "{") walkPairs(node.lhs as AstNode[][], context, paths);
      else if (node.value === "-") walk(node.expression, context, paths);
      else for (const item of node.expressions ?? []) walk(item, context, paths);
      break;
    case "function":
    case "partial":
      walk(node.procedure, context, paths);
      for (const argument of node.arguments ?? []) walk(argument, context, paths);
      break;
    case "lambda":
      // A lambda's body reads names relative to where it was defined.
      walk(node.body, context, paths);
      break;
    case "condition":
      walk(node.condition, context, paths);
      walk(node.then, context, paths);
      walk(node.else, context, paths);
      break;
    case "block":
      for (const item of node.expressions ?? []) walk(item, context, paths);
      break;
    case "bind":
      walk(node.rhs, context, paths);
      break;
    case "transform":
      // Evaluated against whatever the transform is applied to.
      walk(node.pattern, null, paths);
      walk(node.update, null, paths);
      walk(node.delete, null, paths);
      break;
  }
  // Filters and groups on anything but a path apply to a computed value.
  for (const stage of [...(node.stages ?? []), ...(node.predicate ?? [])])
    walk(stage.expr, null, paths);
  if (node.group) walkPairs(node.group.lhs, null, paths);
}

function walkPath(node: AstNode, context: string[] | null, paths: Set<string>): void {
  const steps = node.steps ?? [];
  let current: string[] | null = steps[0]?.type === "name" && context ? [...context] : null;
  for (const step of steps) {
    if (step.type === "name" && current && isPlainName(step.value)) {
      current.push(step.value);
      for (const stage of [...(step.stages ?? []), ...(step.predicate ?? [])])
        walk(stage.expr, current, paths);
      if (step.group) walkPairs(step.group.lhs, current, paths);
      if (step.focus !== undefined) {
        // `a@$x` binds the item to $x but keeps the context the step started from.
        record(current, paths);
        current = null;
      }
    } else if (step.type === "sort" && current) {
      for (const term of step.terms ?? []) walk(term.expression, current, paths);
    } else {
      // Not a plain name: what follows is relative to a computed value.
      walk(step, current, paths);
      record(current, paths);
      current = null;
    }
  }
  record(current, paths);
  if (node.group) walkPairs(node.group.lhs, current, paths);
}

function walkPairs(pairs: AstNode[][] | undefined, context: string[] | null, paths: Set<string>) {
  for (const pair of pairs ?? []) for (const item of pair) walk(item, context, paths);
}

function isPlainName(value: unknown): value is string {
  return typeof value === "string" && value.length > 0 && !value.includes(".");
}

function record(path: string[] | null, paths: Set<string>): void {
  if (path && path.length > 0) paths.add(path.join("."));
}
