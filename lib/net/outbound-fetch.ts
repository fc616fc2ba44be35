// Every outbound request to a URL a tenant chose (HTTP node, webhook test, AI base URL)
// goes through here, so a workflow cannot reach our network, the cloud metadata service or
// the host itself (SSRF; docs/RELIABILITY.md, test S2).
//
// Two checks, because either alone has holes:
// - Before the request: the scheme, IP-literal hosts (Node connects to those without a DNS
//   lookup) and names that always mean "this machine" or "metadata". WHATWG URL parsing has
//   already normalised `2130706433`, `0177.0.0.1` and `0x7f.1` to 127.0.0.1.
// - At connect time: the undici Agent resolves names with our `lookup`, which refuses the
//   connection if ANY address is disallowed. Checking the addresses actually connected to
//   closes DNS rebinding (a name that resolves differently on a second lookup) and
//   multi-record answers (one public and one private A record), as Activepieces' STRICT mode
//   does (https://www.activepieces.com/docs/install/architecture/network-security).
// Redirects are followed by hand so that every hop goes through both checks again.
import "server-only";
import dns from "node:dns";
import net from "node:net";
import { Agent, Headers as UndiciHeaders, fetch as undiciFetch } from "undici";
import {
  OutboundRequestBlocked,
  OutboundRequestFailed,
  OutboundTimeout,
  ResponseTooLarge,
} from "./outbound-errors";

export { OutboundRequestBlocked, OutboundRequestFailed, OutboundTimeout, ResponseTooLarge };

export type OutboundResponse = {
  status: number;
  headers: Headers;
  body: Buffer;
  /** The final URL, after redirects. */
  url: string;
};

export type OutboundRequestInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
  /** For the whole exchange, redirects and body included. Default 30 s. */
  timeoutMs?: number;
  /** Default 5 MiB, counted after decompression. */
  maxResponseBytes?: number;
  /**
   * More header names to drop when a redirect leaves the origin, besides Authorization,
   * Cookie and Proxy-Authorization: e.g. the `X-Api-Key` a credential adds.
   */
  sensitiveHeaders?: readonly string[];
};

export const OUTBOUND_DEFAULTS = {
  timeoutMs: 30_000,
  maxResponseBytes: 5 * 1024 * 1024,
  maxRedirects: 5,
};

const OPERATOR_HINT = "an operator can allow this host with OUTBOUND_ALLOWED_HOSTS";

// ---------------------------------------------------------------------------------------
// Which addresses are off limits.

function subnets(family: "ipv4" | "ipv6", ...cidrs: string[]): net.BlockList {
  const list = new net.BlockList();
  for (const cidr of cidrs) {
    const [address, prefix] = cidr.split("/");
    list.addSubnet(address!, Number(prefix), family);
  }
  return list;
}

// First match names the reason. IANA special-purpose registries:
// https://www.iana.org/assignments/iana-ipv4-special-registry/,
// https://www.iana.org/assignments/iana-ipv6-special-registry/
const IPV4_RULES: [reason: string, list: net.BlockList][] = [
  ["unspecified", subnets("ipv4", "0.0.0.0/8")],
  ["loopback", subnets("ipv4", "127.0.0.0/8")],
  ["private network", subnets("ipv4", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16")],
  ["carrier-grade NAT", subnets("ipv4", "100.64.0.0/10")],
  ["link-local, cloud metadata", subnets("ipv4", "169.254.0.0/16")],
  ["broadcast", subnets("ipv4", "255.255.255.255/32")],
  ["multicast", subnets("ipv4", "224.0.0.0/4")],
  [
    "reserved",
    subnets(
      "ipv4",
      "192.0.0.0/24",
      "192.0.2.0/24",
      "192.88.99.0/24",
      "198.18.0.0/15",
      "198.51.100.0/24",
      "203.0.113.0/24",
      "240.0.0.0/4",
    ),
  ],
];

const IPV6_RULES: [reason: string, list: net.BlockList][] = [
  ["unspecified", subnets("ipv6", "::/128")],
  ["loopback", subnets("ipv6", "::1/128")],
  ["private network", subnets("ipv6", "fc00::/7", "fec0::/10")],
  ["link-local", subnets("ipv6", "fe80::/10")],
  ["multicast", subnets("ipv6", "ff00::/8")],
  // 2001::/32 is Teredo, which tunnels to an IPv4 address hidden in the IPv6 one.
  [
    "reserved",
    subnets("ipv6", "100::/64", "2001::/32", "2001:2::/48", "2001:10::/28", "2001:db8::/32"),
  ],
];

/** Why an address is off limits, or undefined if it is a public address. */
export function disallowedAddressReason(address: string): string | undefined {
  const plain = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = net.isIP(plain);
  if (family === 4) return IPV4_RULES.find(([, list]) => list.check(plain, "ipv4"))?.[0];
  if (family !== 6) return "not an IP address";
  const words = ipv6Words(plain);
  if (!words) return "not an IP address";
  const [ownReason] = IPV6_RULES.find(([, list]) => list.check(plain, "ipv6")) ?? [];
  if (ownReason) return ownReason;
  // IPv6 forms that carry an IPv4 address are judged by that address.
  for (const embedded of embeddedIpv4(words)) {
    const reason = IPV4_RULES.find(([, list]) => list.check(embedded, "ipv4"))?.[0];
    if (reason) return `${reason}, as ${plain}`;
  }
  return undefined;
}

function ipv6Words(address: string): number[] | undefined {
  let text = address;
  const tail: number[] = [];
  const lastColon = text.lastIndexOf(":");
  const dotted = text.slice(lastColon + 1);
  if (dotted.includes(".")) {
    // "::ffff:127.0.0.1": the last two words written as an IPv4 address.
    if (!net.isIPv4(dotted)) return undefined;
    const [a, b, c, d] = dotted.split(".").map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    text = text.slice(0, lastColon + 1);
    if (!text.endsWith("::")) text = text.slice(0, -1);
  }
  const halves = text.split("::");
  if (halves.length > 2) return undefined;
  const parse = (part: string | undefined) =>
    part
      ? part
          .split(":")
          .map((word) => (/^[0-9a-f]{1,4}$/i.test(word) ? Number.parseInt(word, 16) : Number.NaN))
      : [];
  const left = parse(halves[0]);
  const right = [...parse(halves[1]), ...tail];
  const missing = halves.length === 2 ? 8 - left.length - right.length : 0;
  const words = [...left, ...Array<number>(Math.max(missing, 0)).fill(0), ...right];
  return missing >= 0 && words.length === 8 && words.every(Number.isInteger) ? words : undefined;
}

function ipv4FromWords(high: number, low: number): string {
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** IPv4 addresses an IPv6 address stands for (mapped, translated, compatible, NAT64, 6to4). */
function embeddedIpv4(words: number[]): string[] {
  const word = (index: number) => words[index] ?? 0;
  const zeroUpTo = (end: number) => words.slice(0, end).every((value) => value === 0);
  const last32 = ipv4FromWords(word(6), word(7));
  const found: string[] = [];
  if (zeroUpTo(5) && word(5) === 0xffff) found.push(last32); // ::ffff:a.b.c.d (mapped)
  if (zeroUpTo(4) && word(4) === 0xffff && word(5) === 0) found.push(last32); // ::ffff:0:a.b.c.d
  if (zeroUpTo(6)) found.push(last32); // ::a.b.c.d ("compatible", deprecated)
  if (word(0) === 0x64 && word(1) === 0xff9b) found.push(last32); // NAT64 64:ff9b::/96, 64:ff9b:1::/48
  if (word(0) === 0x2002) found.push(ipv4FromWords(word(1), word(2))); // 6to4
  return found;
}

// Names that mean this machine or the metadata service whatever DNS says.
function disallowedHostnameReason(hostname: string): string | undefined {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) return "this machine";
  if (hostname === "metadata.google.internal" || hostname === "metadata")
    return "cloud metadata service";
  return undefined;
}

// ---------------------------------------------------------------------------------------
// What the operator allows anyway.

export type OutboundPolicy = {
  /** Hostnames (lower case, no trailing dot) allowed whatever they resolve to. */
  allowedHostnames: ReadonlySet<string>;
  /** Addresses and subnets allowed even though they are private. */
  allowedAddresses: net.BlockList;
};

/**
 * Reads OUTBOUND_ALLOWED_HOSTS: a comma-separated list of hostnames, IP addresses and CIDRs
 * allowed even though they are private (e.g. `127.0.0.1` in tests, `10.0.0.0/8` for a
 * self-hosted intranet). Read on every request, so tests and operators can change it at run
 * time. Throws on a malformed CIDR rather than silently allowing less or more.
 */
export function outboundPolicyFromEnv(
  env: Record<string, string | undefined> = process.env,
): OutboundPolicy {
  const allowedHostnames = new Set<string>();
  const allowedAddresses = new net.BlockList();
  for (const raw of (env.OUTBOUND_ALLOWED_HOSTS ?? "").split(",")) {
    const entry = normaliseHostname(raw.trim());
    if (!entry) continue;
    const [address, prefix, ...extra] = entry.split("/");
    const family = net.isIP(address ?? "");
    if (prefix !== undefined) {
      const bits = Number(prefix);
      const max = family === 4 ? 32 : 128;
      if (!family || extra.length > 0 || !/^\d+$/.test(prefix) || bits > max)
        throw new Error(`OUTBOUND_ALLOWED_HOSTS: "${raw.trim()}" is not a valid CIDR`);
      allowedAddresses.addSubnet(address!, bits, family === 4 ? "ipv4" : "ipv6");
    } else if (family) {
      allowedAddresses.addAddress(entry, family === 4 ? "ipv4" : "ipv6");
    } else {
      allowedHostnames.add(entry);
    }
  }
  return { allowedHostnames, allowedAddresses };
}

function normaliseHostname(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, "$1")
    .replace(/\.$/, "");
}

function isAllowedAddress(policy: OutboundPolicy, address: string): boolean {
  const family = net.isIP(address);
  return family !== 0 && policy.allowedAddresses.check(address, family === 4 ? "ipv4" : "ipv6");
}

function blocked(target: string, reason: string): OutboundRequestBlocked {
  return new OutboundRequestBlocked(
    `requests to ${target} (${reason}) are not allowed; ${OPERATOR_HINT}`,
  );
}

/** The checks that need no DNS: scheme, IP literals, local names. */
function assertAllowedUrl(url: URL, policy: OutboundPolicy): void {
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new OutboundRequestBlocked(
      `requests with the ${url.protocol} scheme are not allowed; only http and https are`,
    );
  const hostname = normaliseHostname(url.hostname);
  if (policy.allowedHostnames.has(hostname)) return;
  if (net.isIP(hostname)) {
    const reason = disallowedAddressReason(hostname);
    if (reason && !isAllowedAddress(policy, hostname)) throw blocked(hostname, reason);
    return;
  }
  const reason = disallowedHostnameReason(hostname);
  if (reason) throw blocked(hostname, reason);
}

/** `lookup` for net/tls.connect: resolves every address and refuses if any is disallowed. */
function guardedLookup(policy: OutboundPolicy): net.LookupFunction {
  return (hostname, options, callback) => {
    const name = normaliseHostname(hostname);
    dns.lookup(name, { all: true, family: 0, hints: options.hints }, (error, addresses) => {
      if (error) return callback(error, "", 0);
      if (!policy.allowedHostnames.has(name)) {
        const nameReason = disallowedHostnameReason(name);
        if (nameReason) return callback(blocked(name, nameReason), "", 0);
        for (const { address } of addresses) {
          const reason = disallowedAddressReason(address);
          if (reason && !isAllowedAddress(policy, address))
            return callback(blocked(name, `resolves to ${address}, ${reason}`), "", 0);
        }
      }
      const usable =
        options.family === 4 || options.family === 6
          ? addresses.filter((entry) => entry.family === options.family)
          : addresses;
      const first = usable[0];
      if (!first) {
        const notFound: NodeJS.ErrnoException = new Error(`getaddrinfo ENOTFOUND ${name}`);
        notFound.code = "ENOTFOUND";
        return callback(notFound, "", 0);
      }
      if (options.all) callback(null, usable);
      else callback(null, first.address, first.family);
    });
  };
}

// ---------------------------------------------------------------------------------------
// The request.

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"];
// Fetch's "request-body-header names": dropped when a redirect drops the body.
const BODY_HEADERS = [
  "content-encoding",
  "content-language",
  "content-location",
  "content-type",
  "content-length",
];

export async function outboundRequest(
  url: string,
  init: OutboundRequestInit = {},
): Promise<OutboundResponse> {
  const policy = outboundPolicyFromEnv();
  const timeoutMs = init.timeoutMs ?? OUTBOUND_DEFAULTS.timeoutMs;
  const maxBytes = init.maxResponseBytes ?? OUTBOUND_DEFAULTS.maxResponseBytes;
  let current = parseUrl(url);
  assertAllowedUrl(current, policy);

  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  // One agent per request: its lookup carries this request's policy, and no connection
  // outlives the request.
  const agent = new Agent({ connect: { lookup: guardedLookup(policy) } });
  let method = (init.method ?? "GET").toUpperCase();
  let body = init.body;
  try {
    const headers = new UndiciHeaders(init.headers);
    for (let redirects = 0; ; redirects++) {
      const response = await undiciFetch(current, {
        method,
        headers,
        body,
        redirect: "manual",
        signal,
        dispatcher: agent,
      });
      const location = response.headers.get("location");
      if (!REDIRECT_STATUSES.has(response.status) || location === null) {
        return {
          status: response.status,
          headers: new Headers([...response.headers]),
          body: await readCapped(response, maxBytes, current),
          url: current.href,
        };
      }
      await response.body?.cancel();
      if (redirects >= OUTBOUND_DEFAULTS.maxRedirects)
        throw new OutboundRequestFailed(
          `request to ${current.origin} was redirected more than ${OUTBOUND_DEFAULTS.maxRedirects} times`,
        );
      const next = parseUrl(location, current);
      assertAllowedUrl(next, policy);
      // As browsers do (Fetch, "HTTP-redirect fetch" step 12).
      if (
        (response.status === 303 && method !== "GET" && method !== "HEAD") ||
        ((response.status === 301 || response.status === 302) && method === "POST")
      ) {
        method = "GET";
        body = undefined;
        for (const name of BODY_HEADERS) headers.delete(name);
      }
      if (next.origin !== current.origin)
        for (const name of [...CREDENTIAL_HEADERS, ...(init.sensitiveHeaders ?? [])])
          headers.delete(name);
      current = next;
    }
  } catch (error) {
    throw translateError(error, { current, timeout, timeoutMs, callerSignal: init.signal });
  } finally {
    agent.destroy().catch(() => {});
  }
}

function parseUrl(value: string, base?: URL): URL {
  try {
    return new URL(value, base);
  } catch {
    throw new OutboundRequestFailed(
      base ? "the server redirected to an invalid URL" : "the URL is not valid",
    );
  }
}

/** Reads the body, giving up as soon as it passes `maxBytes` rather than after. */
async function readCapped(
  response: Awaited<ReturnType<typeof undiciFetch>>,
  maxBytes: number,
  url: URL,
): Promise<Buffer> {
  const tooLarge = () =>
    new ResponseTooLarge(`the response from ${url.origin} is larger than ${formatBytes(maxBytes)}`);
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  // Leaving the loop early cancels the stream, which closes the connection.
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function translateError(
  error: unknown,
  context: { current: URL; timeout: AbortSignal; timeoutMs: number; callerSignal?: AbortSignal },
): unknown {
  for (let cause = error, depth = 0; cause && depth < 5; depth++) {
    if (
      cause instanceof OutboundRequestBlocked ||
      cause instanceof ResponseTooLarge ||
      cause instanceof OutboundRequestFailed
    )
      return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  if (context.callerSignal?.aborted) return context.callerSignal.reason;
  if (context.timeout.aborted)
    return new OutboundTimeout(
      `request to ${context.current.origin} timed out after ${context.timeoutMs} ms`,
    );
  const cause = (error as { cause?: unknown }).cause ?? error;
  const detail =
    cause instanceof Error ? ((cause as NodeJS.ErrnoException).code ?? cause.message) : "";
  return new OutboundRequestFailed(
    `request to ${context.current.origin} failed${detail ? `: ${detail}` : ""}`,
    { cause: error },
  );
}

function formatBytes(bytes: number): string {
  if (bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * A `fetch` with the same guard, for SDKs that accept a custom fetch (e.g. the openai
 * client with a tenant-supplied base URL). It buffers the response (within the size cap),
 * so a streamed answer arrives all at once; redirects are always followed (at most 5).
 */
export const guardedFetch: typeof fetch = async (input, init) => {
  const request = new Request(input, init);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const result = await outboundRequest(request.url, {
    method: request.method,
    headers: Object.fromEntries(request.headers),
    body,
    signal: request.signal,
  });
  const hasBody = !NULL_BODY_STATUSES.has(result.status) && request.method !== "HEAD";
  const response = new Response(hasBody ? new Uint8Array(result.body) : null, {
    status: result.status,
    headers: result.headers,
  });
  Object.defineProperty(response, "url", { value: result.url });
  return response;
};
