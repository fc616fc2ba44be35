import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { apiReferenceFrom } from "@/components/api-docs/api-reference-model";
import { ROUTE_KIND, type RouteKind } from "@/lib/api/route-kind";
import { NODE_KINDS } from "@/lib/nodes";
import { openApiDocument } from "@/lib/openapi";
import { sha256Hex } from "@/lib/sha256";
import type { WorkflowDefinitionInput } from "@/lib/workflows/definition";
import { testDatabase } from "@/test/support/database";
import { apiRouteFiles, callRoute, type HttpMethod, routeHandlers } from "@/test/support/routes";
import { createTenant, type Tenant } from "@/test/support/tenants";

// The workflows API through its route handlers, authenticated with API keys:
// drafts with optimistic concurrency, validation, publishing, versions,
// rollback, the node kind registry and the definition schema. Running
// workflows is covered by lib/runs/api.test.ts (with the engine running).

const prisma = testDatabase();
let tenant: Tenant;
let editorKey: string;

const file = (pattern: string) => {
  const route = apiRouteFiles().find((r) => r.pattern === pattern);
  if (!route) throw new Error(`no route ${pattern}`);
  return route.file;
};

/** Calls the route whose pattern is `pattern`, filling its [params] into the URL. */
async function call(
  method: HttpMethod,
  pattern: string,
  key: string,
  options: { body?: unknown; params?: Record<string, string>; query?: string } = {},
) {
  const path = pattern.replace(/\[(\w+)\]/g, (_, name: string) => options.params?.[name] ?? "");
  const response = await callRoute(
    file(pattern),
    method,
    `http://localhost${path}${options.query ?? ""}`,
    {
      params: options.params,
      headers: {
        authorization: `Bearer ${key}`,
        ...(options.body === undefined ? {} : { "content-type": "application/json" }),
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    },
  );
  const text = await response.text();
  return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

const WORKFLOWS = "/api/v1/workflows";
const WORKFLOW = "/api/v1/workflows/[workflowId]";
const VALIDATE = "/api/v1/workflows/[workflowId]/validate";
const PUBLISH = "/api/v1/workflows/[workflowId]/publish";
const VERSIONS = "/api/v1/workflows/[workflowId]/versions";
const VERSION = "/api/v1/workflows/[workflowId]/versions/[versionId]";
const ROLLBACK = "/api/v1/workflows/[workflowId]/versions/[versionId]/rollback";
const START_RUN = "/api/v1/workflows/[workflowId]/runs";

function welcomeDefinition(email: Record<string, unknown>): WorkflowDefinitionInput {
  return {
    schemaVersion: 1,
    nodes: [
      {
        id: "trigger",
        kind: "trigger",
        name: "Employee onboarded",
        config: { type: "lifecycle_event", event: "employee.onboard" },
      },
      { id: "welcome", kind: "email", name: "Welcome email", config: email },
    ],
    edges: [{ id: "e1", from: "trigger", to: "welcome" }],
  };
}
const validEmail = (subject: string) => ({
  to: "{{ employee.email }}",
  subject,
  body: "Hello {{ employee.firstName }}",
});

beforeAll(async () => {
  tenant = await createTenant(prisma, "wf-api");
  editorKey = `of_${randomBytes(32).toString("base64url")}`;
  await prisma.apiKey.create({
    data: {
      organizationId: tenant.organization.id,
      name: "editor key",
      prefix: editorKey.slice(0, 10),
      keyHash: sha256Hex(editorKey),
      role: "editor",
    },
  });
});

describe("workflows API", () => {
  it("creates, saves drafts, refuses a stale save, refuses an invalid publish, publishes, lists versions and rolls back", async () => {
    const key = editorKey;
    const created = await call("POST", WORKFLOWS, key, {
      body: { name: "Onboarding", description: "New joiners" },
    });
    expect(created.status, created.text).toBe(201);
    const workflowId = created.body.workflow.id as string;
    expect(created.body.workflow).toMatchObject({
      name: "Onboarding",
      status: "draft",
      draftRevision: 0,
      activeVersionId: null,
      problems: [],
    });
    const params = { workflowId };

    // A draft may be saved with problems; they come back so the designer can show them.
    const broken = welcomeDefinition({ to: "{{ employee.email }}", body: "Hi" });
    const saved = await call("PATCH", WORKFLOW, key, {
      params,
      body: { definition: broken, expectedRevision: 0 },
    });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body.workflow.draftRevision).toBe(1);
    expect(saved.body.workflow.problems).toContainEqual(
      expect.objectContaining({ nodeId: "welcome", field: "subject" }),
    );

    // A second editor still on revision 0 is refused, with a message saying why and what to do.
    const stale = await call("PATCH", WORKFLOW, key, {
      params,
      body: { name: "Overwritten", expectedRevision: 0 },
    });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe("conflict");
    expect(stale.body.error.message).toMatch(/revision 1.*based on 0.*Reload/);
    expect(stale.body.error.issues).toEqual([
      { field: "expectedRevision", message: stale.body.error.message },
    ]);
    const afterStale = await call("GET", WORKFLOW, key, { params });
    expect(afterStale.body.workflow).toMatchObject({ name: "Onboarding", draftRevision: 1 });

    // Publishing the broken draft: 422, every problem naming its node, nothing published.
    const invalid = await call("POST", PUBLISH, key, { params, body: {} });
    expect(invalid.status, invalid.text).toBe(422);
    expect(invalid.body.error.code).toBe("definition_invalid");
    expect(invalid.body.error.problems.length).toBeGreaterThan(0);
    for (const problem of invalid.body.error.problems) {
      expect(problem).toMatchObject({ nodeId: "welcome", message: expect.any(String) });
      expect(problem.message).toMatch(/Welcome email/);
    }
    expect(await prisma.workflowVersion.count({ where: { workflowId } })).toBe(0);

    // Validate the saved draft, then a proposed definition, without saving either.
    const draftCheck = await call("POST", VALIDATE, key, { params, body: {} });
    expect(draftCheck.status).toBe(200);
    expect(draftCheck.body).toMatchObject({ valid: false });
    expect(draftCheck.body.problems).toEqual(invalid.body.error.problems);
    const v1 = welcomeDefinition(validEmail("Welcome!"));
    const proposal = await call("POST", VALIDATE, key, { params, body: { definition: v1 } });
    expect(proposal.body).toEqual({ valid: true, problems: [] });
    const nonsense = await call("POST", VALIDATE, key, { params, body: { definition: 42 } });
    expect(nonsense.status).toBe(200);
    expect(nonsense.body.valid).toBe(false);
    expect(nonsense.body.problems[0]).toMatchObject({ code: "invalid_structure" });
    expect((await call("GET", WORKFLOW, key, { params })).body.workflow.draftRevision).toBe(1);

    // Fix and publish version 1; then change the draft and publish version 2.
    const fixed = await call("PATCH", WORKFLOW, key, {
      params,
      body: { definition: v1, expectedRevision: 1 },
    });
    expect(fixed.status, fixed.text).toBe(200);
    expect(fixed.body.workflow.problems).toEqual([]);
    const first = await call("POST", PUBLISH, key, { params, body: { notes: "First" } });
    expect(first.status, first.text).toBe(201);
    expect(first.body.version).toMatchObject({ version: 1, notes: "First" });

    const v2 = welcomeDefinition(validEmail("Welcome aboard!"));
    await call("PATCH", WORKFLOW, key, { params, body: { definition: v2, expectedRevision: 2 } });
    const stalePublish = await call("POST", PUBLISH, key, {
      params,
      body: { expectedRevision: 2 },
    });
    expect(stalePublish.status).toBe(409);
    const second = await call("POST", PUBLISH, key, { params, body: { expectedRevision: 3 } });
    expect(second.status, second.text).toBe(201);
    expect(second.body.version.version).toBe(2);

    const versions = await call("GET", VERSIONS, key, { params });
    expect(versions.status).toBe(200);
    expect(
      versions.body.versions.map((v: { version: number; active: boolean }) => [
        v.version,
        v.active,
      ]),
    ).toEqual([
      [2, true],
      [1, false],
    ]);

    const firstId = first.body.version.id as string;
    const one = await call("GET", VERSION, key, { params: { workflowId, versionId: firstId } });
    expect(one.status).toBe(200);
    expect(one.body.version.definition.nodes[1].config.subject).toBe("Welcome!");

    // Rollback publishes version 1's definition again, as version 3.
    const rolledBack = await call("POST", ROLLBACK, key, {
      params: { workflowId, versionId: firstId },
    });
    expect(rolledBack.status, rolledBack.text).toBe(201);
    expect(rolledBack.body.version).toMatchObject({
      version: 3,
      notes: "Rollback to version 1",
      definitionHash: one.body.version.definitionHash,
    });
    const third = await call("GET", VERSION, key, {
      params: { workflowId, versionId: rolledBack.body.version.id },
    });
    expect(third.body.version.definition).toEqual(one.body.version.definition);
    const workflow = await call("GET", WORKFLOW, key, { params });
    expect(workflow.body.workflow).toMatchObject({
      status: "active",
      activeVersion: { id: rolledBack.body.version.id, version: 3 },
      triggerType: "lifecycle_event",
      triggerEvent: "employee.onboard",
    });
    // The draft is untouched by a rollback.
    expect(workflow.body.workflow.draftDefinition.nodes[1].config.subject).toBe("Welcome aboard!");

    const list = await call("GET", WORKFLOWS, key);
    expect(list.status).toBe(200);
    expect(list.body.workflows).toContainEqual(
      expect.objectContaining({ id: workflowId, latestVersion: 3 }),
    );

    const archived = await call("DELETE", WORKFLOW, key, { params });
    expect(archived.status).toBe(200);
    expect(archived.body).toEqual({ archived: workflowId });
    const afterArchive = await call("GET", WORKFLOWS, key);
    expect(afterArchive.body.workflows.map((w: { id: string }) => w.id)).not.toContain(workflowId);
    const startArchived = await call("POST", START_RUN, key, {
      params,
      body: { employee: { id: "E1", firstName: "A", lastName: "B", email: "a@example.test" } },
    });
    expect(startArchived.status).toBe(404);
  });

  it("lets a viewer read workflows but not create, edit, publish, roll back, archive or run them", async () => {
    const owner = tenant.keys.owner.secret;
    const viewer = tenant.keys.viewer.secret;
    const created = await call("POST", WORKFLOWS, owner, {
      body: { name: "Guarded", definition: welcomeDefinition(validEmail("Hi")) },
    });
    const workflowId = created.body.workflow.id as string;
    const params = { workflowId };
    const published = await call("POST", PUBLISH, owner, { params, body: {} });
    expect(published.status).toBe(201);
    const versionId = published.body.version.id as string;
    const before = JSON.stringify({
      workflow: await prisma.workflow.findUnique({ where: { id: workflowId } }),
      versions: await prisma.workflowVersion.count({ where: { workflowId } }),
      workflows: await prisma.workflow.count(),
      runs: await prisma.workflowRun.count(),
    });

    expect((await call("GET", WORKFLOWS, viewer)).status).toBe(200);
    expect((await call("GET", WORKFLOW, viewer, { params })).status).toBe(200);
    expect((await call("GET", VERSIONS, viewer, { params })).status).toBe(200);
    expect((await call("POST", VALIDATE, viewer, { params, body: {} })).status).toBe(200);
    const refused: [HttpMethod, string, Record<string, string>, unknown][] = [
      ["POST", WORKFLOWS, {}, { name: "Sneaky" }],
      ["PATCH", WORKFLOW, params, { name: "Renamed", expectedRevision: 0 }],
      ["DELETE", WORKFLOW, params, undefined],
      ["POST", PUBLISH, params, {}],
      ["POST", ROLLBACK, { workflowId, versionId }, undefined],
      [
        "POST",
        START_RUN,
        params,
        { employee: { id: "E1", firstName: "A", lastName: "B", email: "a@example.test" } },
      ],
    ];
    for (const [method, pattern, routeParams, body] of refused) {
      const response = await call(method, pattern, viewer, { params: routeParams, body });
      expect(response.status, `${method} ${pattern}`).toBe(403);
      expect(response.body.error.message).toMatch(/viewer/);
    }
    const after = JSON.stringify({
      workflow: await prisma.workflow.findUnique({ where: { id: workflowId } }),
      versions: await prisma.workflowVersion.count({ where: { workflowId } }),
      workflows: await prisma.workflow.count(),
      runs: await prisma.workflowRun.count(),
    });
    expect(after).toBe(before);
  });

  it("refuses bad bodies with 400 naming the field, and stores nothing", async () => {
    const key = tenant.keys.owner.secret;
    const before = await prisma.workflow.count();
    const cases: [unknown, string][] = [
      [{}, "name"],
      [{ name: "   " }, "name"],
      [{ name: "X", isAdmin: true }, "(body)"],
      [
        { name: "X", definition: { schemaVersion: 2, nodes: [], edges: [] } },
        "definition.schemaVersion",
      ],
      [
        {
          name: "X",
          definition: {
            schemaVersion: 1,
            nodes: [{ id: "1bad", kind: "trigger", name: "T" }],
            edges: [],
          },
        },
        "definition.nodes.0.id",
      ],
    ];
    for (const [body, field] of cases) {
      const response = await call("POST", WORKFLOWS, key, { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(
        response.body.error.issues.map((issue: { field: string }) => issue.field),
        JSON.stringify(body),
      ).toContain(field);
    }
    expect(await prisma.workflow.count()).toBe(before);

    const created = await call("POST", WORKFLOWS, key, { body: { name: "Bodies" } });
    const params = { workflowId: created.body.workflow.id as string };
    const noRevision = await call("PATCH", WORKFLOW, key, { params, body: { name: "Y" } });
    expect(noRevision.status).toBe(400);
    expect(noRevision.body.error.issues).toContainEqual({
      field: "expectedRevision",
      message: "is required",
    });
    const unknownField = await call("POST", VALIDATE, key, { params, body: { draft: {} } });
    expect(unknownField.status).toBe(400);
    const notes = await call("POST", PUBLISH, key, { params, body: { notes: "x".repeat(2001) } });
    expect(notes.status).toBe(400);
    expect(notes.body.error.issues[0].field).toBe("notes");
    const wrongType = await callRoute(
      file(WORKFLOWS),
      "POST",
      "http://localhost/api/v1/workflows",
      {
        headers: { authorization: `Bearer ${key}`, "content-type": "text/plain" },
        body: JSON.stringify({ name: "X" }),
      },
    );
    expect(wrongType.status).toBe(415);
    // A definition may be up to 1 MB; beyond that the body is refused before it is parsed.
    const huge = await call("POST", WORKFLOWS, key, {
      body: { name: "Huge", description: "x".repeat(1024 * 1024) },
    });
    expect(huge.status).toBe(413);
    expect(await prisma.workflow.count()).toBe(before + 1);
  });

  it("answers 404 for a workflow or version that does not exist", async () => {
    const key = tenant.keys.owner.secret;
    // A malformed id is bad input (400 naming it), never a database error.
    const malformed = await call("GET", WORKFLOW, key, { params: { workflowId: "not-a-uuid" } });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.issues).toEqual([
      { field: "workflowId", message: "must be a workflow id" },
    ]);
    const workflowId = randomUUID();
    const params = { workflowId };
    for (const [method, pattern, body] of [
      ["GET", WORKFLOW, undefined],
      ["PATCH", WORKFLOW, { name: "X", expectedRevision: 0 }],
      ["DELETE", WORKFLOW, undefined],
      ["POST", VALIDATE, {}],
      ["POST", PUBLISH, {}],
      ["GET", VERSIONS, undefined],
    ] as const) {
      const response = await call(method, pattern, key, { params, body });
      expect(response.status, `${method} ${pattern}`).toBe(404);
      expect(response.body.error).toEqual({ code: "not_found", message: "Workflow not found." });
    }
    const created = await call("POST", WORKFLOWS, key, { body: { name: "Versionless" } });
    const versionParams = { workflowId: created.body.workflow.id, versionId: randomUUID() };
    expect((await call("GET", VERSION, key, { params: versionParams })).status).toBe(404);
    expect((await call("POST", ROLLBACK, key, { params: versionParams })).status).toBe(404);
  });

  it("refuses to start a run of a workflow that was never published, and closes a run the engine cannot take", async () => {
    const key = tenant.keys.owner.secret;
    const employee = { id: "E1", firstName: "Ada", lastName: "Byron", email: "ada@example.test" };
    const created = await call("POST", WORKFLOWS, key, {
      body: { name: "Unpublished", definition: welcomeDefinition(validEmail("Hi")) },
    });
    const params = { workflowId: created.body.workflow.id as string };
    const unpublished = await call("POST", START_RUN, key, { params, body: { employee } });
    expect(unpublished.status).toBe(409);
    expect(unpublished.body.error.message).toMatch(/no published version/);

    // This file runs no engine: the start is refused with 503, and the run is not left queued.
    await call("POST", PUBLISH, key, { params, body: {} });
    const unreachable = await call("POST", START_RUN, key, { params, body: { employee } });
    expect(unreachable.status, unreachable.text).toBe(503);
    expect(unreachable.body.error.code).toBe("service_unavailable");
    const runs = await prisma.workflowRun.findMany({ where: { workflowId: params.workflowId } });
    expect(runs.map((run) => run.status)).toEqual(["failed"]);
  });
});

describe("workflow templates", () => {
  const TEMPLATES = "/api/v1/workflow-templates";

  it("lists the joiner, mover and leaver templates with their definitions and node counts", async () => {
    const response = await call("GET", TEMPLATES, tenant.keys.viewer.secret);
    expect(response.status, response.text).toBe(200);
    const templates = response.body.templates as {
      id: string;
      name: string;
      event: string;
      nodeCount: number;
      definition: { nodes: { config: Record<string, unknown> }[] };
    }[];
    expect(templates.map((t) => [t.id, t.name, t.event])).toEqual([
      ["joiner", "Onboarding", "employee.onboard"],
      ["mover", "Transfer", "employee.transfer"],
      ["leaver", "Offboarding", "employee.exit"],
    ]);
    for (const template of templates) {
      expect(template.nodeCount).toBe(template.definition.nodes.length);
      // No organisation's credential is baked in; the designer asks for one.
      for (const node of template.definition.nodes)
        expect(node.config).not.toHaveProperty("credentialId");
    }
    expect(response.text).toContain("https://it.example.com/api");
  });

  it("creates a draft from a template, with its problems limited to the credentials to choose", async () => {
    const before = await prisma.auditLog.count({ where: { action: "workflow.created" } });
    const created = await call("POST", WORKFLOWS, editorKey, {
      body: { name: "Joiners", description: "From the gallery", templateId: "joiner" },
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body.workflow).toMatchObject({
      name: "Joiners",
      description: "From the gallery",
      status: "draft",
    });
    expect(
      created.body.workflow.problems.map((p: { nodeId: string; field: string }) => [
        p.nodeId,
        p.field,
      ]),
    ).toEqual([
      ["welcome_text", "credentialId"],
      ["announce", "credentialId"],
      ["first_day", "credentialId"],
    ]);
    const params = { workflowId: created.body.workflow.id as string };
    const stored = await call("GET", WORKFLOW, editorKey, { params });
    const templates = await call("GET", TEMPLATES, editorKey);
    expect(stored.body.workflow.draftDefinition).toEqual(templates.body.templates[0].definition);
    const audit = await prisma.auditLog.findFirst({
      where: { action: "workflow.created", targetId: params.workflowId },
    });
    expect(audit?.summary).toEqual({ name: "Joiners", template: "joiner" });
    expect(await prisma.auditLog.count({ where: { action: "workflow.created" } })).toBe(before + 1);

    // The mover template needs no credential: it is ready to publish as it is.
    const mover = await call("POST", WORKFLOWS, editorKey, {
      body: { name: "Movers", templateId: "mover" },
    });
    expect(mover.body.workflow.problems).toEqual([]);
  });

  it("refuses an unknown template, or a template together with a definition, with 400 naming templateId", async () => {
    const before = await prisma.workflow.count();
    const cases: unknown[] = [
      { name: "X", templateId: "retiree" },
      { name: "X", templateId: 7 },
      {
        name: "X",
        templateId: "leaver",
        definition: welcomeDefinition(validEmail("Hi")),
      },
    ];
    for (const body of cases) {
      const response = await call("POST", WORKFLOWS, editorKey, { body });
      expect(response.status, JSON.stringify(body)).toBe(400);
      const issues = response.body.error.issues as { field: string; message: string }[];
      expect(
        issues.map((issue) => issue.field),
        JSON.stringify(body),
      ).toEqual(["templateId"]);
    }
    const unknown = await call("POST", WORKFLOWS, editorKey, {
      body: { name: "X", templateId: "retiree" },
    });
    expect(unknown.body.error.issues[0].message).toBe("must be one of joiner, mover, leaver");
    expect(await prisma.workflow.count()).toBe(before);
    // A viewer may see the gallery but not create from it.
    const viewer = await call("POST", WORKFLOWS, tenant.keys.viewer.secret, {
      body: { name: "X", templateId: "joiner" },
    });
    expect(viewer.status).toBe(403);
  });
});

describe("node kinds and the definition schema", () => {
  it("describes every registered node kind with JSON Schemas of its config and output", async () => {
    const response = await call("GET", "/api/v1/node-kinds", tenant.keys.viewer.secret);
    expect(response.status, response.text).toBe(200);
    const kinds = response.body.kinds as Record<string, unknown>[];
    expect(kinds.map((kind) => kind.kind)).toEqual([...NODE_KINDS.keys()]);
    for (const kind of kinds) {
      expect(Object.keys(kind).sort()).toEqual([
        "branches",
        "category",
        "configSchema",
        "credentialFields",
        "defaultConfig",
        "description",
        "execution",
        "expressionFields",
        "kind",
        "label",
        "outputSchema",
        "sideEffects",
      ]);
      // An object, or a union of objects (the trigger's config is one per trigger type).
      const config = kind.configSchema as {
        type?: string;
        anyOf?: { type: string }[];
        oneOf?: { type: string }[];
      };
      const objects = config.anyOf ?? config.oneOf ?? [config];
      expect(
        objects.every((option) => option.type === "object"),
        `${kind.kind} config`,
      ).toBe(true);
      expect(kind.configSchema).not.toHaveProperty("$schema");
      expect(typeof kind.outputSchema, `${kind.kind} output`).toBe("object");
    }
    const byKind = new Map(kinds.map((kind) => [kind.kind, kind]));
    expect(byKind.get("approval")).toMatchObject({
      category: "people",
      execution: "durable",
      sideEffects: true,
      branches: ["approved", "rejected", "timeout"],
    });
    expect(byKind.get("condition")).toMatchObject({
      branches: ["true", "false"],
      expressionFields: ["expression"],
    });
    expect(byKind.get("slack_message")).toMatchObject({
      execution: "action",
      credentialFields: { credentialId: ["slack"] },
    });
    const email = byKind.get("email") as { configSchema: { required: string[] } };
    expect(email.configSchema.required).toEqual(expect.arrayContaining(["to", "subject", "body"]));
  });

  it("serves the definition format as JSON Schema", async () => {
    const response = await call(
      "GET",
      "/api/v1/workflow-definition-schema",
      tenant.keys.viewer.secret,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      type: "object",
      required: expect.arrayContaining(["schemaVersion", "nodes", "edges"]),
      properties: { schemaVersion: { const: 1 }, nodes: { type: "array" } },
    });
  });
});

describe("the OpenAPI document", () => {
  it("describes every workflow, run and approval route with the permission the route asks for", async () => {
    const document = openApiDocument();
    const paths = document.paths as Record<string, Record<string, { "x-permission"?: string }>>;
    const routes = apiRouteFiles().filter((route) =>
      /^\/api\/(v1\/(workflows|runs|node-kinds|workflow-definition-schema|workflow-templates)|approvals)\b/.test(
        route.pattern,
      ),
    );
    expect(routes.length).toBe(18);
    for (const route of routes) {
      const path = route.pattern.replace(/^\/api/, "").replace(/\[(\w+)\]/g, "{$1}");
      for (const [method, handler] of Object.entries(await routeHandlers(route.file))) {
        const operation = paths[path]?.[method.toLowerCase()];
        expect(operation, `${method} ${path} is documented`).toBeDefined();
        const kind = (handler as unknown as Record<symbol, RouteKind>)[ROUTE_KIND];
        expect(operation?.["x-permission"], `${method} ${path}`).toBe(
          kind?.kind === "org" ? kind.permission : undefined,
        );
      }
    }
    // The reference page can read it, and it survives a JSON round trip.
    expect(apiReferenceFrom(JSON.parse(JSON.stringify(document))).groups.map((g) => g.tag)).toEqual(
      expect.arrayContaining(["Workflows", "Runs"]),
    );
    const publish = paths["/v1/workflows/{workflowId}/publish"]?.post as unknown as {
      responses: Record<string, { description: string }>;
    };
    expect(Object.keys(publish.responses).sort()).toEqual(
      ["201", "400", "401", "403", "404", "409", "422"].sort(),
    );
  });
});
