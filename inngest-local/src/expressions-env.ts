// The CEL side of expressions.ts: Inngest's extra functions and its loosely
// typed operators, registered on a @marcbachmann/cel-js Environment, plus the
// conversions of values into CEL literals and of CEL results back to plain JS.
// Semantics follow inngest/inngest pkg/expressions/exprenv/overloads.go and
// pkg/expressions/unknown.go:
// https://github.com/inngest/inngest/blob/main/pkg/expressions/exprenv/overloads.go
// https://github.com/inngest/inngest/blob/main/pkg/expressions/unknown.go

import { Environment } from "@marcbachmann/cel-js";

/** The variables an expression may use; each is a map of dyn (exprenv.go `defaultKeys`). */
export const ROOT_VARIABLES = ["event", "async", "vars"] as const;

/** Reserved variable that carries the pre-resolved attribute paths (see expressions.ts). */
export const ATTRS_VARIABLE = "__attrs";

const TIMESTAMP = "google.protobuf.Timestamp";

export function createEnvironment(): Environment {
  // Aggregate literals may mix types: interpolated events produce e.g. [1.0, "a"].
  const env = new Environment({ homogeneousAggregateLiterals: false });
  for (const name of ROOT_VARIABLES) env.registerVariable(name, "dyn");
  env.registerVariable(ATTRS_VARIABLE, "list");

  // Custom functions (overloads.go `celDeclarations` / `CELOverloads`).
  env.registerFunction("lowercase(string): string", (s: string) => s.toLowerCase());
  env.registerFunction("uppercase(string): string", (s: string) => s.toUpperCase());
  env.registerFunction("b64decode(string): string", (s: string) =>
    Buffer.from(s, "base64").toString("utf8"),
  );
  // Go unmarshals into a map and ignores errors, so anything but a JSON object is {}.
  env.registerFunction("json_parse(string): dyn", (s: string) => {
    try {
      const value: unknown = JSON.parse(s);
      return value !== null && typeof value === "object" && !Array.isArray(value) ? value : {};
    } catch {
      return {};
    }
  });
  env.registerFunction(`date(dyn): ${TIMESTAMP}`, parseDate);
  env.registerFunction(`now(): ${TIMESTAMP}`, () => new Date());
  env.registerFunction(
    `now_plus(string): ${TIMESTAMP}`,
    (s: string) => new Date(Date.now() + parseDuration(s)),
  );
  env.registerFunction(
    `now_minus(string): ${TIMESTAMP}`,
    (s: string) => new Date(Date.now() - parseDuration(s)),
  );

  // Loose `+` (unknown.go runtimeUnknownCall: when the typed call fails for two
  // distinct types, Inngest concatenates them as strings, eg. "id-" + 1).
  for (const other of ["int", "double", "bool"]) {
    env.registerOperator(`string + ${other}: string`, (a: string, b: unknown) => a + String(b));
    env.registerOperator(`${other} + string: string`, (a: unknown, b: string) => String(a) + b);
  }
  // A missing attribute in `+` yields the other operand (unknown.go handleUnknownCall).
  for (const type of ["string", "int", "double"]) {
    env.registerOperator(`${type} + null: ${type}`, (a: unknown) => a);
    env.registerOperator(`null + ${type}: ${type}`, (_: null, b: unknown) => b);
  }
  // Mixed int/double arithmetic. JSON numbers are doubles and literals like `1`
  // are ints, so `event.data.n + 1` must work. Inngest only gets here for `+`
  // (and then concatenates); numeric results are the sane reading.
  const arithmetic: Record<string, (a: number, b: number) => number> = {
    "+": (a, b) => a + b,
    "-": (a, b) => a - b,
    "*": (a, b) => a * b,
    "/": (a, b) => a / b,
  };
  for (const [op, fn] of Object.entries(arithmetic)) {
    env.registerOperator(`int ${op} double: double`, (a: bigint, b: number) => fn(Number(a), b));
    env.registerOperator(`double ${op} int: double`, (a: number, b: bigint) => fn(a, Number(b)));
  }

  // Ordering against null compares with the other side's zero value
  // (unknown.go runtimeUnknownCall / zeroVal): null < 5 is 0 < 5.
  const zeros: Record<string, bigint | number | string> = { int: 0n, double: 0, string: "" };
  // Both sides share one JS type (bigint, number or string), so JS `<` is exact.
  const ordering: Record<string, (a: unknown, b: unknown) => boolean> = {
    "<": (a, b) => (a as number) < (b as number),
    "<=": (a, b) => (a as number) <= (b as number),
    ">": (a, b) => (a as number) > (b as number),
    ">=": (a, b) => (a as number) >= (b as number),
  };
  for (const [type, zero] of Object.entries(zeros)) {
    for (const [op, compare] of Object.entries(ordering)) {
      env.registerOperator(`null ${op} ${type}`, (_: null, b: unknown) => compare(zero, b));
      env.registerOperator(`${type} ${op} null`, (a: unknown) => compare(a, zero));
    }
  }
  // size() of a missing attribute is 0 (unknown.go handleUnknownCall).
  env.registerFunction("size(null): int", () => 0n);
  return env;
}

/**
 * `date(x)`: pkg/dateutil. Strings are parsed as dates (zone-less ISO forms as
 * UTC, like Go's time.Parse); numbers are epoch seconds, milliseconds or
 * nanoseconds depending on magnitude, and must be after the year 2000.
 */
export function parseDate(value: unknown): Date {
  if (value instanceof Date) return value;
  if (typeof value === "string") {
    const isoWithoutZone = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$/.test(value);
    const ms = Date.parse(isoWithoutZone ? `${value}Z` : value);
    if (!Number.isNaN(ms)) return new Date(ms);
  } else if (typeof value === "number" || typeof value === "bigint") {
    const n = Math.trunc(Number(value));
    if (n >= 946_684_800) {
      if (n < 9_999_999_999) return new Date(n * 1_000);
      if (n < 9_999_999_999_999) return new Date(n);
      return new Date(n / 1_000_000);
    }
  }
  throw new Error(`date(): cannot parse ${JSON.stringify(String(value))} as a date`);
}

const DURATION_UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * Go duration strings extended with days and weeks, as github.com/xhit/go-str2duration
 * parses them for now_plus / now_minus: "1h", "30m", "1h30m", "1.5d", "-2w".
 */
export function parseDuration(input: string): number {
  const match = /^([-+]?)((?:(?:\d+\.?\d*|\.\d+)(?:ns|us|µs|μs|ms|s|m|h|d|w))+|0)$/.exec(input);
  if (!match) throw new Error(`invalid duration ${JSON.stringify(input)}`);
  let total = 0;
  for (const [, amount, unit] of (match[2] ?? "").matchAll(
    /(\d+\.?\d*|\.\d+)(ns|us|µs|μs|ms|s|m|h|d|w)/g,
  )) {
    total += Number(amount) * (DURATION_UNITS_MS[unit ?? ""] ?? 0);
  }
  return match[1] === "-" ? -total : total;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** A JSON-like value as CEL source. Numbers stay doubles (`1` → `1.0`), as JSON numbers are. */
export function toCelLiteral(value: unknown): string {
  switch (typeof value) {
    case "string":
      // JSON escapes (\" \\ \n \uXXXX) are valid CEL escapes; CEL rejects lone surrogates.
      return JSON.stringify(value.replace(LONE_SURROGATE, "\uFFFD"));
    case "boolean":
      return String(value);
    case "bigint":
      return value < 0n ? `(${value})` : String(value);
    case "number": {
      if (!Number.isFinite(value)) return "null";
      const text = /^-?\d+$/.test(String(value)) ? `${value}.0` : String(value);
      return value < 0 ? `(${text})` : text;
    }
    case "object": {
      if (value === null) return "null";
      const json = (value as { toJSON?: () => unknown }).toJSON;
      if (typeof json === "function") return toCelLiteral(json.call(value));
      if (Array.isArray(value)) return `[${value.map(toCelLiteral).join(", ")}]`;
      const entries = Object.entries(value).filter(([, v]) => v !== undefined);
      return `{${entries.map(([k, v]) => `${toCelLiteral(k)}: ${toCelLiteral(v)}`).join(", ")}}`;
    }
    default:
      return "null";
  }
}

/** CEL results as plain JS: ints (bigint) become numbers (strings beyond 2^53), maps objects. */
export function toPlain(value: unknown): unknown {
  if (typeof value === "bigint") {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (value === null || typeof value !== "object" || value instanceof Date) return value;
  if (Array.isArray(value) || value instanceof Set) return [...value].map(toPlain);
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(k), toPlain(v)]));
  }
  if (typeof value.valueOf() === "bigint") return toPlain(value.valueOf()); // uint
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) {
    return value;
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
}
