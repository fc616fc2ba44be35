// Templates in workflow node configs (`Welcome {{ employee.firstName }}!`), written by
// tenants and therefore untrusted. LiquidJS is built for that: it never evaluates
// JavaScript, and the options below close what it leaves open by default.
//
// - `ownPropertyOnly`: `{{ employee.constructor }}` or `{{ x.__proto__ }}` read nothing
//   inherited. The scope is also reduced to plain JSON first, because Liquid *calls* a
//   function it finds on a property; with JSON there are none to call.
// - No file system: `include`, `render` and `layout` are replaced by tags that refuse at
//   parse time, and the `fs` Liquid would fall back to refuses every read.
// - Limits: source length, render time, Liquid's allocation counter (it charges ranges,
//   joins and other amplifiers) and the size of the output.
// https://liquidjs.com/tutorials/dos.html, https://liquidjs.com/tutorials/options.html
import {
  Context,
  type Emitter,
  type FilterImplOptions,
  type FS,
  Liquid,
  LiquidError,
  type Template,
  toPromise,
  toValue,
} from "liquidjs";
import { utf8ByteLength } from "./utf8";

export class TemplateError extends Error {
  constructor(
    message: string,
    /** The variable path that was not found, for `unknown variable` errors. */
    readonly variable?: string,
  ) {
    super(message);
    this.name = "TemplateError";
  }
}

export const TEMPLATE_LIMITS: Readonly<{
  maxSourceLength: number;
  maxOutputBytes: number;
  renderTimeMs: number;
  maxAllocations: number;
}> = Object.freeze({
  maxSourceLength: 20_000,
  maxOutputBytes: 256 * 1024,
  renderTimeMs: 100,
  /** Liquid's allocation budget (roughly characters and array elements created while rendering). */
  maxAllocations: 10_000_000,
});

const FORBIDDEN_TAGS: Record<string, string> = {
  include: "templates cannot include other files",
  render: "templates cannot render other files",
  layout: "templates cannot use layouts",
};

const noFileSystem: FS = {
  exists: async () => false,
  existsSync: () => false,
  readFile: async () => {
    throw new Error("templates cannot read files");
  },
  readFileSync: () => {
    throw new Error("templates cannot read files");
  },
  resolve: (_dir, file) => file,
  contains: async () => false,
  containsSync: () => false,
};

/**
 * What `{{ value }}` writes. Liquid would print objects as "[object Object]" and arrays by
 * concatenating their items; workflow authors want something they can read or pass on, so
 * objects and arrays become JSON. Also charges the output to Liquid's allocation budget,
 * which `{% capture %}` would otherwise let grow unbounded.
 */
function outputText(this: { context?: Context } | undefined, raw: unknown): string {
  const text = stringifyOutput(toValue(raw));
  this?.context?.memoryLimit.use(text.length);
  return text;
}

function stringifyOutput(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint")
    return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? "" : value.toISOString();
  if (typeof value === "object") return JSON.stringify(value) ?? "";
  return "";
}

// "2024-03-04T09:00:00" (no offset) would be read in the server's time zone by `new Date`,
// so the same template would print different hours on different servers. Read it as UTC,
// like a date-only "2024-03-04", so output depends on the data alone.
const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

type FilterHandler = Extract<FilterImplOptions, (...args: never[]) => unknown>;

function createLiquid(): Liquid {
  const liquid = new Liquid({
    ownPropertyOnly: true,
    strictVariables: true,
    strictFilters: true,
    // `{% if employee.manager %}` and `{{ x | default: "–" }}` may test for a missing
    // variable; everywhere else a missing variable is still an error.
    lenientIf: true,
    fs: noFileSystem,
    root: [],
    relativeReference: false,
    dynamicPartials: false,
    outputEscape: outputText,
    parseLimit: TEMPLATE_LIMITS.maxSourceLength,
    renderLimit: TEMPLATE_LIMITS.renderTimeMs,
    memoryLimit: TEMPLATE_LIMITS.maxAllocations,
    // Dates print in UTC and English unless the template says otherwise
    // (`{{ d | date: "%H:%M", "Europe/Berlin" }}`), whatever the server's settings.
    timezoneOffset: 0,
    locale: "en-US",
  });
  for (const [tag, reason] of Object.entries(FORBIDDEN_TAGS)) {
    liquid.registerTag(tag, {
      parse() {
        throw new Error(`the "${tag}" tag is not allowed: ${reason}`);
      },
      render() {},
    });
  }
  const date = liquid.filters.date;
  const dateHandler = typeof date === "function" ? date : date?.handler;
  if (dateHandler) {
    const utcDate: FilterHandler = function (value: unknown, ...args: unknown[]) {
      const input =
        typeof value === "string" && DATE_TIME_WITHOUT_OFFSET.test(value.trim())
          ? `${value.trim().replace(" ", "T")}Z`
          : value;
      return dateHandler.call(this, input, ...args);
    };
    liquid.registerFilter("date", utcDate);
  }
  return liquid;
}

const liquid = createLiquid();

const CACHE_SIZE = 500;
const parsedTemplates = new Map<string, Template[]>();

/** Parses with a small LRU cache: the same config strings are rendered for every run. */
function parse(source: string): Template[] {
  const cached = parsedTemplates.get(source);
  if (cached) {
    parsedTemplates.delete(source);
    parsedTemplates.set(source, cached);
    return cached;
  }
  if (source.length > TEMPLATE_LIMITS.maxSourceLength)
    throw new TemplateError(
      `template is longer than ${TEMPLATE_LIMITS.maxSourceLength.toLocaleString("en-US")} characters`,
    );
  let templates: Template[];
  try {
    templates = liquid.parse(source);
  } catch (error) {
    throw toTemplateError(error);
  }
  parsedTemplates.set(source, templates);
  if (parsedTemplates.size > CACHE_SIZE) {
    const oldest = parsedTemplates.keys().next().value;
    if (oldest !== undefined) parsedTemplates.delete(oldest);
  }
  return templates;
}

export function isTemplate(source: string): boolean {
  return source.includes("{{") || source.includes("{%");
}

export function parseTemplate(source: string): void {
  parse(source);
}

/**
 * Variable paths the template reads from its scope, as dotted strings: "employee.firstName",
 * "nodes.welcome.output.text". `a["b"]` is reported as "a.b" and `items[0].name` as
 * "items.0.name" (a numeric segment is an array index); a computed index `a[b.c]` ends the
 * path at "a" (and "b.c" is reported on its own). Liquid's `size`, `first` and `last` appear
 * as written ("employee.groups.first.name"). Names bound inside the template (`for`,
 * `assign`, `capture`, `increment`, …) are not reported. Paths come grouped by their first
 * name, as Liquid's static analysis lists them.
 */
export function templateVariables(source: string): string[] {
  const templates = parse(source);
  const paths = new Set<string>();
  for (const segments of liquid.globalVariableSegmentsSync(templates, { partials: false })) {
    const path: string[] = [];
    for (const segment of segments) {
      if (Array.isArray(segment)) break;
      path.push(String(segment));
    }
    if (path.length > 0) paths.add(path.join("."));
  }
  return [...paths];
}

/** Collects output and stops the render as soon as it exceeds the size cap. */
class CappedEmitter implements Emitter {
  buffer = "";
  private bytes = 0;
  constructor(private readonly maxBytes: number) {}

  write(html: unknown): void {
    const text = stringifyOutput(toValue(html));
    // UTF-8 never takes fewer bytes than UTF-16 code units, so a long string fails here
    // without being measured (or flattened, if it is a huge concatenation).
    this.bytes += text.length > this.maxBytes ? text.length : utf8ByteLength(text);
    if (this.bytes > this.maxBytes) throw new OutputTooLarge();
    this.buffer += text;
  }
}

class OutputTooLarge extends Error {}

export async function renderTemplate(
  source: string,
  scope: Record<string, unknown>,
): Promise<string> {
  return renderWithPlainScope(source, toPlainJson(scope));
}

/**
 * Renders every string inside a JSON value (objects/arrays recursively); non-strings are
 * returned unchanged. `skipKeys` are top-level object keys whose values are left as they
 * are (they hold expressions, not templates).
 */
export async function renderTemplatesDeep<T>(
  value: T,
  scope: Record<string, unknown>,
  options: { skipKeys?: readonly string[] } = {},
): Promise<T> {
  // The scope (the event and every earlier node's output) is copied only when a string
  // is a template: most configs hold none, and the copy grows with the run's data.
  let plainScope: Record<string, unknown> | undefined;
  const skipKeys = new Set(options.skipKeys ?? []);
  const visit = async (node: unknown, topLevel: boolean): Promise<unknown> => {
    if (typeof node === "string") {
      if (!isTemplate(node)) return node;
      plainScope ??= toPlainJson(scope);
      return renderWithPlainScope(node, plainScope);
    }
    if (Array.isArray(node)) {
      const items: unknown[] = [];
      for (const item of node) items.push(await visit(item, false));
      return items;
    }
    if (isPlainObject(node)) {
      const result: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(node)) {
        const rendered = topLevel && skipKeys.has(key) ? child : await visit(child, false);
        // defineProperty: a config key named "__proto__" stays a plain key.
        Object.defineProperty(result, key, {
          value: rendered,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      return result;
    }
    return node;
  };
  return (await visit(value, true)) as T;
}

async function renderWithPlainScope(source: string, scope: object): Promise<string> {
  if (!isTemplate(source)) return source;
  const templates = parse(source);
  const context = new Context(scope, liquid.options, { sync: false }, { liquid });
  const emitter = new CappedEmitter(TEMPLATE_LIMITS.maxOutputBytes);
  try {
    await toPromise(liquid.renderer.renderTemplates(templates, context, emitter));
  } catch (error) {
    throw toTemplateError(error);
  }
  return emitter.buffer;
}

function toTemplateError(error: unknown): TemplateError {
  if (error instanceof TemplateError) return error;
  const liquidError = LiquidError.is(error) ? error : undefined;
  // Liquid wraps what a tag or filter threw; the original says what went wrong.
  const cause: unknown = liquidError?.originalError ?? error;
  if (cause instanceof OutputTooLarge)
    return new TemplateError(
      `template output is larger than ${TEMPLATE_LIMITS.maxOutputBytes / 1024} KiB`,
    );
  if (cause instanceof RangeError)
    // A string or the stack outgrew the engine: the template does too much.
    return new TemplateError("template is too large or too deeply nested to render");

  const variable = (cause as { variableName?: unknown }).variableName;
  if (typeof variable === "string")
    return new TemplateError(`unknown variable "${variable}"`, variable);

  const message = cause instanceof Error ? withoutPosition(cause.message) : "";
  if (message === "template render limit exceeded")
    return new TemplateError(
      `template took longer than ${TEMPLATE_LIMITS.renderTimeMs} ms to render`,
    );
  if (message === "memory alloc limit exceeded")
    return new TemplateError("template uses too much memory (is a range or loop too large?)");
  if (message === "parse length limit exceeded")
    return new TemplateError(
      `template is longer than ${TEMPLATE_LIMITS.maxSourceLength.toLocaleString("en-US")} characters`,
    );
  // Anything else without Liquid's wrapping is our bug, not the author's: say little.
  if (!liquidError) return new TemplateError("template could not be rendered");

  const [line, col] = liquidError.token?.getPosition() ?? [];
  const where = line === undefined ? "" : ` at line ${line}, col ${col}`;
  if (liquidError.name === "TokenizationError" || liquidError.name === "ParseError")
    return new TemplateError(`template syntax error${where}: ${message}`);
  return new TemplateError(`template error${where}: ${message}`);
}

/** Liquid appends ", line:1, col:5" (and the file, if any); we say where in our own words. */
function withoutPosition(message: string): string {
  return message.replace(/(?:, file:.*?)?, line:\d+, col:\d+$/, "");
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * The scope as plain JSON: dates become ISO strings, and functions, class instances'
 * methods and getters are gone, so nothing callable is reachable from a template.
 */
function toPlainJson(scope: Record<string, unknown>): Record<string, unknown> {
  try {
    return JSON.parse(JSON.stringify(scope) ?? "{}");
  } catch {
    // A cycle, a BigInt or nesting deeper than the stack: the data, not the template.
    throw new TemplateError("the data for this template cannot be read as JSON");
  }
}
