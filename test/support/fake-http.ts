import type http from "node:http";

// Small pieces the provider fakes (fake-resend, fake-slack, fake-openai) share:
// reading requests, header handling and the test-control plumbing.

/** Resolves true after `ms`, or false as soon as the fake is closing. */
export function pause(ms: number, closing: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (closing.aborted) return resolve(false);
    const onClose = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      closing.removeEventListener("abort", onClose);
      resolve(true);
    }, ms);
    closing.addEventListener("abort", onClose, { once: true });
  });
}

/** Headers with the ones set to null (meaning "leave this default out") removed. */
export function presentHeaders(headers: Record<string, string | null>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== null),
  );
}

export function lowerCased<T>(headers: Record<string, T> = {}): Record<string, T> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
}

/** The JSON body of a /_test control request, or an empty object. */
export function parseControl<T>(text: string): T {
  const parsed: unknown = text ? JSON.parse(text) : {};
  return (typeof parsed === "object" && parsed !== null ? parsed : {}) as T;
}

export function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

export function headerValue(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(", ") : value;
}

export function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === "";
}
