// Browser-side calls to our /api routes: JSON in and out, the organisation
// named by ?org=, and errors turned into ApiError with the fields at fault.

export type FieldIssue = { field: string; message: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: FieldIssue[] = [],
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** The message for one field, for showing next to its input. */
  issueFor(field: string): string | undefined {
    return this.issues.find((issue) => issue.field === field)?.message;
  }
}

export async function apiFetch<T>(
  path: string,
  options: {
    org?: string;
    method?: string;
    body?: unknown;
    query?: Record<string, string | undefined>;
  } = {},
): Promise<T> {
  const url = new URL(path, window.location.origin);
  if (options.org) url.searchParams.set("org", options.org);
  for (const [key, value] of Object.entries(options.query ?? {}))
    if (value) url.searchParams.set(key, value);
  const response = await fetch(url, {
    method: options.method ?? (options.body === undefined ? "GET" : "POST"),
    headers: options.body === undefined ? undefined : { "content-type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    credentials: "same-origin",
  });
  const text = await response.text();
  let data: unknown = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    // A proxy's HTML error page: report the status, not a parse error.
    if (response.ok)
      throw new ApiError(
        response.status,
        "invalid_response",
        "The server sent an unreadable answer.",
      );
  }
  if (!response.ok) {
    const error = (
      data as { error?: { code?: string; message?: string; issues?: FieldIssue[] } } | null
    )?.error;
    const retryAfter = Number(response.headers.get("retry-after") ?? Number.NaN);
    throw new ApiError(
      response.status,
      error?.code ?? "error",
      error?.message ?? `Request failed (${response.status})`,
      error?.issues ?? [],
      Number.isFinite(retryAfter) ? retryAfter : undefined,
    );
  }
  return data as T;
}
