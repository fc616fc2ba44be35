import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { NodeError } from "@/lib/engine/node-error";
import { httpRequestKind } from "./http-request";
import { type TestContextOptions, testNodeContext } from "./test-context";

// The HTTP kind through lib/net/outbound-fetch against a real node:http server
// on 127.0.0.1. OUTBOUND_ALLOWED_HOSTS=127.0.0.1 lets the guard reach it, as an
// operator would allow an intranet host; one test leaves it unset to see the
// SSRF refusal.

type Received = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
};
type Reply = (request: Received, response: http.ServerResponse) => void | Promise<void>;

const received: Received[] = [];
const routes = new Map<string, Reply>();
let server: http.Server;
let base: string;
/** A second origin (another port), standing in for a host a credential is not bound to. */
const otherOrigin = {
  server: http.createServer((request, response) => {
    otherOrigin.received.push(request.headers);
    response.writeHead(200, { "content-type": "text/plain" });
    response.end("collected");
  }),
  url: "",
  received: [] as http.IncomingHttpHeaders[],
};

const BEARER = "e1a2b3c4-0000-4000-8000-000000000001";
const BASIC = "e1a2b3c4-0000-4000-8000-000000000002";
const HEADER = "e1a2b3c4-0000-4000-8000-000000000003";
const ELSEWHERE = "e1a2b3c4-0000-4000-8000-000000000004";
const TOKEN = "bearer-token-that-must-never-be-shown";
const PASSWORD = "basic-password-that-must-never-be-shown";
const API_KEY = "header-api-key-that-must-never-be-shown";

const credentials: TestContextOptions["credentials"] = {
  [BEARER]: {
    kind: "http_bearer",
    name: "HR API",
    secret: { token: TOKEN },
    settings: { allowedHosts: ["127.0.0.1"] },
  },
  [BASIC]: {
    kind: "http_basic",
    secret: { username: "officeflow", password: PASSWORD },
    settings: { allowedHosts: ["127.0.0.1"] },
  },
  [HEADER]: {
    kind: "http_header",
    secret: { value: API_KEY },
    settings: { headerName: "X-Api-Key", allowedHosts: ["127.0.0.1"] },
  },
  [ELSEWHERE]: {
    kind: "http_bearer",
    name: "Payroll API",
    secret: { token: TOKEN },
    settings: { allowedHosts: ["api.payroll.example", "hooks.payroll.example"] },
  },
};

beforeAll(async () => {
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const url = new URL(request.url ?? "/", "http://fake");
      const entry: Received = {
        method: request.method ?? "GET",
        path: `${url.pathname}${url.search}`,
        headers: request.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      };
      received.push(entry);
      const reply = routes.get(url.pathname);
      if (!reply) {
        response.writeHead(404, { "content-type": "text/plain" });
        response.end("no such route");
        return;
      }
      await reply(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await new Promise<void>((resolve) => otherOrigin.server.listen(0, "127.0.0.1", resolve));
  otherOrigin.url = `http://127.0.0.1:${(otherOrigin.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const open of [server, otherOrigin.server]) {
    open.closeAllConnections();
    await new Promise<void>((resolve) => open.close(() => resolve()));
  }
});
beforeEach(() => {
  vi.stubEnv("OUTBOUND_ALLOWED_HOSTS", "127.0.0.1");
});
afterEach(() => {
  vi.unstubAllEnvs();
  received.length = 0;
  otherOrigin.received.length = 0;
  routes.clear();
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return (_request, response) => {
    response.writeHead(status, { "content-type": "application/json", ...headers });
    response.end(JSON.stringify(body));
  };
}

type Config = Parameters<typeof httpRequestKind.execute>[0]["config"];

function context(config: Partial<Config>, options: TestContextOptions = {}) {
  return testNodeContext<Config>(
    httpRequestKind.config.parse({ method: "GET", url: `${base}/users`, ...config }),
    { credentials, ...options },
  );
}

async function failureOf(promise: Promise<unknown>): Promise<NodeError> {
  const error = await promise.then(
    () => {
      throw new Error("expected the node to fail");
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NodeError);
  return error as NodeError;
}

describe("http_request: requests and answers", () => {
  it("GETs JSON with query parameters and headers, and outputs a small header allowlist", async () => {
    routes.set(
      "/users",
      json(
        200,
        { users: [{ id: 7, email: "ada@acme.example" }] },
        { etag: '"v1"', "x-request-id": "req_1", "set-cookie": "session=secret" },
      ),
    );

    const output = await httpRequestKind.execute(
      context({
        query: { email: "ada@acme.example", "a b": "x&y" },
        headers: { Accept: "application/json", "X-Trace": "run_1" },
      }),
    );

    expect(output).toMatchObject({
      status: 200,
      headers: { "content-type": "application/json", etag: '"v1"', "x-request-id": "req_1" },
      body: { users: [{ id: 7, email: "ada@acme.example" }] },
    });
    expect(output.headers).not.toHaveProperty("set-cookie");
    expect(output.durationMs).toBeGreaterThanOrEqual(0);
    expect(httpRequestKind.output.parse(output)).toEqual(output);
    expect(received).toEqual([
      expect.objectContaining({
        method: "GET",
        path: "/users?email=ada%40acme.example&a+b=x%26y",
        headers: expect.objectContaining({ accept: "application/json", "x-trace": "run_1" }),
      }),
    ]);
  });

  it("POSTs a JSON body with its content type", async () => {
    routes.set("/users", json(201, { id: 8 }, { location: "/users/8" }));

    const output = await httpRequestKind.execute(
      context({ method: "POST", body: '{ "email": "ada@acme.example", "admin": false }' }),
    );

    expect(output).toMatchObject({
      status: 201,
      body: { id: 8 },
      headers: { location: "/users/8" },
    });
    expect(received[0]).toMatchObject({
      method: "POST",
      body: '{ "email": "ada@acme.example", "admin": false }',
      headers: expect.objectContaining({ "content-type": "application/json" }),
    });
  });

  it("sends a form body form-encoded and a text body as is", async () => {
    routes.set("/users", (_request, response) => {
      response.writeHead(200, { "content-type": "text/plain; charset=utf-8" });
      response.end("ok");
    });

    const form = await httpRequestKind.execute(
      context({ method: "PUT", bodyType: "form", body: '{ "name": "Ada & Co", "age": 36 }' }),
    );
    await httpRequestKind.execute(context({ method: "PATCH", bodyType: "text", body: "hello" }));

    expect(form.body).toBe("ok");
    expect(
      received.map(({ method, body, headers }) => [method, body, headers["content-type"]]),
    ).toEqual([
      ["PUT", "name=Ada+%26+Co&age=36", "application/x-www-form-urlencoded"],
      ["PATCH", "hello", "text/plain; charset=utf-8"],
    ]);
  });

  it("keeps a content type the workflow set", async () => {
    routes.set("/users", json(200, {}));
    await httpRequestKind.execute(
      context({
        method: "POST",
        body: "{}",
        headers: { "content-type": "application/vnd.api+json" },
      }),
    );
    expect(received[0]?.headers["content-type"]).toBe("application/vnd.api+json");
  });

  it("cuts a long text answer at 64 KiB and says so", async () => {
    routes.set("/users", (_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("a".repeat(100_000));
    });

    const output = await httpRequestKind.execute(context({}));

    expect(typeof output.body).toBe("string");
    const body = output.body as string;
    expect(body.startsWith("a".repeat(65_536))).toBe(true);
    expect(body).toContain("[truncated: the response has 100000 bytes");
  });

  it("an empty answer is a null body", async () => {
    routes.set("/users", (_request, response) => {
      response.writeHead(204);
      response.end();
    });
    const output = await httpRequestKind.execute(context({ method: "DELETE" }));
    expect(output).toMatchObject({ status: 204, body: null });
  });

  it("with failOnStatus off, an error status is an output", async () => {
    routes.set("/users", json(404, { error: "not found" }));
    const output = await httpRequestKind.execute(context({ failOnStatus: false }));
    expect(output).toMatchObject({ status: 404, body: { error: "not found" } });
  });
});

describe("http_request: credentials", () => {
  it("applies bearer, basic and header credentials to their allowed hosts", async () => {
    routes.set("/users", json(200, {}));

    await httpRequestKind.execute(context({ credentialId: BEARER }));
    await httpRequestKind.execute(context({ credentialId: BASIC }));
    await httpRequestKind.execute(context({ credentialId: HEADER }));

    expect(received.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${TOKEN}`,
      `Basic ${Buffer.from(`officeflow:${PASSWORD}`).toString("base64")}`,
      undefined,
    ]);
    expect(received[2]?.headers["x-api-key"]).toBe(API_KEY);
  });

  it("refuses to send a credential to a host outside its allowedHosts, and sends nothing", async () => {
    routes.set("/users", json(200, {}));

    const failure = await failureOf(httpRequestKind.execute(context({ credentialId: ELSEWHERE })));

    expect(failure.retriable).toBe(false);
    expect(failure.message).toBe(
      'credential "Payroll API" may only be sent to api.payroll.example, hooks.payroll.example, not 127.0.0.1',
    );
    expect(received).toEqual([]);
  });

  it("refuses an Authorization header next to a credential, and hop-by-hop headers always", () => {
    const withCredential = httpRequestKind.config.safeParse({
      url: `${base}/users`,
      credentialId: BEARER,
      headers: { authorization: "Bearer mine" },
    });
    const hopByHop = httpRequestKind.config.safeParse({
      url: `${base}/users`,
      headers: { Host: "evil.example", "Transfer-Encoding": "chunked", Connection: "close" },
    });

    expect(withCredential.success).toBe(false);
    expect(withCredential.error?.issues[0]?.path).toEqual(["headers", "authorization"]);
    expect(hopByHop.error?.issues.map((issue) => issue.path.at(-1))).toEqual([
      "Host",
      "Transfer-Encoding",
      "Connection",
    ]);
    expect(
      httpRequestKind.config.safeParse({
        url: `${base}/users`,
        headers: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`X-H${i}`, "v"])),
      }).success,
    ).toBe(false);
  });

  it("a redirect to another origin does not carry a bearer credential along", async () => {
    routes.set("/users", (_request, response) => {
      response.writeHead(302, { location: `${otherOrigin.url}/collect` });
      response.end();
    });

    const output = await httpRequestKind.execute(context({ credentialId: BEARER }));

    expect(output.status).toBe(200);
    expect(otherOrigin.received).toHaveLength(1);
    expect(otherOrigin.received[0]?.authorization).toBeUndefined();
  });

  // RELIABILITY S3: the credential's header is named to outboundRequest as
  // sensitive, so a redirect to another origin drops it.
  it("a redirect to another origin does not carry a header credential along", async () => {
    routes.set("/users", (_request, response) => {
      response.writeHead(302, { location: `${otherOrigin.url}/collect` });
      response.end();
    });

    await httpRequestKind.execute(context({ credentialId: HEADER }));

    expect(otherOrigin.received[0]?.["x-api-key"]).toBeUndefined();
  });

  it("a header the credential sets cannot also be given", async () => {
    const failure = await failureOf(
      httpRequestKind.execute(context({ credentialId: HEADER, headers: { "x-api-key": "mine" } })),
    );
    expect(failure.retriable).toBe(false);
    expect(received).toEqual([]);
  });
});

describe("http_request: failures", () => {
  it("without OUTBOUND_ALLOWED_HOSTS a loopback target is refused before connecting, with or without a credential", async () => {
    vi.stubEnv("OUTBOUND_ALLOWED_HOSTS", "");
    routes.set("/users", json(200, {}));

    const plain = await failureOf(httpRequestKind.execute(context({})));
    const withCredential = await failureOf(
      httpRequestKind.execute(context({ credentialId: BEARER })),
    );
    const metadata = await failureOf(
      httpRequestKind.execute(context({ url: "http://169.254.169.254/latest/meta-data/" })),
    );

    for (const failure of [plain, withCredential, metadata]) {
      expect(failure.retriable).toBe(false);
      expect(failure.message).toMatch(/are not allowed/);
    }
    expect(received).toEqual([]);
  });

  it("429 is retriable after the server's Retry-After", async () => {
    routes.set("/users", json(429, { error: "slow down" }, { "retry-after": "7" }));
    const failure = await failureOf(httpRequestKind.execute(context({})));
    expect(failure).toMatchObject({ retriable: true, retryAfterMs: 7000 });
    expect(failure.message).toMatch(/^HTTP 429 from 127\.0\.0\.1:\d+ after \d+\.\d s$/);
  });

  it("503 and 408 are retriable", async () => {
    routes.set("/users", json(503, { error: "down" }));
    const unavailable = await failureOf(httpRequestKind.execute(context({})));
    routes.set("/users", json(408, {}));
    const timeout = await failureOf(httpRequestKind.execute(context({})));

    expect(unavailable).toMatchObject({ retriable: true, retryAfterMs: undefined });
    expect(timeout.retriable).toBe(true);
  });

  it("404 is permanent and shows the start of the answer", async () => {
    const failure = await failureOf(httpRequestKind.execute(context({ url: `${base}/nowhere` })));
    expect(failure.retriable).toBe(false);
    expect(failure.message).toMatch(/^HTTP 404 from 127\.0\.0\.1:\d+: no such route$/);
  });

  it("a JSON content type with a body that is not JSON is a permanent, clear error", async () => {
    routes.set("/users", (_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end("<html>gateway error</html>");
    });

    const failure = await failureOf(httpRequestKind.execute(context({})));

    expect(failure.retriable).toBe(false);
    expect(failure.message).toContain("is not valid JSON");
    expect(failure.message).toContain("<html>gateway error</html>");
  });

  it("a JSON body that does not parse after templates were filled in fails before sending", async () => {
    const failure = await failureOf(
      httpRequestKind.execute(context({ method: "POST", body: '{ "name": "Ada "The" Admin" }' })),
    );
    expect(failure.retriable).toBe(false);
    expect(failure.message).toMatch(/^body is not valid JSON \(.+\); .*json filter/);
    expect(received).toEqual([]);
  });

  it("a body with GET is refused by the schema", () => {
    expect(
      httpRequestKind.config.safeParse({ method: "GET", url: `${base}/users`, body: "{}" }).success,
    ).toBe(false);
  });

  it("an answer over maxResponseKb is a clear permanent error", async () => {
    routes.set("/users", (_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.end("x".repeat(4096));
    });

    const failure = await failureOf(httpRequestKind.execute(context({ maxResponseKb: 1 })));

    expect(failure.retriable).toBe(false);
    expect(failure.message).toMatch(/larger than 1 KiB \(maxResponseKb is 1; at most 5120\)/);
  });

  it("a server slower than the node's timeout gives a retriable timeout", async () => {
    routes.set("/users", (_request, response) => {
      const timer = setTimeout(() => {
        response.writeHead(200, { "content-type": "application/json" });
        response.end("{}");
      }, 2_000);
      response.on("close", () => clearTimeout(timer));
    });

    const started = Date.now();
    const failure = await failureOf(httpRequestKind.execute(context({}, { timeoutMs: 200 })));

    expect(Date.now() - started).toBeLessThan(1_500);
    expect(failure.retriable).toBe(true);
    expect(failure.message).toMatch(/^no answer from 127\.0\.0\.1:\d+ within the node's timeout/);
  });

  it("a refused connection is retriable", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));

    const failure = await failureOf(
      httpRequestKind.execute(context({ url: `http://127.0.0.1:${port}/users` })),
    );

    expect(failure.retriable).toBe(true);
  });

  it("a URL that is not http(s) or carries a password fails permanently", async () => {
    const ftp = await failureOf(httpRequestKind.execute(context({ url: "ftp://127.0.0.1/x" })));
    const userinfo = await failureOf(
      httpRequestKind.execute(context({ url: `http://ada:secret@127.0.0.1:1/x` })),
    );
    expect(ftp.retriable).toBe(false);
    expect(userinfo.message).toContain("basic auth credential");
  });

  it("an answer that echoes the credential has it redacted from the output", async () => {
    routes.set("/users", (request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify({ headers: request.headers }));
    });

    const bearer = await httpRequestKind.execute(context({ credentialId: BEARER }));
    const basic = await httpRequestKind.execute(context({ credentialId: BASIC }));

    expect(bearer.body).toMatchObject({ headers: { authorization: "Bearer [redacted]" } });
    expect(basic.body).toMatchObject({ headers: { authorization: "Basic [redacted]" } });
  });

  it("no error message carries a credential's secret", async () => {
    const failures: NodeError[] = [];
    routes.set("/users", (request, response) => {
      // A server that echoes what it was sent, as error pages sometimes do.
      response.writeHead(401, { "content-type": "text/plain" });
      response.end(`rejected ${request.headers.authorization} ${request.headers["x-api-key"]}`);
    });
    for (const credentialId of [BEARER, BASIC, HEADER])
      failures.push(await failureOf(httpRequestKind.execute(context({ credentialId }))));
    failures.push(await failureOf(httpRequestKind.execute(context({ credentialId: ELSEWHERE }))));
    vi.stubEnv("OUTBOUND_ALLOWED_HOSTS", "");
    failures.push(await failureOf(httpRequestKind.execute(context({ credentialId: BEARER }))));

    for (const failure of failures) {
      for (const secret of [
        TOKEN,
        PASSWORD,
        API_KEY,
        Buffer.from(`officeflow:${PASSWORD}`).toString("base64"),
      ])
        expect(failure.message).not.toContain(secret);
    }
  });
});

describe("http_request: preview", () => {
  it("shows the request with the credential as a placeholder and sends nothing", async () => {
    routes.set("/users", json(200, {}));

    const preview = await httpRequestKind.preview!(
      context({
        method: "POST",
        credentialId: BEARER,
        query: { page: "2" },
        body: '{ "email": "ada@acme.example" }',
      }),
    );

    expect(preview).toEqual({
      wouldSend: {
        method: "POST",
        url: `${base}/users?page=2`,
        headers: { "Content-Type": "application/json", Authorization: '[credential "HR API"]' },
        body: '{ "email": "ada@acme.example" }',
      },
      output: { status: 0, headers: {}, body: null, durationMs: 0 },
    });
    expect(httpRequestKind.output.parse(preview.output)).toEqual(preview.output);
    expect(JSON.stringify(preview)).not.toContain(TOKEN);
    expect(received).toEqual([]);
  });

  it("a header credential is shown under its header name, by id when it has no name", async () => {
    const preview = await httpRequestKind.preview!(context({ credentialId: HEADER }));
    expect(preview.wouldSend).toMatchObject({ headers: { "X-Api-Key": `[credential ${HEADER}]` } });
    expect(JSON.stringify(preview)).not.toContain(API_KEY);
  });

  it("a test run still refuses a credential for a host outside its allowedHosts", async () => {
    const failure = await failureOf(httpRequestKind.preview!(context({ credentialId: ELSEWHERE })));
    expect(failure.retriable).toBe(false);
  });
});

describe("http_request: design-time check", () => {
  it("flags a literal URL or JSON body that can never work, and leaves templates alone", () => {
    const base = httpRequestKind.defaultConfig;
    expect(httpRequestKind.check?.({ ...base, url: "not a url", body: "{ nope" })).toEqual([
      { field: "url", message: "is not a valid URL" },
      expect.objectContaining({ field: "body" }),
    ]);
    expect(httpRequestKind.check?.(base)).toEqual([]);
  });
});
