import "server-only";
import type { z } from "zod";
import { isDatabaseUnavailable } from "@/lib/db/unavailable";
import {
  AppError,
  DefinitionInvalid,
  PayloadTooLarge,
  RateLimited,
  UnsupportedMediaType,
  ValidationFailed,
} from "@/lib/errors";
import { clientAddress } from "./client-address";

// Turning requests into validated input and errors into uniform JSON:
// { error: { code, message, issues?: [{ field, message }] } }.

export const MAX_JSON_BODY_BYTES = 64 * 1024;

export function errorResponse(error: unknown): Response {
  if (error instanceof AppError) {
    const headers: Record<string, string> = { "cache-control": "no-store" };
    if (error instanceof RateLimited) headers["retry-after"] = String(error.retryAfterSeconds);
    const body: Record<string, unknown> = { code: error.code, message: error.message };
    if (error instanceof ValidationFailed) body.issues = error.issues;
    if (error instanceof DefinitionInvalid) body.problems = error.problems;
    if ("field" in error && error.field)
      body.issues = [{ field: error.field, message: error.message }];
    return Response.json({ error: body }, { status: error.status, headers });
  }
  if (isDatabaseUnavailable(error)) {
    // Nothing was half-written (each write is one transaction); the client may retry.
    return Response.json(
      {
        error: {
          code: "service_unavailable",
          message: "The database is unavailable. Try again shortly.",
        },
      },
      { status: 503, headers: { "cache-control": "no-store", "retry-after": "5" } },
    );
  }
  console.error(
    JSON.stringify({ level: "error", msg: "unhandled route error", error: String(error) }),
  );
  return Response.json(
    { error: { code: "internal", message: "Something went wrong." } },
    { status: 500 },
  );
}

export function issuesFrom(error: z.ZodError): ValidationFailed {
  return new ValidationFailed(
    error.issues.map((issue) => ({
      field: issue.path.join(".") || "(body)",
      message: issue.message,
    })),
  );
}

export function parseWith<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) throw issuesFrom(result.error);
  return result.data;
}

/** A JSON body: right content type, bounded size, well-formed, valid against `schema`. */
/** Workflow definitions are the one kind of body that is legitimately larger. */
export const MAX_DEFINITION_BODY_BYTES = 1024 * 1024;

export async function readJsonBody<T>(
  request: Request,
  schema: z.ZodType<T>,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<T> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) {
    throw new UnsupportedMediaType("Send the body as JSON with Content-Type: application/json.");
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw new PayloadTooLarge(`The body must be at most ${maxBytes} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) {
    throw new PayloadTooLarge(`The body must be at most ${maxBytes} bytes.`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new ValidationFailed([{ field: "(body)", message: "is not valid JSON" }]);
  }
  return parseWith(schema, value);
}

export function requestMeta(request: Request) {
  return { ip: clientAddress(request.headers), userAgent: request.headers.get("user-agent") };
}

export type RouteParams = { params: Promise<Record<string, string | string[]>> };

/**
 * The part every route wrapper shares: flatten the path params, run the
 * handler, send its result as uncached JSON (or as-is if it is a Response),
 * and map any thrown error once.
 */
export async function runRoute(
  routeParams: RouteParams | undefined,
  handler: (params: Record<string, string>) => Promise<unknown>,
): Promise<Response> {
  try {
    const raw = (await routeParams?.params) ?? {};
    const params = Object.fromEntries(
      Object.entries(raw).map(([key, value]) => [key, String(value)]),
    );
    const result = await handler(params);
    if (result instanceof Response) return result;
    return Response.json(result ?? null, { headers: { "cache-control": "no-store" } });
  } catch (error) {
    return errorResponse(error);
  }
}
