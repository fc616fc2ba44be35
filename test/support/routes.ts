import { readdirSync } from "node:fs";
import path from "node:path";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

/** Every app/api route file, as its URL pattern (`/api/v1/members/[membershipId]`) and file path. */
export function apiRouteFiles(root = path.resolve("app/api")): { pattern: string; file: string }[] {
  const found: { pattern: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === "route.ts") {
        found.push({
          pattern: `/api/${path.relative(root, dir).split(path.sep).join("/")}`.replace(/\/$/, ""),
          file: full,
        });
      }
    }
  };
  walk(root);
  return found.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

export async function routeHandlers(file: string): Promise<Partial<Record<HttpMethod, Handler>>> {
  const module = (await import(file)) as Record<string, unknown>;
  return Object.fromEntries(
    HTTP_METHODS.filter((method) => typeof module[method] === "function").map((method) => [
      method,
      module[method] as Handler,
    ]),
  );
}

/** Calls a route handler directly with a real Request, as Next would. */
export async function callRoute(
  file: string,
  method: HttpMethod,
  url: string,
  options: {
    params?: Record<string, string>;
    headers?: Record<string, string>;
    body?: string;
  } = {},
): Promise<Response> {
  const handler = (await routeHandlers(file))[method];
  if (!handler) throw new Error(`${file} has no ${method}`);
  return handler(
    new Request(new URL(url, "http://localhost"), {
      method,
      headers: options.headers,
      body: options.body,
    }),
    {
      params: Promise.resolve(options.params ?? {}),
    },
  );
}
