import dns from "node:dns";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  disallowedAddressReason,
  guardedFetch,
  OutboundRequestBlocked,
  OutboundRequestFailed,
  OutboundTimeout,
  outboundPolicyFromEnv,
  outboundRequest,
  ResponseTooLarge,
} from "./outbound-fetch";

type Received = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };
type TestServer = {
  port: number;
  origin: string;
  connections: number;
  received: Received[];
  close: () => Promise<void>;
};

const servers: TestServer[] = [];

/**
 * A real HTTP server. It listens on every loopback address it can (dual-stack "::" when
 * IPv6 exists), so a request to 127.0.0.1, ::1 or ::ffff:127.0.0.1 that got through would
 * show up in `connections`.
 */
async function startServer(
  handler: (
    request: http.IncomingMessage,
    response: http.ServerResponse,
    server: TestServer,
  ) => void,
): Promise<TestServer> {
  const server = http.createServer();
  const state: TestServer = {
    port: 0,
    origin: "",
    connections: 0,
    received: [],
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  server.on("connection", () => {
    state.connections++;
  });
  server.on("request", (request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      state.received.push({
        method: request.method ?? "",
        url: request.url ?? "",
        headers: request.headers,
        body: Buffer.concat(chunks).toString(),
      });
      handler(request, response, state);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", () => {
      server.removeAllListeners("error");
      server.once("error", reject);
      server.listen(0, "127.0.0.1", resolve);
    });
    server.listen({ port: 0, host: "::", ipv6Only: false }, resolve);
  });
  state.port = (server.address() as AddressInfo).port;
  state.origin = `http://127.0.0.1:${state.port}`;
  servers.push(state);
  return state;
}

const reply =
  (status: number, body = "", headers: Record<string, string> = {}) =>
  (_request: http.IncomingMessage, response: http.ServerResponse) => {
    response.writeHead(status, headers);
    response.end(body);
  };

function allow(hosts: string) {
  vi.stubEnv("OUTBOUND_ALLOWED_HOSTS", hosts);
}

type LookupCallback = (error: Error | null, addresses: dns.LookupAddress[]) => void;

/** Answers DNS for the given test names; other names go to the real resolver. */
function fakeDns(answers: Record<string, dns.LookupAddress[] | string>) {
  const realLookup = dns.lookup;
  return vi.spyOn(dns, "lookup").mockImplementation(((
    hostname: string,
    options: dns.LookupAllOptions,
    callback: LookupCallback,
  ) => {
    const answer = answers[hostname];
    if (typeof answer === "string") return realLookup(answer, options, callback);
    if (answer) return process.nextTick(() => callback(null, answer));
    return realLookup(hostname, options, callback);
  }) as unknown as typeof dns.lookup);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe("blocked targets", () => {
  const hint = "are not allowed; an operator can allow this host with OUTBOUND_ALLOWED_HOSTS";

  it("refuses loopback with the documented message", async () => {
    const server = await startServer(reply(200, "secret"));
    const error = await rejection(outboundRequest(`http://127.0.0.1:${server.port}/`, {}));
    expect(error).toBeInstanceOf(OutboundRequestBlocked);
    expect(error.message).toBe(`requests to 127.0.0.1 (loopback) ${hint}`);
    expect(server.connections).toBe(0);
  });

  it.each([
    ["http://localhost:PORT/", "localhost (this machine)"],
    ["http://LocalHost.:PORT/", "localhost (this machine)"],
    ["http://api.localhost:PORT/", "api.localhost (this machine)"],
    ["http://[::1]:PORT/", "::1 (loopback)"],
    ["http://0.0.0.0:PORT/", "0.0.0.0 (unspecified)"],
    ["http://[::]:PORT/", ":: (unspecified)"],
    ["http://169.254.169.254/latest/meta-data/", "169.254.169.254 (link-local, cloud metadata)"],
    ["http://metadata.google.internal/computeMetadata/v1/", "metadata.google.internal (cloud"],
    ["http://10.0.0.1/", "10.0.0.1 (private network)"],
    ["http://192.168.1.1/", "192.168.1.1 (private network)"],
    ["http://172.16.0.1/", "172.16.0.1 (private network)"],
    ["http://100.64.0.1/", "100.64.0.1 (carrier-grade NAT)"],
    ["http://224.0.0.1/", "224.0.0.1 (multicast)"],
    ["http://255.255.255.255/", "255.255.255.255 (broadcast)"],
    ["http://[fd00::1]/", "fd00::1 (private network)"],
    ["http://[fe80::1]/", "fe80::1 (link-local)"],
    ["http://[::ffff:127.0.0.1]:PORT/", "::ffff:7f00:1 (loopback"],
    ["http://[::ffff:169.254.169.254]/", "::ffff:a9fe:a9fe (link-local, cloud metadata"],
    ["http://[64:ff9b::10.0.0.1]/", "64:ff9b::a00:1 (private network"],
    ["http://2130706433:PORT/", "127.0.0.1 (loopback)"],
    ["http://0177.0.0.1:PORT/", "127.0.0.1 (loopback)"],
    ["http://0x7f.1:PORT/", "127.0.0.1 (loopback)"],
  ])("refuses %s before connecting", async (target, described) => {
    const server = await startServer(reply(200, "secret"));
    const lookup = vi.spyOn(dns, "lookup");
    const error = await rejection(
      outboundRequest(target.replace("PORT", String(server.port)), { timeoutMs: 5000 }),
    );
    expect(error).toBeInstanceOf(OutboundRequestBlocked);
    expect(error.message).toContain(`requests to ${described}`);
    expect(error.message).toContain("OUTBOUND_ALLOWED_HOSTS");
    // 10.0.0.1 and friends would have been dialled if the check came after connecting.
    expect(lookup).not.toHaveBeenCalled();
    expect(server.connections).toBe(0);
  });

  it.each([
    ["file:///etc/passwd", "file:"],
    ["gopher://127.0.0.1:PORT/_GET", "gopher:"],
    ["ftp://example.com/", "ftp:"],
    ["data:text/plain,hi", "data:"],
  ])("refuses the %s scheme", async (target, scheme) => {
    const server = await startServer(reply(200));
    const error = await rejection(outboundRequest(target.replace("PORT", String(server.port)), {}));
    expect(error).toBeInstanceOf(OutboundRequestBlocked);
    expect(error.message).toBe(
      `requests with the ${scheme} scheme are not allowed; only http and https are`,
    );
    expect(server.connections).toBe(0);
  });

  it("refuses a name that resolves to a private address, at connect time", async () => {
    const server = await startServer(reply(200, "secret"));
    // The real resolver answering for "localhost", under a name the up-front check cannot know.
    fakeDns({ "intranet.test": "localhost" });
    const error = await rejection(outboundRequest(`http://intranet.test:${server.port}/`, {}));
    expect(error).toBeInstanceOf(OutboundRequestBlocked);
    expect(error.message).toBe(
      `requests to intranet.test (resolves to 127.0.0.1, loopback) ${hint}`,
    );
    expect(server.connections).toBe(0);
  });

  it("refuses a name if any of its addresses is private (multi-record answer)", async () => {
    const server = await startServer(reply(200, "secret"));
    const lookup = fakeDns({
      "mixed.test": [
        { address: "93.184.215.14", family: 4 },
        { address: "10.0.0.7", family: 4 },
      ],
    });
    const error = await rejection(outboundRequest(`http://mixed.test:${server.port}/`, {}));
    expect(error).toBeInstanceOf(OutboundRequestBlocked);
    expect(error.message).toContain("mixed.test (resolves to 10.0.0.7, private network)");
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(server.connections).toBe(0);
  });

  it("connects to the very address it checked (no second lookup to rebind)", async () => {
    const server = await startServer(reply(200, "ok"));
    let answers = 0;
    vi.spyOn(dns, "lookup").mockImplementation(((
      _hostname: string,
      _options: unknown,
      callback: LookupCallback,
    ) => {
      answers++;
      // A rebinding server would answer differently the second time.
      const address = answers === 1 ? "127.0.0.1" : "10.0.0.1";
      process.nextTick(() => callback(null, [{ address, family: 4 }]));
    }) as unknown as typeof dns.lookup);
    allow("127.0.0.1");
    const response = await outboundRequest(`http://rebind.test:${server.port}/`, {});
    expect(response.body.toString()).toBe("ok");
    expect(answers).toBe(1);
    expect(server.received[0]?.headers.host).toBe(`rebind.test:${server.port}`);
  });
});

describe("operator allowance", () => {
  it("lets a request to an allowed address through", async () => {
    const server = await startServer(
      reply(201, '{"ok":true}', { "content-type": "application/json" }),
    );
    allow("127.0.0.1");
    const response = await outboundRequest(`${server.origin}/hooks?x=1`, {
      method: "post",
      headers: { "content-type": "application/json", "x-custom": "yes" },
      body: '{"hello":"world"}',
    });
    expect(response.status).toBe(201);
    expect(response.headers.get("content-type")).toBe("application/json");
    expect(response.body.toString()).toBe('{"ok":true}');
    expect(response.url).toBe(`${server.origin}/hooks?x=1`);
    expect(server.received).toMatchObject([
      {
        method: "POST",
        url: "/hooks?x=1",
        body: '{"hello":"world"}',
        headers: { "x-custom": "yes" },
      },
    ]);
  });

  it("accepts CIDRs, bracketed IPv6 and hostnames", async () => {
    const server = await startServer(reply(200, "ok"));
    allow(" 10.0.0.0/8 , 127.0.0.0/8,[::1]");
    expect((await outboundRequest(`${server.origin}/`, {})).status).toBe(200);
    allow("localhost");
    expect((await outboundRequest(`http://localhost:${server.port}/`, {})).status).toBe(200);
  });

  it("allows only what is listed", async () => {
    allow("127.0.0.1");
    for (const target of ["http://10.0.0.1/", "http://169.254.169.254/", "http://localhost/"]) {
      const error = await rejection(outboundRequest(target, { timeoutMs: 2000 }));
      expect(error).toBeInstanceOf(OutboundRequestBlocked);
    }
  });

  it("parses the environment variable and refuses a malformed CIDR", () => {
    const policy = outboundPolicyFromEnv({
      OUTBOUND_ALLOWED_HOSTS: "Intranet.Example., 10.1.0.0/16",
    });
    expect([...policy.allowedHostnames]).toEqual(["intranet.example"]);
    expect(policy.allowedAddresses.check("10.1.2.3", "ipv4")).toBe(true);
    expect(policy.allowedAddresses.check("10.2.0.1", "ipv4")).toBe(false);
    expect(() => outboundPolicyFromEnv({ OUTBOUND_ALLOWED_HOSTS: "10.0.0.0/33" })).toThrow(
      'OUTBOUND_ALLOWED_HOSTS: "10.0.0.0/33" is not a valid CIDR',
    );
    expect([...outboundPolicyFromEnv({}).allowedHostnames]).toEqual([]);
  });
});

describe("disallowedAddressReason", () => {
  it.each([
    ["8.8.8.8", undefined],
    ["172.32.0.1", undefined],
    ["100.128.0.1", undefined],
    ["2001:4860:4860::8888", undefined],
    ["::ffff:8.8.8.8", undefined],
    ["64:ff9b::808:808", undefined],
    ["127.8.9.10", "loopback"],
    ["fe80::1%eth0", "link-local"],
    ["::127.0.0.1", "loopback, as ::127.0.0.1"],
    ["::ffff:0:a00:1", "private network, as ::ffff:0:a00:1"],
    ["2002:a9fe:a9fe::1", "link-local, cloud metadata, as 2002:a9fe:a9fe::1"],
    ["2001::1", "reserved"],
    ["240.0.0.1", "reserved"],
    ["not-an-ip", "not an IP address"],
  ])("%s → %s", (address, reason) => {
    expect(disallowedAddressReason(address)).toBe(reason);
  });
});

describe("redirects", () => {
  it("follows redirects between allowed hosts and reports the final URL", async () => {
    const server = await startServer((request, response) => {
      if (request.url === "/start") response.writeHead(302, { location: "/next" }).end();
      else if (request.url === "/next") response.writeHead(301, { location: "/done" }).end();
      else response.writeHead(200).end("arrived");
    });
    allow("127.0.0.1");
    const response = await outboundRequest(`${server.origin}/start`, {});
    expect(response.body.toString()).toBe("arrived");
    expect(response.url).toBe(`${server.origin}/done`);
  });

  it("refuses a redirect from an allowed host to the metadata service", async () => {
    const server = await startServer(
      reply(302, "", { location: "http://169.254.169.254/latest/meta-data/iam/" }),
    );
    allow("127.0.0.1");
    const error = await rejection(outboundRequest(`${server.origin}/`, {}));
    expect(error).toBeInstanceOf(OutboundRequestBlocked);
    expect(error.message).toContain("requests to 169.254.169.254 (link-local, cloud metadata)");
    expect(server.received).toHaveLength(1);
  });

  it("refuses a redirect to a blocked name or scheme", async () => {
    const target = await startServer(reply(200, "secret"));
    const server = await startServer((request, response) => {
      const location =
        request.url === "/to-file" ? "file:///etc/passwd" : `http://localhost:${target.port}/`;
      response.writeHead(307, { location }).end();
    });
    allow("127.0.0.1");
    const toName = await rejection(outboundRequest(`${server.origin}/to-name`, {}));
    expect(toName.message).toContain("requests to localhost (this machine)");
    const toFile = await rejection(outboundRequest(`${server.origin}/to-file`, {}));
    expect(toFile.message).toContain("the file: scheme");
    expect(target.connections).toBe(0);
  });

  it("strips credentials when a redirect changes origin, and keeps them on the same origin", async () => {
    const other = await startServer(reply(200, "other"));
    const server = await startServer((request, response) => {
      if (request.url === "/cross")
        response.writeHead(302, { location: `${other.origin}/landing` }).end();
      else if (request.url === "/same") response.writeHead(302, { location: "/landing" }).end();
      else response.writeHead(200).end("same");
    });
    allow("127.0.0.1");
    const headers = { authorization: "Bearer secret", cookie: "session=1", "x-trace": "t1" };
    await outboundRequest(`${server.origin}/cross`, { headers });
    expect(other.received[0]?.headers.authorization).toBeUndefined();
    expect(other.received[0]?.headers.cookie).toBeUndefined();
    expect(other.received[0]?.headers["x-trace"]).toBe("t1");

    await outboundRequest(`${server.origin}/same`, { headers });
    const landing = server.received.find((request) => request.url === "/landing");
    expect(landing?.headers.authorization).toBe("Bearer secret");
    expect(landing?.headers.cookie).toBe("session=1");
  });

  it("also strips the sensitive headers the caller names when the origin changes", async () => {
    const other = await startServer(reply(200));
    const server = await startServer(reply(302, "", { location: `${other.origin}/collect` }));
    allow("127.0.0.1");
    await outboundRequest(`${server.origin}/`, {
      headers: { "X-Api-Key": "secret", "x-trace": "t1" },
      sensitiveHeaders: ["x-api-key"],
    });
    expect(server.received[0]?.headers["x-api-key"]).toBe("secret");
    expect(other.received[0]?.headers["x-api-key"]).toBeUndefined();
    expect(other.received[0]?.headers["x-trace"]).toBe("t1");
  });

  it("turns POST into GET without a body on 303 and 302, and keeps it on 307", async () => {
    const server = await startServer((request, response) => {
      const status = { "/303": 303, "/302": 302, "/307": 307 }[request.url ?? ""];
      if (status) response.writeHead(status, { location: "/target" }).end();
      else response.writeHead(200).end();
    });
    allow("127.0.0.1");
    const init = {
      method: "POST",
      body: "payload",
      headers: { "content-type": "text/plain", authorization: "Bearer x" },
    };
    for (const path of ["/303", "/302", "/307"])
      await outboundRequest(`${server.origin}${path}`, init);
    const targets = server.received.filter((request) => request.url === "/target");
    expect(targets.map(({ method, body }) => ({ method, body }))).toEqual([
      { method: "GET", body: "" },
      { method: "GET", body: "" },
      { method: "POST", body: "payload" },
    ]);
    expect(targets[0]?.headers["content-type"]).toBeUndefined();
    expect(targets[0]?.headers.authorization).toBe("Bearer x");
    expect(targets[2]?.headers["content-type"]).toBe("text/plain");
  });

  it("gives up after 5 redirects", async () => {
    const server = await startServer((request, response) => {
      const hop = Number(request.url?.slice(1)) || 0;
      response.writeHead(302, { location: `/${hop + 1}` }).end();
    });
    allow("127.0.0.1");
    const error = await rejection(outboundRequest(`${server.origin}/0`, {}));
    expect(error).toBeInstanceOf(OutboundRequestFailed);
    expect(error.message).toBe(`request to ${server.origin} was redirected more than 5 times`);
    expect(server.received).toHaveLength(6);
  });

  it("returns a 3xx without a Location as it is", async () => {
    const server = await startServer(reply(304));
    allow("127.0.0.1");
    expect((await outboundRequest(`${server.origin}/`, {})).status).toBe(304);
  });
});

describe("timeouts and aborts", () => {
  it("aborts a server that never answers", async () => {
    const server = await startServer(() => {});
    allow("127.0.0.1");
    const error = await rejection(outboundRequest(`${server.origin}/`, { timeoutMs: 200 }));
    expect(error).toBeInstanceOf(OutboundTimeout);
    expect(error.message).toBe(`request to ${server.origin} timed out after 200 ms`);
  });

  it("aborts a body that trickles past the deadline", async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "text/plain" });
      response.write("first part");
    });
    allow("127.0.0.1");
    const error = await rejection(outboundRequest(`${server.origin}/`, { timeoutMs: 200 }));
    expect(error).toBeInstanceOf(OutboundTimeout);
  });

  it("stops when the caller aborts, with the caller's reason", async () => {
    const server = await startServer(() => {});
    allow("127.0.0.1");
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("run cancelled")), 50);
    const error = await rejection(
      outboundRequest(`${server.origin}/`, { signal: controller.signal, timeoutMs: 10_000 }),
    );
    expect(error.message).toBe("run cancelled");
  });

  it("reports a refused connection clearly", async () => {
    const server = await startServer(reply(200));
    const { port } = server;
    await server.close();
    allow("127.0.0.1");
    const error = await rejection(outboundRequest(`http://127.0.0.1:${port}/`, {}));
    expect(error).toBeInstanceOf(OutboundRequestFailed);
    expect(error.message).toBe(`request to http://127.0.0.1:${port} failed: ECONNREFUSED`);
  });
});

describe("response size", () => {
  it("stops reading a streamed body as soon as it passes the cap", async () => {
    let sent = 0;
    let closed = false;
    const chunk = Buffer.alloc(64 * 1024, "x");
    const server = await startServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/octet-stream" });
      response.on("close", () => {
        closed = true;
      });
      const pump = () => {
        // Up to 1 GiB, with backpressure, unless the client hangs up first.
        while (!closed && sent < 1024 ** 3) {
          sent += chunk.length;
          if (!response.write(chunk)) return void response.once("drain", pump);
        }
        response.end();
      };
      pump();
    });
    allow("127.0.0.1");
    const error = await rejection(
      outboundRequest(`${server.origin}/`, { maxResponseBytes: 256 * 1024 }),
    );
    expect(error).toBeInstanceOf(ResponseTooLarge);
    expect(error.message).toBe(`the response from ${server.origin} is larger than 256 KiB`);
    await vi.waitFor(() => expect(closed).toBe(true));
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  it("refuses a declared Content-Length over the cap without reading the body", async () => {
    const server = await startServer((_request, response) => {
      response.writeHead(200, { "content-length": String(100 * 1024 * 1024) });
      response.write("x".repeat(1024));
    });
    allow("127.0.0.1");
    const error = await rejection(outboundRequest(`${server.origin}/`, {}));
    expect(error).toBeInstanceOf(ResponseTooLarge);
    expect(error.message).toContain("is larger than 5 MiB");
  });

  it("accepts a body exactly at the cap", async () => {
    const server = await startServer(reply(200, "x".repeat(1024)));
    allow("127.0.0.1");
    const response = await outboundRequest(`${server.origin}/`, { maxResponseBytes: 1024 });
    expect(response.body.length).toBe(1024);
  });
});

describe("guardedFetch", () => {
  it("works as fetch for an allowed host", async () => {
    const server = await startServer(
      reply(200, '{"id":"chatcmpl-1"}', { "content-type": "application/json" }),
    );
    allow("127.0.0.1");
    const response = await guardedFetch(`${server.origin}/v1/chat/completions`, {
      method: "POST",
      headers: { authorization: "Bearer sk-test", "content-type": "application/json" },
      body: JSON.stringify({ model: "x" }),
    });
    expect(response).toBeInstanceOf(Response);
    expect(response.status).toBe(200);
    expect(response.url).toBe(`${server.origin}/v1/chat/completions`);
    expect(await response.json()).toEqual({ id: "chatcmpl-1" });
    expect(server.received[0]).toMatchObject({
      method: "POST",
      body: '{"model":"x"}',
      headers: { authorization: "Bearer sk-test" },
    });
  });

  it("accepts a Request and a URL object", async () => {
    const server = await startServer(reply(204));
    allow("127.0.0.1");
    const fromRequest = await guardedFetch(new Request(`${server.origin}/a`, { method: "DELETE" }));
    expect(fromRequest.status).toBe(204);
    expect(await fromRequest.text()).toBe("");
    const fromUrl = await guardedFetch(new URL(`${server.origin}/b`));
    expect(fromUrl.status).toBe(204);
    expect(server.received.map(({ method, url }) => `${method} ${url}`)).toEqual([
      "DELETE /a",
      "GET /b",
    ]);
  });

  it("applies the same guard", async () => {
    const server = await startServer(reply(200, "secret"));
    const error = await rejection(guardedFetch(`http://127.0.0.1:${server.port}/`));
    expect(error).toBeInstanceOf(OutboundRequestBlocked);
    expect(server.connections).toBe(0);
  });
});
