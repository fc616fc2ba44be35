import { describe, expect, it } from "vitest";
import {
  compileExpression,
  ExpressionError,
  type ExpressionVars,
  evaluateBoolean,
  interpolateEvent,
} from "./expressions";

// Events arrive as parsed JSON, so every number is a JS number (a CEL double).
const event = {
  name: "app/test",
  data: {
    id: "ab_1",
    department: "Engineering",
    level: 5,
    n: 1,
    price: 2.5,
    flag: true,
    nothing: null,
    "dashed-key": "dash",
    quote: 'he said "hi" \\ then left',
    tags: ["a", "b"],
    items: [{ id: 1 }, { id: 2, name: "two" }],
    user: { email: "Someone@Example.com", address: { city: "Oslo" } },
    function_id: "proto-app-retry",
  },
};

const ev = (expression: string, vars: ExpressionVars = { event }) =>
  compileExpression(expression).evaluate(vars);
const yes = (expression: string, vars: ExpressionVars = { event }) =>
  expect(evaluateBoolean(expression, vars), expression).toBe(true);
const no = (expression: string, vars: ExpressionVars = { event }) =>
  expect(evaluateBoolean(expression, vars), expression).toBe(false);

describe("typical Inngest expressions", () => {
  it("match what the SDK and the executor generate", () => {
    yes("event.data.id == async.data.id", { event, async: { data: { id: "ab_1" } } });
    no("event.data.id == async.data.id", { event, async: { data: { id: "other" } } });
    yes('async.data.approved == true && async.data.runId == "abc"', {
      async: { data: { approved: true, runId: "abc" } },
    });
    no('async.data.approved == true && async.data.runId == "abc"', {
      async: { data: { approved: false, runId: "abc" } },
    });
    yes("event.data.function_id == 'proto-app-retry'");
    yes('event.data.department == "Engineering" && event.data.level > 3');
    no('event.data.department == "Engineering" && event.data.level > 5');
    yes('async.data.correlation_id == "run1.ab12"', {
      async: { data: { correlation_id: "run1.ab12" } },
    });
  });
});

describe("missing attributes are null", () => {
  it("treats a missing attribute as null instead of an error", () => {
    yes("event.data.missing == null");
    no("event.data.missing != null");
    yes("event.data.nothing == null");
    no("event.data.id == null");
  });

  it("treats attributes under a missing or non-map parent as null at any depth", () => {
    no('event.data.a.b.c == "x"');
    yes('event.data.a.b.c != "x"');
    yes("event.data.a.b.c == null");
    yes("event.data.id.length == null");
    yes("event.data.nothing.deeper == null");
  });

  it("treats a variable that was not passed as null", () => {
    yes("event.data.id == null", {});
    yes("async == null && async.data.x == null", { event });
    no("event.data.id == async.data.id", { event });
  });

  it("resolves bracket keys and list indexes, out-of-range indexes being null", () => {
    yes('event.data["dashed-key"] == "dash"');
    yes("event.data.tags[1] == 'b' && event.data.items[1].name == 'two'");
    yes("event.data.tags[7] == null && event.data.items[0].name == null");
  });

  it("reports presence with has(), false under a missing parent", () => {
    yes("has(event.data.id) && has(event.data.nothing) && has(event.data.user.address.city)");
    no("has(event.data.missing)");
    no("has(event.data.a.b.c)");
    no("has(event.data.id)", {});
  });

  it("gives size 0, and orders as the zero value, like Inngest's unknowns", () => {
    yes("size(event.data.missing) == 0");
    yes("event.data.missing < 3 && event.data.missing <= 0 && !(event.data.missing > 0)");
    yes("5 > event.data.missing && 'a' > event.data.missing");
    yes("event.data.nothing < 1.5");
  });

  it("does not shadow a macro variable that happens to be called event", () => {
    yes("[1, 2].exists(event, event == 2)");
    yes("event.data.items.exists(item, item.id == 2)");
    yes("cel.bind(event, 3, event > 2)");
  });
});

describe("loose typing", () => {
  it("compares ints and doubles numerically", () => {
    yes("event.data.n == 1 && 1 == event.data.n && event.data.n == 1.0");
    yes("event.data.level > 3 && event.data.level >= 5.0 && event.data.price < 3");
    yes("event.data.price > event.data.n && 2 < event.data.price");
  });

  it("treats == across mismatched types as false and != as true", () => {
    no("event.data.id == 1");
    no("event.data.n == '1'");
    no("event.data.flag == 'true'");
    yes("event.data.id != 1 && event.data.tags != 'a'");
    no("event.data.user == event.data.tags");
  });

  it("concatenates strings with numbers and booleans using +", () => {
    expect(ev("'id-' + event.data.n")).toBe("id-1");
    expect(ev("event.data.price + '€'")).toBe("2.5€");
    expect(ev("'v' + 2")).toBe("v2");
    expect(ev("'is ' + event.data.flag")).toBe("is true");
    expect(ev("'prefix-' + event.data.missing")).toBe("prefix-");
    expect(ev("event.data.missing + 1")).toBe(1);
  });

  it("mixes ints and doubles in arithmetic", () => {
    expect(ev("event.data.n + 1")).toBe(2);
    expect(ev("1 + event.data.price")).toBe(3.5);
    expect(ev("event.data.price * 2 - 1")).toBe(4);
    expect(ev("event.data.level / 2")).toBe(2.5);
    yes("event.data.level + 1 == 6");
  });
});

describe("Inngest's extra functions", () => {
  it("lowercase and uppercase strings", () => {
    yes("lowercase(event.data.user.email) == 'someone@example.com'");
    expect(ev("uppercase('abc')")).toBe("ABC");
  });

  it("b64decode decodes base64", () => {
    expect(ev("b64decode('aGVsbG8gd29ybGQ=')")).toBe("hello world");
  });

  it("json_parse parses JSON objects, giving {} for anything else", () => {
    yes('json_parse(\'{"a": {"b": 1}}\').a.b == 1');
    expect(ev("json_parse('not json')")).toEqual({});
    expect(ev("json_parse('[1, 2]')")).toEqual({});
  });

  it("date parses date strings and epochs into timestamps comparable with now()", () => {
    expect(ev("date('2024-05-01T10:00:00Z')")).toEqual(new Date("2024-05-01T10:00:00Z"));
    expect(ev("date('2024-05-01T10:00:00')")).toEqual(new Date("2024-05-01T10:00:00Z"));
    expect(ev("date('2024-05-01')")).toEqual(new Date("2024-05-01T00:00:00Z"));
    expect(ev("date(1714557600)")).toEqual(new Date("2024-05-01T10:00:00Z"));
    expect(ev("date(1714557600000)")).toEqual(new Date("2024-05-01T10:00:00Z"));
    yes("date('2024-05-01') < now() && date(event.data.when) > date('2024-01-01')", {
      event: { data: { when: "2024-05-01T10:00:00+02:00" } },
    });
    no("date('not a date') < now()");
    no("date(12) < now()");
  });

  it("now, now_plus and now_minus take Go-style duration strings", () => {
    const near = (expression: string, offsetMs: number) => {
      const value = ev(expression) as Date;
      expect(value).toBeInstanceOf(Date);
      expect(Math.abs(value.getTime() - (Date.now() + offsetMs))).toBeLessThan(1_000);
    };
    near("now()", 0);
    near("now_plus('1h')", 3_600_000);
    near("now_minus('30m')", -1_800_000);
    near("now_plus('1h30m')", 5_400_000);
    near("now_plus('1.5d')", 129_600_000);
    near("now_minus('1w')", -604_800_000);
    yes("now_minus('1s') < now() && now() < now_plus('500ms')");
    no("now_plus('soon') > now()");
  });
});

describe("standard CEL still works", () => {
  it("supports macros, membership and string functions", () => {
    yes("size(event.data.tags) == 2 && event.data.tags.size() == 2");
    yes("'a' in event.data.tags && 'id' in event.data && !('zzz' in event.data)");
    yes("event.data.items.all(i, i.id > 0) && event.data.items.exists(i, i.id == 1)");
    yes(
      "event.data.items.exists_one(i, i.id == 2) && event.data.tags.filter(t, t == 'a').size() == 1",
    );
    yes(
      "event.data.id.startsWith('ab') && event.data.id.contains('_') && event.data.id.matches('^ab_[0-9]+$')",
    );
  });

  it("supports the ternary and logical operators", () => {
    expect(ev("event.data.level > 3 ? 'senior' : 'junior'")).toBe("senior");
    yes("!(event.data.level < 3) && (event.data.flag || false)");
    yes("event.data.missing == 1 || event.data.flag");
  });
});

describe("evaluateBoolean", () => {
  it("is true only for a boolean true result", () => {
    no("event.data.id");
    no("event.data.n");
    no("event.data.missing");
    yes("event.data.flag");
  });

  it("turns runtime errors into false", () => {
    no("event.data.id.startsWith(1)");
    no("1 / 0 == 1");
    no("int('not a number') == 1");
    no("event.data.tags.contains('a')");
    no("event.data.missing.startsWith('a')");
  });

  it("accepts a compiled expression as well as a string", () => {
    const compiled = compileExpression("event.data.level > 3");
    expect(evaluateBoolean(compiled, { event })).toBe(true);
    expect(evaluateBoolean(compiled, { event: { data: { level: 1 } } })).toBe(false);
  });

  it("still throws ExpressionError when a string does not compile", () => {
    expect(() => evaluateBoolean("event.data.id ==", { event })).toThrow(ExpressionError);
  });
});

describe("compileExpression", () => {
  it("rejects a syntax error with an ExpressionError naming the expression", () => {
    for (const source of ["event.data.id ==", "event.data.(id)", "'unterminated", ""]) {
      expect(() => compileExpression(source)).toThrow(ExpressionError);
      expect(() => compileExpression(source)).toThrow(JSON.stringify(source));
    }
  });

  it("rejects unknown variables and unknown functions", () => {
    expect(() => compileExpression("user.id == 1")).toThrow(/Unknown variable: user/);
    expect(() => compileExpression("nosuchfn(event)")).toThrow(ExpressionError);
  });

  it("throws ExpressionError naming the expression for runtime errors from evaluate()", () => {
    const compiled = compileExpression("event.data.id.startsWith(1)");
    expect(() => compiled.evaluate({ event })).toThrow(ExpressionError);
    expect(() => compiled.evaluate({ event })).toThrow('"event.data.id.startsWith(1)"');
  });

  it("returns plain JS values: ints as numbers, maps as objects", () => {
    expect(ev("1 + 2")).toBe(3);
    expect(ev("size(event.data.tags)")).toBe(2);
    expect(ev("{'a': [1, 2u]}")).toEqual({ a: [1, 2] });
    expect(ev("event.data.user.address")).toEqual({ city: "Oslo" });
    expect(compileExpression("event.data.id").source).toBe("event.data.id");
  });

  it("caches compiled expressions by source, evicting the oldest beyond 1,000", () => {
    const first = compileExpression("event.data.cache_probe == 0");
    expect(compileExpression("event.data.cache_probe == 0")).toBe(first);
    for (let i = 0; i < 1_000; i++) compileExpression(`event.data.cache_probe == ${i + 1}`);
    expect(compileExpression("event.data.cache_probe == 0")).not.toBe(first);
  });
});

describe("interpolateEvent", () => {
  it("replaces event paths with CEL literals and leaves async alone", () => {
    expect(
      interpolateEvent(
        "event.data.id == async.data.id && async.data.level <= event.data.level",
        event,
      ),
    ).toBe('"ab_1" == async.data.id && async.data.level <= 5.0');
    expect(
      interpolateEvent("event.data.flag == async.data.flag && event.data.price > 1", event),
    ).toBe("true == async.data.flag && 2.5 > 1");
  });

  it("quotes and escapes strings with quotes, backslashes and control characters", () => {
    expect(interpolateEvent("async.data.q == event.data.quote", event)).toBe(
      'async.data.q == "he said \\"hi\\" \\\\ then left"',
    );
    const tricky = { data: { s: "line1\nline2\t'single' \u0001 ünïcödé 🎉 \ud800" } };
    const interpolated = interpolateEvent("async.data.s == event.data.s", tricky);
    yes(interpolated, {
      async: { data: { s: "line1\nline2\t'single' \u0001 ünïcödé 🎉 \ufffd" } },
    });
  });

  it("turns nested objects and lists into CEL literals", () => {
    expect(interpolateEvent("event.data.user == async.data.user", event)).toBe(
      '{"email": "Someone@Example.com", "address": {"city": "Oslo"}} == async.data.user',
    );
    expect(interpolateEvent("async.data.x in event.data.items", event)).toBe(
      'async.data.x in [{"id": 1.0}, {"id": 2.0, "name": "two"}]',
    );
  });

  it("replaces missing paths with null and has() with its answer", () => {
    expect(interpolateEvent("event.data.missing.deep == async.data.x", event)).toBe(
      "null == async.data.x",
    );
    expect(interpolateEvent("has(event.data.id) && !has(event.data.nope)", event)).toBe(
      "true && !false",
    );
    expect(interpolateEvent("event.data.id == async.data.id", undefined)).toBe(
      "null == async.data.id",
    );
  });

  it("does not touch event inside string literals, vars, or macro variables", () => {
    expect(
      interpolateEvent("async.data.path == 'event.data.id' && \"event\" != event.name", event),
    ).toBe('async.data.path == \'event.data.id\' && "event" != "app/test"');
    expect(interpolateEvent("vars.a == async.data.a", event)).toBe("vars.a == async.data.a");
    expect(interpolateEvent("async.data.list.exists(event, event == 1)", event)).toBe(
      "async.data.list.exists(event, event == 1)",
    );
  });

  it("keeps negative numbers intact inside arithmetic", () => {
    const interpolated = interpolateEvent("1 - event.data.v == async.data.v", { data: { v: -5 } });
    expect(interpolated).toBe("1 - (-5.0) == async.data.v");
    yes(interpolated, { async: { data: { v: 6 } } });
  });

  it("throws ExpressionError for invalid CEL", () => {
    expect(() => interpolateEvent("event.data.id ==", event)).toThrow(ExpressionError);
  });

  it("gives the same result with only async as the original with event and async", () => {
    const expressions = [
      "event.data.id == async.data.id",
      "event.data.level == async.data.level && async.data.level > 3",
      "async.data.price > event.data.price",
      "event.data.user.address.city == async.data.city",
      "event.data.missing == async.data.missing",
      "event.data.tags == async.data.tags",
      "async.data.id in event.data.tags || has(event.data.user.email)",
      "event.data.items.exists(i, i.id == async.data.n)",
      "'id-' + event.data.n == async.data.key",
      "event.data.quote == async.data.quote && event.data['dashed-key'] == async.data.dash",
    ];
    const asyncEvents = [
      { data: { id: "ab_1", level: 5, price: 3, city: "Oslo", tags: ["a", "b"], n: 2 } },
      { data: { id: "nope", level: 5.0, price: 1, missing: null, key: "id-1", n: 7 } },
      { data: { quote: event.data.quote, dash: "dash", id: "a" } },
      { data: {} },
      {},
    ];
    for (const expression of expressions) {
      const interpolated = interpolateEvent(expression, event);
      expect(interpolated).not.toMatch(/\bevent\./);
      for (const async of asyncEvents) {
        expect(evaluateBoolean(interpolated, { async }), `${expression} / ${interpolated}`).toBe(
          evaluateBoolean(expression, { event, async }),
        );
      }
    }
  });
});
