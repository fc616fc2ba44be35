import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EXPRESSION_LIMITS,
  ExpressionError,
  evaluateExpression,
  expressionPaths,
  parseExpression,
} from "./expression";

const scope = {
  employee: {
    firstName: "Ada",
    lastName: "Lovelace",
    department: "Engineering",
    salary: 100,
    groups: [{ name: "eng" }, { name: "london" }],
  },
  nodes: { lookup: { output: { groups: ["a", "b"] } } },
};

async function evaluationError(
  source: string,
  input: unknown = scope,
  limits: Partial<typeof EXPRESSION_LIMITS> = {},
) {
  const error = await evaluateExpression(source, input, {}, limits).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ExpressionError);
  return error as ExpressionError;
}

describe("evaluateExpression", () => {
  it("evaluates conditions to booleans", async () => {
    expect(await evaluateExpression('employee.department = "Engineering"', scope)).toBe(true);
    expect(await evaluateExpression("$count(nodes.lookup.output.groups) > 0", scope)).toBe(true);
    expect(await evaluateExpression('employee.department = "Sales"', scope)).toBe(false);
  });

  it("does arithmetic and string work", async () => {
    expect(await evaluateExpression("employee.salary * 1.5 + 1", scope)).toBe(151);
    expect(
      await evaluateExpression('$uppercase(employee.firstName) & "-" & employee.lastName', scope),
    ).toBe("ADA-Lovelace");
  });

  it("builds objects", async () => {
    expect(
      await evaluateExpression(
        '{ "fullName": employee.firstName & " " & employee.lastName, "groups": $count(employee.groups) }',
        scope,
      ),
    ).toEqual({ fullName: "Ada Lovelace", groups: 2 });
  });

  it("maps arrays and returns plain arrays, not JSONata sequences", async () => {
    const names = await evaluateExpression("employee.groups.name", scope);
    expect(names).toEqual(["eng", "london"]);
    expect(Object.keys(names as object)).toEqual(["0", "1"]);
    expect((names as { sequence?: unknown }).sequence).toBeUndefined();
    expect(
      await evaluateExpression('$map(employee.groups, function($g){ $g.name & "!" })', scope),
    ).toEqual(["eng!", "london!"]);
  });

  it("returns undefined when nothing matches", async () => {
    expect(await evaluateExpression("employee.nickname", scope)).toBeUndefined();
  });

  it("reads bindings as $variables", async () => {
    expect(
      await evaluateExpression(
        "$item.name & $string($index)",
        {},
        { item: { name: "x" }, index: 2 },
      ),
    ).toBe("x2");
  });

  it("sees the input as plain JSON: dates are ISO strings and functions are gone", async () => {
    const input = { when: new Date("2024-03-04T00:00:00.000Z"), run: () => "called" };
    expect(await evaluateExpression("when", input)).toBe("2024-03-04T00:00:00.000Z");
    expect(await evaluateExpression("run", input)).toBeUndefined();
    let called = false;
    const bindings = {
      f: () => {
        called = true;
        return "called";
      },
    };
    const error = await evaluateExpression("$f()", {}, bindings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).message).toMatch(/^expression error at position \d+: /);
    expect(called).toBe(false);
  });

  it("refuses a function or a non-finite number as the result", async () => {
    expect((await evaluationError("function($x){ $x }")).message).toBe(
      "expression result is a function, not data",
    );
    expect((await evaluationError('{ "f": $uppercase }')).message).toBe(
      "expression result is a function, not data",
    );
    expect((await evaluationError("1 / 0")).message).toBe(
      "expression result contains a number that is not finite",
    );
  });

  it("reports runtime errors with their position", async () => {
    const error = await evaluationError('"a" + 1');
    expect(error.message).toBe(
      'expression error at position 5: The left side of the "+" operator must evaluate to a number',
    );
    expect(error.position).toBe(5);
  });

  it("keeps $eval working, and as contained as the expression itself", async () => {
    expect(await evaluateExpression('$eval("1 + 2")', {})).toBe(3);
    expect(await evaluateExpression('$eval("employee.firstName")', scope)).toBe("Ada");
    expect(await evaluateExpression('$eval("$$.constructor")', scope)).toBeUndefined();
    expect((await evaluationError('$eval("($f := function($x){ $x($x) }; $f($f))")')).message).toBe(
      "expression took longer than 100 ms",
    );
    expect((await evaluationError('$eval("1 +")')).message).toMatch(/Syntax error/);
  });
});

describe("parseExpression", () => {
  it("accepts a valid expression", () => {
    expect(() => parseExpression('employee.department = "Engineering"')).not.toThrow();
  });

  it("reports a syntax error with its position", () => {
    let error: unknown;
    try {
      parseExpression("$count(employee.groups");
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as ExpressionError).message).toBe(
      'expression syntax error at position 22: Expected ")" before end of expression',
    );
    expect((error as ExpressionError).position).toBe(22);
    expect(() => parseExpression("employee.")).toThrow(/^expression syntax error/);
  });

  it("refuses a source longer than the limit", () => {
    expect(() => parseExpression(`"${"x".repeat(EXPRESSION_LIMITS.maxSourceLength)}"`)).toThrow(
      "expression is longer than 5,000 characters",
    );
  });

  it("turns deep nesting into a clear error or a result, never a crash", async () => {
    const depth = 2400;
    const source = `${"(".repeat(depth)}1${")".repeat(depth)}`;
    expect(source.length).toBeLessThanOrEqual(EXPRESSION_LIMITS.maxSourceLength);
    const error = await evaluationError(source);
    expect(error.message).toMatch(/deeper than 200 levels|too deeply nested/);
  });
});

describe("limits", () => {
  it("stops self-application at the time limit", async () => {
    const error = await evaluationError("(function($x){ $x($x) })(function($x){ $x($x) })");
    expect(error.message).toBe("expression took longer than 100 ms");
  });

  it("stops deep recursion at the depth limit", async () => {
    const error = await evaluationError(
      "($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(100000))",
    );
    expect(error.message).toBe("expression nests or recurses deeper than 200 levels");
    expect(
      await evaluateExpression("($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(10))", {}),
    ).toBe(10);
  });

  it("honours limits passed per call", async () => {
    const slow = "$count($map([1..100000], function($v){ $v * 2 }))";
    expect((await evaluationError(slow, {}, { timeoutMs: 5 })).message).toBe(
      "expression took longer than 5 ms",
    );
    expect(await evaluateExpression(slow, {}, {}, { timeoutMs: 5000 })).toBe(100000);
    expect((await evaluationError('"abc"', {}, { maxResultBytes: 4 })).message).toBe(
      "expression result is larger than 4 bytes",
    );
  });

  it("refuses huge ranges before allocating them", async () => {
    expect((await evaluationError("[1..100000000]")).message).toBe(
      "expression builds a sequence longer than 1,000,000 items",
    );
    expect((await evaluationError("$sum([1..10000000])")).message).toBe(
      "expression builds a sequence longer than 1,000,000 items",
    );
    expect(await evaluateExpression("$sum([1..1000])", {})).toBe(500500);
  });

  it("stops strings that grow without bound", async () => {
    expect((await evaluationError('$pad("x", 100000000)')).message).toBe(
      "expression builds a string longer than 10,485,760 characters",
    );
    expect(
      (
        await evaluationError(
          '($d := function($s, $n){ $n = 0 ? $s : $d($s & $s, $n - 1) }; $length($d("x", 40)))',
        )
      ).message,
    ).toBe("expression builds a string longer than 10,485,760 characters");
    // $pad still behaves as documented below the limit.
    expect(await evaluateExpression('$pad("ab", 5)', {})).toBe("ab   ");
    expect(await evaluateExpression('$pad("ab", -5, "xy")', {})).toBe("xyxab");
    expect(await evaluateExpression('$pad("abcdef", 3)', {})).toBe("abcdef");
  });

  it("refuses a result larger than 1 MiB", async () => {
    const error = await evaluationError(
      '$join($map([1..20000], function($v){ $pad("", 100, "x") }))',
      {},
      { timeoutMs: 5000 },
    );
    expect(error.message).toBe("expression result is larger than 1 MiB");
    const big = { text: "x".repeat(EXPRESSION_LIMITS.maxResultBytes) };
    expect((await evaluationError("$", big)).message).toBe(
      "expression result is larger than 1 MiB",
    );
  });
});

describe("escape corpus", () => {
  const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype];
  let before: string[][];

  beforeAll(() => {
    before = prototypes.map((prototype) => Object.getOwnPropertyNames(prototype).sort());
  });

  afterAll(() => {
    expect(prototypes.map((prototype) => Object.getOwnPropertyNames(prototype).sort())).toEqual(
      before,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    "$string.constructor",
    "constructor",
    "__proto__",
    "employee.constructor",
    "employee.__proto__",
    "employee.toString",
    "$.constructor",
    "$$.constructor",
    "employee.groups.constructor",
    '$lookup(employee, "constructor")',
    '$lookup(employee, "__proto__")',
    '$$.constructor.constructor("return process")()',
    '$string.constructor("return process")()',
    "$keys($).constructor",
  ])("%s reaches nothing", async (source) => {
    const result = await evaluateExpression(source, scope).catch((error: unknown) => error);
    if (result !== undefined) {
      expect(result).toBeInstanceOf(ExpressionError);
      expect((result as Error).message).not.toMatch(/process|Function/);
    }
  });

  it("cannot pollute prototypes through object construction or merging", async () => {
    const merged = await evaluateExpression(
      '$merge([{}, { "__proto__": { "polluted": "yes" } }, { "constructor": { "prototype": { "polluted": "yes" } } }])',
      {},
    );
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    const input = JSON.parse('{"__proto__": {"polluted": "yes"}}');
    expect(await evaluateExpression("__proto__.polluted", input)).toBe("yes");
    await evaluateExpression('$ ~> | $ | { "__proto__": { "polluted": "yes" } } |', { a: 1 }).catch(
      () => undefined,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("has no way to reach process, require or the global object", async () => {
    for (const name of ["process", "require", "globalThis", "global", "module", "Function"]) {
      expect(await evaluateExpression(name, scope)).toBeUndefined();
      const error = await evaluateExpression(`$${name}()`, scope).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ExpressionError);
    }
  });
});

describe("expressionPaths", () => {
  it.each([
    ['employee.department = "Engineering"', ["employee.department"]],
    ["$count(nodes.lookup.output.groups) > 0", ["nodes.lookup.output.groups"]],
    [
      '{ "fullName": employee.firstName & " " & employee.lastName }',
      ["employee.firstName", "employee.lastName"],
    ],
    ['employee.groups[name = "x"].id', ["employee.groups.name", "employee.groups.id"]],
    ["employee.groups[0].name", ["employee.groups.name"]],
    ['employee.active ? manager.email : "hr@example.com"', ["employee.active", "manager.email"]],
    ["a.b ~> $uppercase", ["a.b"]],
    ["employee^(name).id", ["employee.name", "employee.id"]],
    ["a#$i.b", ["a.b"]],
    ["$map(items, function($v){ $v.name & suffix })", ["items", "suffix"]],
    ["($t := employee.x; $t.y)", ["employee.x"]],
  ])("%s reads %j", (source, paths) => {
    expect(expressionPaths(source)).toEqual(paths);
  });

  it("skips paths through variables and $ / $$ contexts", () => {
    expect(expressionPaths("$x.foo")).toEqual([]);
    expect(expressionPaths("$$.employee.name")).toEqual([]);
    expect(expressionPaths("$.employee.name")).toEqual([]);
    expect(expressionPaths('$lookup($, "x").y')).toEqual([]);
  });

  it("stops a path where a step is not a plain name", () => {
    expect(expressionPaths("employee.*.x")).toEqual(["employee"]);
    expect(expressionPaths("employee.**.name")).toEqual(["employee"]);
    expect(expressionPaths("a@$e.b")).toEqual(["a"]);
    expect(expressionPaths("`a.b`.c")).toEqual([]);
  });

  it("follows blocks and functions used as steps", () => {
    expect(expressionPaths("a.(b.c)")).toEqual(["a.b.c", "a"]);
    expect(expressionPaths("employee.$uppercase(firstName)")).toEqual([
      "employee.firstName",
      "employee",
    ]);
  });

  it("throws an ExpressionError on a syntax error", () => {
    expect(() => expressionPaths("employee.(")).toThrow(ExpressionError);
  });
});
