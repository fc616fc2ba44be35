import { z } from "zod";

// The OpenAPI document is built for machines; this reads it (checking the
// shape we rely on) into what the reference page shows: operations grouped
// by tag, in document order.

export type JsonSchema = Record<string, unknown>;

const jsonSchema = z.record(z.string(), z.unknown());
const mediaTypes = z.record(z.string(), z.looseObject({ schema: jsonSchema.optional() }));

const operationSchema = z.looseObject({
  tags: z.array(z.string()).optional(),
  summary: z.string().optional(),
  "x-permission": z.string().optional(),
  parameters: z
    .array(
      z.looseObject({
        name: z.string(),
        in: z.string(),
        required: z.boolean().optional(),
        description: z.string().optional(),
        schema: jsonSchema.optional(),
      }),
    )
    .optional(),
  requestBody: z.looseObject({ content: mediaTypes }).optional(),
  responses: z.record(
    z.string(),
    z.looseObject({ description: z.string().optional(), content: mediaTypes.optional() }),
  ),
});

const documentSchema = z.looseObject({
  info: z.looseObject({
    title: z.string(),
    version: z.string(),
    description: z.string().optional(),
  }),
  servers: z.array(z.looseObject({ url: z.string() })).optional(),
  components: z
    .looseObject({
      securitySchemes: z
        .record(
          z.string(),
          z.looseObject({
            type: z.string(),
            scheme: z.string().optional(),
            in: z.string().optional(),
            name: z.string().optional(),
            description: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
});

const HTTP_METHODS = ["get", "post", "put", "patch", "delete"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export type ApiParameter = {
  name: string;
  location: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
};

export type ApiOperation = {
  /** The anchor for links to this operation, e.g. "get-v1-members". */
  id: string;
  method: HttpMethod;
  /** The path as called, including the server prefix, e.g. "/api/v1/members". */
  path: string;
  summary: string;
  permission?: string;
  parameters: ApiParameter[];
  requestBody?: { contentType: string; schema: JsonSchema };
  responses: { status: string; description: string }[];
};

export type ApiTagGroup = { tag: string; id: string; operations: ApiOperation[] };

export type ApiReference = {
  title: string;
  version: string;
  description?: string;
  baseUrl: string;
  securitySchemes: {
    id: string;
    type: string;
    scheme?: string;
    in?: string;
    name?: string;
    description?: string;
  }[];
  /** The common error body, taken from the documented 400 responses. */
  errorSchema?: JsonSchema;
  groups: ApiTagGroup[];
};

function anchorFor(...parts: string[]): string {
  return parts
    .join("-")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export function apiReferenceFrom(document: unknown): ApiReference {
  const doc = documentSchema.parse(document);
  const baseUrl = (doc.servers?.[0]?.url ?? "").replace(/\/$/, "");
  const groups = new Map<string, ApiTagGroup>();
  let errorSchema: JsonSchema | undefined;

  for (const [path, pathItem] of Object.entries(doc.paths)) {
    for (const method of HTTP_METHODS) {
      if (!(method in pathItem)) continue;
      const operation = operationSchema.parse(pathItem[method]);
      const tag = operation.tags?.[0] ?? "Other";
      const group = groups.get(tag) ?? { tag, id: anchorFor("tag", tag), operations: [] };
      groups.set(tag, group);
      const [contentType, media] = Object.entries(operation.requestBody?.content ?? {})[0] ?? [];
      errorSchema ??= operation.responses["400"]?.content?.["application/json"]?.schema;
      group.operations.push({
        id: anchorFor(method, path),
        method,
        path: `${baseUrl}${path}`,
        summary: operation.summary ?? "",
        permission: operation["x-permission"],
        parameters: (operation.parameters ?? []).map((parameter) => ({
          name: parameter.name,
          location: parameter.in,
          required: parameter.required ?? false,
          description: parameter.description,
          schema: parameter.schema ?? {},
        })),
        requestBody:
          contentType && media?.schema ? { contentType, schema: media.schema } : undefined,
        responses: Object.entries(operation.responses).map(([status, response]) => ({
          status,
          description: response.description ?? "",
        })),
      });
    }
  }

  return {
    title: doc.info.title,
    version: doc.info.version,
    description: doc.info.description,
    baseUrl,
    securitySchemes: Object.entries(doc.components?.securitySchemes ?? {}).map(([id, scheme]) => ({
      id,
      ...scheme,
    })),
    errorSchema,
    groups: [...groups.values()],
  };
}
