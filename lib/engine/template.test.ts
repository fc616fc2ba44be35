import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  isTemplate,
  parseTemplate,
  renderTemplate,
  renderTemplatesDeep,
  TEMPLATE_LIMITS,
  TemplateError,
  templateVariables,
} from "./template";

const scope = {
  employee: {
    firstName: "Ada",
    lastName: "Lovelace",
    email: "ada@example.com",
    manager: { email: "grace@example.com" },
    middleName: null,
    startDate: "2024-03-04",
    groups: [{ name: "Engineering" }, { name: "London" }],
  },
  nodes: { welcome: { output: { text: "hello there" } } },
};

async function renderError(source: string, data: Record<string, unknown> = scope) {
  const error = await renderTemplate(source, data).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(TemplateError);
  return error as TemplateError;
}

describe("renderTemplate", () => {
  it("fills in variables and applies filters", async () => {
    expect(await renderTemplate("Welcome {{ employee.firstName }}!", scope)).toBe("Welcome Ada!");
    expect(await renderTemplate("{{ nodes.welcome.output.text | upcase }}", scope)).toBe(
      "HELLO THERE",
    );
    expect(await renderTemplate("{{ employee['manager'].email }}", scope)).toBe(
      "grace@example.com",
    );
  });

  it("returns a string without template syntax as it is", async () => {
    expect(await renderTemplate("plain text, no {braces}", {})).toBe("plain text, no {braces}");
  });

  it("names an unknown variable in the error", async () => {
    const error = await renderError("Hi {{ employee.fristName }}");
    expect(error.message).toBe('unknown variable "employee.fristName"');
    expect(error.variable).toBe("employee.fristName");
    expect((await renderError("{{ nope }}")).variable).toBe("nope");
  });

  it("renders null as empty, and lets if/default test for a missing variable", async () => {
    expect(await renderTemplate("[{{ employee.middleName }}]", scope)).toBe("[]");
    expect(
      await renderTemplate("{% if employee.nickname %}x{% else %}none{% endif %}", scope),
    ).toBe("none");
    expect(await renderTemplate('{{ employee.nickname | default: "–" }}', scope)).toBe("–");
  });

  it("loops, assigns and captures", async () => {
    const source =
      '{% assign sep = ", " %}{% capture names %}{% for g in employee.groups %}{{ g.name }}{% unless forloop.last %}{{ sep }}{% endunless %}{% endfor %}{% endcapture %}Groups: {{ names }}';
    expect(await renderTemplate(source, scope)).toBe("Groups: Engineering, London");
    expect(await renderTemplate("{{ employee.groups.size }}", scope)).toBe("2");
  });

  it("renders objects and arrays as JSON rather than [object Object]", async () => {
    expect(await renderTemplate("{{ employee.manager }}", scope)).toBe(
      '{"email":"grace@example.com"}',
    );
    expect(await renderTemplate("{{ employee.groups }}", scope)).toBe(
      '[{"name":"Engineering"},{"name":"London"}]',
    );
    expect(await renderTemplate("{% echo employee.manager %}", scope)).toBe(
      '{"email":"grace@example.com"}',
    );
    expect(await renderTemplate("{{ employee.manager | raw }}", scope)).toBe(
      '{"email":"grace@example.com"}',
    );
    expect(await renderTemplate("{{ n }} {{ yes }}", { n: 4.5, yes: true })).toBe("4.5 true");
  });

  it("turns Date values in the scope into ISO strings", async () => {
    const when = new Date("2024-03-04T09:30:00.000Z");
    expect(await renderTemplate("{{ when }}", { when })).toBe("2024-03-04T09:30:00.000Z");
    expect(await renderTemplate('{{ when | date: "%H:%M" }}', { when })).toBe("09:30");
  });

  it("formats ISO date strings with the date filter, independent of the server's zone", async () => {
    expect(await renderTemplate('{{ employee.startDate | date: "%A %d %B" }}', scope)).toBe(
      "Monday 04 March",
    );
    // A date-time without an offset is read as UTC; one with an offset is converted to UTC.
    expect(
      await renderTemplate('{{ t | date: "%Y-%m-%d %H:%M" }}', { t: "2024-03-04T09:00:00" }),
    ).toBe("2024-03-04 09:00");
    expect(
      await renderTemplate('{{ t | date: "%d %H:%M" }}', { t: "2024-03-04T23:30:00+02:00" }),
    ).toBe("04 21:30");
    // An explicit zone argument wins.
    expect(
      await renderTemplate('{{ t | date: "%H:%M", "Europe/Berlin" }}', {
        t: "2024-03-04T09:00:00Z",
      }),
    ).toBe("10:00");
  });

  it("renders the same cached template with different scopes", async () => {
    const source = "Hello {{ who }}";
    expect(await renderTemplate(source, { who: "a" })).toBe("Hello a");
    expect(await renderTemplate(source, { who: "b" })).toBe("Hello b");
  });

  it("rejects an unknown filter when parsing", async () => {
    expect((await renderError("x\n  {{ employee.firstName | shout }}")).message).toBe(
      "template syntax error at line 2, col 3: undefined filter: shout",
    );
  });
});

describe("parseTemplate", () => {
  it("accepts a valid template", () => {
    expect(() => parseTemplate("Hi {{ employee.firstName | upcase }}")).not.toThrow();
  });

  it("reports syntax errors with line and column", () => {
    expect(() => parseTemplate("Hi {{ employee.firstName")).toThrow(
      new TemplateError(
        'template syntax error at line 1, col 4: output "{{ employee.firstName" not closed',
      ),
    );
    expect(() => parseTemplate("{% if %}yes{% endif %}")).toThrow(
      /template syntax error at line 1/,
    );
    expect(() => parseTemplate("{% for x in y %}")).toThrow(/not closed/);
    expect(() => parseTemplate("{% frobnicate %}")).toThrow(/tag "frobnicate" not found/);
  });

  it("refuses a source longer than the limit", () => {
    const source = "x".repeat(TEMPLATE_LIMITS.maxSourceLength + 1);
    expect(() => parseTemplate(source)).toThrow("template is longer than 20,000 characters");
  });
});

describe("isTemplate", () => {
  it("recognises output and tag delimiters", () => {
    expect(isTemplate("Hi {{ x }}")).toBe(true);
    expect(isTemplate("{% if x %}y{% endif %}")).toBe(true);
    expect(isTemplate("no template { here }")).toBe(false);
  });
});

describe("templateVariables", () => {
  it("lists the dotted paths a template reads", () => {
    expect(
      templateVariables(
        "Welcome {{ employee.firstName }} {{ nodes.welcome.output.text | upcase }} {{ employee['manager'].email }}",
      ),
    ).toEqual(["employee.firstName", "employee.manager.email", "nodes.welcome.output.text"]);
  });

  it("normalises indices and stops a path at a computed index", () => {
    expect(templateVariables("{{ items[0].name }} {{ item.name }}")).toEqual([
      "items.0.name",
      "item.name",
    ]);
    expect(templateVariables("{{ table[key.name].x }}")).toEqual(["table", "key.name"]);
  });

  it("leaves out variables bound inside the template", () => {
    expect(
      templateVariables(
        "{% for g in employee.groups %}{{ g.name }} {{ forloop.index }}{% endfor %}",
      ),
    ).toEqual(["employee.groups"]);
    expect(
      templateVariables(
        "{% assign x = employee.name %}{{ x.first }}{% capture y %}{{ a.b }}{% endcapture %}{{ y }}",
      ),
    ).toEqual(["employee.name", "a.b"]);
  });

  it("reports variables in tags and filter arguments, once each", () => {
    expect(
      templateVariables(
        '{% if employee.active %}{{ employee.x | default: other.y }}{% endif %}{{ employee.x }}{{ "lit" }}',
      ),
    ).toEqual(["employee.active", "employee.x", "other.y"]);
  });

  it("throws a TemplateError on a syntax error", () => {
    expect(() => templateVariables("{{ a.b")).toThrow(TemplateError);
  });
});

describe("renderTemplatesDeep", () => {
  it("renders every string in nested objects and arrays, leaving other values alone", async () => {
    const config = {
      to: "{{ employee.email }}",
      subject: "Welcome, {{ employee.firstName }}",
      count: 3,
      enabled: true,
      nothing: null,
      lines: ["Dear {{ employee.firstName }}", { cc: "{{ employee.manager.email }}" }],
    };
    const rendered = await renderTemplatesDeep(config, scope);
    expect(rendered).toEqual({
      to: "ada@example.com",
      subject: "Welcome, Ada",
      count: 3,
      enabled: true,
      nothing: null,
      lines: ["Dear Ada", { cc: "grace@example.com" }],
    });
    expect(config.to).toBe("{{ employee.email }}");
  });

  it("leaves top-level skipKeys as written, but renders the same key deeper down", async () => {
    const config = {
      expression: "{{ not.rendered }}",
      nested: { expression: "{{ employee.firstName }}" },
    };
    expect(await renderTemplatesDeep(config, scope, { skipKeys: ["expression"] })).toEqual({
      expression: "{{ not.rendered }}",
      nested: { expression: "Ada" },
    });
  });

  it("keeps a key named __proto__ as a plain key", async () => {
    const config = JSON.parse('{"__proto__": {"polluted": "{{ employee.firstName }}"}}');
    const rendered = (await renderTemplatesDeep(config, scope)) as Record<string, unknown>;
    expect(Object.getPrototypeOf(rendered)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(rendered, "__proto__")?.value).toEqual({
      polluted: "Ada",
    });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("fails with the template's error", async () => {
    await expect(renderTemplatesDeep({ a: ["{{ missing.value }}"] }, scope)).rejects.toThrow(
      'unknown variable "missing"',
    );
  });

  it("reads the data only when a string is a template", async () => {
    // Data no template could read (a cycle): fine as long as no string needs it.
    const cyclic: Record<string, unknown> = { name: "loop" };
    cyclic.self = cyclic;
    const config = { url: "https://example.com/{ not a template }", retries: 2, tags: ["a"] };
    await expect(renderTemplatesDeep(config, { data: cyclic })).resolves.toEqual(config);
    await expect(renderTemplatesDeep({ url: "{{ data.name }}" }, { data: cyclic })).rejects.toThrow(
      "the data for this template cannot be read as JSON",
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
    // Nothing in this corpus added or replaced anything on the built-in prototypes.
    expect(prototypes.map((prototype) => Object.getOwnPropertyNames(prototype).sort())).toEqual(
      before,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.toString.call([])).toBe("[object Array]");
  });

  it.each([
    ["{{ employee.constructor }}", "employee.constructor"],
    ['{{ "x".constructor.constructor }}', "constructor"],
    ["{{ employee.__proto__ }}", "employee.__proto__"],
    ["{{ employee.__proto__.polluted }}", "employee.__proto__"],
    ["{{ employee.toString }}", "employee.toString"],
    ["{{ employee.hasOwnProperty }}", "employee.hasOwnProperty"],
    ["{{ employee.groups.constructor.constructor }}", "employee.groups.constructor"],
    ["{{ employee.groups.push }}", "employee.groups.push"],
    ["{{ constructor }}", "constructor"],
    ["{{ this.constructor }}", "this"],
    ["{{ process.env }}", "process"],
    ["{{ globalThis }}", "globalThis"],
    ["{{ require }}", "require"],
  ])("%s reads nothing inherited", async (source, variable) => {
    const error = await renderError(source);
    expect(error.message).toBe(`unknown variable "${variable}"`);
  });

  it("does not reach inherited properties through filters", async () => {
    expect(await renderTemplate('{{ employee.groups | map: "constructor" }}', scope)).toBe(
      "[null,null]",
    );
    await expect(
      renderTemplate('{{ employee.groups | where: "constructor" | size }}', scope),
    ).rejects.toThrow(TemplateError);
    expect(await renderTemplate('{{ employee.groups | map: "__proto__" }}', scope)).toBe(
      "[null,null]",
    );
  });

  it("cannot call a function passed in the scope", async () => {
    let called = false;
    const data = {
      employee: {
        name: "Ada",
        secret: () => {
          called = true;
          return "leaked";
        },
      },
    };
    const error = await renderError("{{ employee.secret }}", data);
    expect(error.message).toBe('unknown variable "employee.secret"');
    expect(called).toBe(false);
  });

  it("cannot pollute a prototype through assign, capture or increment", async () => {
    const source =
      '{% assign __proto__ = "x" %}{% capture constructor %}y{% endcapture %}{% assign polluted = "z" %}{{ __proto__ }}{{ constructor }}{{ polluted }}';
    expect(await renderTemplate(source, scope)).toBe("xyz");
    await expect(renderTemplate("{% increment __proto__ %}{{ polluted }}", scope)).rejects.toThrow(
      'unknown variable "polluted"',
    );
    const data = JSON.parse('{"payload": {"__proto__": {"polluted": "yes"}}}');
    expect(await renderTemplate("{{ payload.__proto__.polluted }}", data)).toBe("yes");
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['{% include "/etc/passwd" %}', 'the "include" tag is not allowed'],
    ["{% include employee.firstName %}", 'the "include" tag is not allowed'],
    ["{% render 'x' %}", 'the "render" tag is not allowed'],
    ["{% layout 'x' %}", 'the "layout" tag is not allowed'],
  ])("%s is refused when parsing", (source, message) => {
    expect(() => parseTemplate(source)).toThrow(
      `template syntax error at line 1, col 1: ${message}`,
    );
  });

  it("stops a huge range at the allocation limit", async () => {
    const error = await renderError("{% for i in (1..100000000) %}x{% endfor %}");
    expect(error.message).toBe("template uses too much memory (is a range or loop too large?)");
  });

  it("stops a long loop at the time limit", async () => {
    const error = await renderError(
      "{% for i in (1..5000000) %}{% for j in (1..1) %}x{% endfor %}{% endfor %}",
    );
    expect(error.message).toMatch(/template (took longer than 100 ms|uses too much memory)/);
    // No output, so only the clock can stop it.
    const slow = await renderError("{% for i in (1..5000000) %}{% endfor %}");
    expect(slow.message).toBe("template took longer than 100 ms to render");
  });

  it("stops output larger than the cap", async () => {
    const error = await renderError("{{ big }}{{ big }}{{ big }}", { big: "x".repeat(100_000) });
    expect(error.message).toBe("template output is larger than 256 KiB");
    const multibyte = await renderError("{% for i in (1..3) %}{{ big }}{% endfor %}", {
      big: "é".repeat(50_000),
    });
    expect(multibyte.message).toBe("template output is larger than 256 KiB");
  });

  it("stops a capture that doubles itself", async () => {
    const error = await renderError(
      '{% assign c = "x" %}{% for i in (1..60) %}{% capture c %}{{ c }}{{ c }}{% endcapture %}{% endfor %}{{ c | size }}',
    );
    expect(error.message).toBe("template uses too much memory (is a range or loop too large?)");
  });

  it("stops string growth through filters", async () => {
    const error = await renderError(
      '{% assign s = "xxxxxxxxxx" %}{% for i in (1..40) %}{% assign s = s | append: s %}{% endfor %}{{ s | size }}',
    );
    expect(error.message).toMatch(/template (uses too much memory|took longer)/);
  });

  it("handles deep nesting in templates and data with a clear result", async () => {
    // Deep enough to need the engine's nesting to hold up, shallow enough to
    // render far inside the render-time limit on a loaded machine (800 did not).
    const depth = 300;
    const nested = `${"{% if true %}".repeat(depth)}deep${"{% endif %}".repeat(depth)}`;
    expect(nested.length).toBeLessThan(TEMPLATE_LIMITS.maxSourceLength);
    await expect(renderTemplate(nested, {})).resolves.toBe("deep");

    const path = `{{ a${".a".repeat(2000)} }}`;
    await expect(renderTemplate(path, { a: 1 })).rejects.toThrow(/unknown variable "a\.a"/);

    let deepData: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 100_000; i++) deepData = { a: deepData };
    const error = await renderError("{{ a }}", { a: deepData });
    expect(error.message).toBe("the data for this template cannot be read as JSON");
  });
});
