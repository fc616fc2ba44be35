import { z } from "zod";
import { signUpSchema } from "@/lib/accounts/sign-up";
import { createApiKeySchema } from "@/lib/api-keys/service";
import { auditLogFilterSchema } from "@/lib/audit-log/query";
import { createCredentialSchema, updateCredentialSchema } from "@/lib/credentials/service";
import { acceptInvitationSchema } from "@/lib/invitations/accept";
import { createInvitationSchema } from "@/lib/invitations/service";
import { changeRoleSchema } from "@/lib/members/service";
import { updateOrganizationSchema } from "@/lib/organizations/schemas";

// The OpenAPI 3.1 document for /api/v1, generated from the same zod schemas
// the routes validate with (3.1 uses JSON Schema 2020-12, zod's native
// output). Each later feature adds its operations to OPERATIONS.

type Operation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  permission?: string;
  body?: z.ZodType;
  query?: z.ZodObject | z.ZodType;
  success: number;
  tag: string;
  /** Statuses beyond 400 (and 401/403/404 for tenant routes) this operation may answer. */
  errors?: number[];
};

const ERROR_DESCRIPTIONS: Record<number, string> = {
  401: "Not signed in, or the API key is invalid, expired or revoked",
  404: "Not found",
  409: "Conflicts with existing data (the issue names the field)",
  410: "No longer usable (expired or revoked)",
  413: "Body too large",
  415: "Body is not JSON",
  429: "Too many attempts; see Retry-After",
  502: "The email provider refused the message; nothing was stored",
};

const OPERATIONS: Operation[] = [
  {
    method: "post",
    path: "/sign-up",
    summary: "Create an account and its organisation",
    body: signUpSchema,
    success: 201,
    tag: "Accounts",
    errors: [409, 413, 415, 429],
  },
  {
    method: "post",
    path: "/invitations/accept",
    summary: "Accept an invitation by token",
    body: acceptInvitationSchema,
    success: 200,
    tag: "Accounts",
    errors: [401, 403, 404, 409, 410, 429],
  },
  {
    method: "get",
    path: "/v1/organization",
    summary: "The organisation and your role",
    permission: "organization:read",
    success: 200,
    tag: "Organisation",
  },
  {
    method: "patch",
    path: "/v1/organization",
    summary: "Rename the organisation or change its URL slug",
    permission: "organization:update",
    body: updateOrganizationSchema,
    success: 200,
    tag: "Organisation",
  },
  {
    method: "get",
    path: "/v1/members",
    summary: "List members",
    permission: "members:read",
    success: 200,
    tag: "Members",
  },
  {
    method: "patch",
    path: "/v1/members/{membershipId}",
    summary: "Change a member's role",
    permission: "members:update",
    body: changeRoleSchema,
    success: 200,
    tag: "Members",
  },
  {
    method: "delete",
    path: "/v1/members/{membershipId}",
    summary: "Remove a member (or leave)",
    permission: "members:remove",
    success: 200,
    tag: "Members",
  },
  {
    method: "get",
    path: "/v1/invitations",
    summary: "List invitations",
    permission: "members:read",
    success: 200,
    tag: "Members",
  },
  {
    method: "post",
    path: "/v1/invitations",
    summary: "Invite someone by email",
    permission: "members:invite",
    body: createInvitationSchema,
    success: 201,
    tag: "Members",
    errors: [409, 502],
  },
  {
    method: "delete",
    path: "/v1/invitations/{invitationId}",
    summary: "Revoke an invitation",
    permission: "members:invite",
    success: 200,
    tag: "Members",
  },
  {
    method: "post",
    path: "/v1/invitations/{invitationId}/resend",
    summary: "Send an invitation again with a fresh link",
    permission: "members:invite",
    success: 200,
    tag: "Members",
  },
  {
    method: "get",
    path: "/v1/api-keys",
    summary: "List API keys",
    permission: "api-keys:manage",
    success: 200,
    tag: "API keys",
  },
  {
    method: "post",
    path: "/v1/api-keys",
    summary: "Create an API key (the secret is returned once)",
    permission: "api-keys:manage",
    body: createApiKeySchema,
    success: 201,
    tag: "API keys",
  },
  {
    method: "delete",
    path: "/v1/api-keys/{apiKeyId}",
    summary: "Revoke an API key",
    permission: "api-keys:manage",
    success: 200,
    tag: "API keys",
  },
  {
    method: "get",
    path: "/v1/credential-kinds",
    summary: "Credential kinds, with JSON Schemas of their secret and settings fields",
    permission: "credentials:read",
    success: 200,
    tag: "Credentials",
  },
  {
    method: "get",
    path: "/v1/credentials",
    summary: "List credentials (metadata and a masked hint; never the secret)",
    permission: "credentials:read",
    success: 200,
    tag: "Credentials",
  },
  {
    method: "post",
    path: "/v1/credentials",
    summary: "Store a credential; the secret is encrypted and never returned",
    permission: "credentials:manage",
    body: createCredentialSchema,
    success: 201,
    tag: "Credentials",
    errors: [409],
  },
  {
    method: "get",
    path: "/v1/credentials/{credentialId}",
    summary: "A credential's metadata and masked hint (never the secret)",
    permission: "credentials:read",
    success: 200,
    tag: "Credentials",
  },
  {
    method: "patch",
    path: "/v1/credentials/{credentialId}",
    summary: "Rename a credential, replace its settings, or replace its whole secret",
    permission: "credentials:manage",
    body: updateCredentialSchema,
    success: 200,
    tag: "Credentials",
    errors: [409],
  },
  {
    method: "delete",
    path: "/v1/credentials/{credentialId}",
    summary: "Delete a credential",
    permission: "credentials:manage",
    success: 200,
    tag: "Credentials",
  },
  {
    method: "get",
    path: "/v1/audit-logs",
    summary: "Audit log entries, newest first",
    permission: "audit:read",
    query: auditLogFilterSchema,
    success: 200,
    tag: "Audit log",
  },
  {
    method: "get",
    path: "/v1/audit-logs/export",
    summary: "Audit log as CSV",
    permission: "audit:read",
    query: auditLogFilterSchema,
    success: 200,
    tag: "Audit log",
  },
];

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string" },
        message: { type: "string" },
        issues: {
          type: "array",
          items: {
            type: "object",
            properties: { field: { type: "string" }, message: { type: "string" } },
          },
        },
      },
      required: ["code", "message"],
    },
  },
};

function jsonSchema(schema: z.ZodType, io: "input" | "output" = "input") {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
  }) as Record<string, unknown>;
  return rest;
}

function queryParameters(operation: Operation) {
  const parameters: Record<string, unknown>[] = [];
  for (const name of operation.path.match(/\{(\w+)\}/g) ?? []) {
    parameters.push({
      name: name.slice(1, -1),
      in: "path",
      required: true,
      schema: { type: "string", format: "uuid" },
    });
  }
  if (operation.path.startsWith("/v1/")) {
    parameters.push({
      name: "org",
      in: "query",
      required: false,
      description:
        "The organisation's slug. Required with a browser session; optional with an API key (must match the key's organisation).",
      schema: { type: "string" },
    });
  }
  if (operation.query) {
    const schema = jsonSchema(operation.query) as {
      properties?: Record<string, unknown>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(schema.properties ?? {})) {
      parameters.push({
        name,
        in: "query",
        required: schema.required?.includes(name) ?? false,
        schema: property,
      });
    }
  }
  return parameters;
}

export function openApiDocument(serverUrl = "/api") {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const operation of OPERATIONS) {
    paths[operation.path] ??= {};
    const pathItem = paths[operation.path] as Record<string, unknown>;
    const responses: Record<string, unknown> = {
      [operation.success]: { description: "Success", content: { "application/json": {} } },
      400: {
        description: "Invalid input; `issues` names each field at fault",
        content: { "application/json": { schema: errorSchema } },
      },
    };
    for (const status of operation.errors ?? []) {
      responses[status] = {
        description: ERROR_DESCRIPTIONS[status] ?? "Error",
        content: { "application/json": { schema: errorSchema } },
      };
    }
    if (operation.permission) {
      responses[401] = {
        description: "Not signed in, or the API key is invalid, expired or revoked",
        content: { "application/json": { schema: errorSchema } },
      };
      responses[403] = {
        description: `Your role lacks ${operation.permission}`,
        content: { "application/json": { schema: errorSchema } },
      };
      responses[404] = {
        description: "Not found in this organisation",
        content: { "application/json": { schema: errorSchema } },
      };
    }
    pathItem[operation.method] = {
      tags: [operation.tag],
      summary: operation.summary,
      ...(operation.permission
        ? { "x-permission": operation.permission, security: [{ apiKey: [] }, { session: [] }] }
        : { security: [] }),
      parameters: queryParameters(operation),
      ...(operation.body
        ? {
            requestBody: {
              required: true,
              content: { "application/json": { schema: jsonSchema(operation.body) } },
            },
          }
        : {}),
      responses,
    };
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "OfficeFlow API",
      version: "1.0.0",
      description:
        "Authenticate with `Authorization: Bearer <API key>` (create keys in Settings → API keys). Errors are `{ error: { code, message, issues? } }`.",
    },
    servers: [{ url: serverUrl }],
    components: {
      securitySchemes: {
        apiKey: { type: "http", scheme: "bearer", description: "An OfficeFlow API key (of_…)" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
      },
    },
    paths,
  };
}

export type OpenApiDocument = ReturnType<typeof openApiDocument>;
export const openApiOperations = OPERATIONS;
