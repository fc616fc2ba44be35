// The errors lib/net/outbound-fetch throws, in a module of their own so that
// code bundled for the browser (the HTTP node kind, which the designer loads
// with the registry) can recognise them with `instanceof` without importing
// the fetch itself, which needs node:dns, node:net and undici.

/** The URL, or an address its host resolves to, is off limits (SSRF guard). */
export class OutboundRequestBlocked extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundRequestBlocked";
  }
}

export class ResponseTooLarge extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ResponseTooLarge";
  }
}

/** The request took longer than its `timeoutMs` (connecting, redirects and body included). */
export class OutboundTimeout extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutboundTimeout";
  }
}

/** The request could not be completed: DNS, connection, TLS, too many redirects, bad URL. */
export class OutboundRequestFailed extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "OutboundRequestFailed";
  }
}
