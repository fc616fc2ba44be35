import { z } from "zod";

// The credential kinds, in one registry. Each kind declares its secret fields
// (sealed, never shown again), its settings (non-secret, stored in metadata
// and shown), and how to show a masked hint. The API validates with these
// schemas, /api/v1/credential-kinds serves them as JSON Schema for the forms,
// and workflow nodes name the kinds they accept. Adding a kind (SCIM, Okta,
// Google, Microsoft…) is adding one entry here.

const secretText = (title: string, description?: string) =>
  z
    .string({ error: "is required" })
    .trim()
    .min(1, "is required")
    .max(4096, "must be at most 4096 characters")
    .meta({ title, ...(description ? { description } : {}) });

/** Passwords and header values are kept exactly as typed (spaces may be meaningful). */
const exactSecretText = (title: string) =>
  z
    .string({ error: "is required" })
    .min(1, "is required")
    .max(4096, "must be at most 4096 characters")
    .meta({ title });

const HOST_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

// RELIABILITY S3: an HTTP node may send a generic credential only to these
// hosts, so a workflow cannot point a token at a server of its choosing.
const allowedHosts = z
  .array(
    z
      .string({ error: "must be a host name" })
      .trim()
      .toLowerCase()
      .regex(HOST_NAME, "must be a host name such as api.example.com (no scheme, port or path)"),
    {
      error: (issue) =>
        issue.input === undefined ? "is required" : "must be a list of host names",
    },
  )
  .min(1, "must list at least one host")
  .max(20, "must list at most 20 hosts")
  .refine((hosts) => new Set(hosts).size === hosts.length, "lists a host twice")
  .meta({
    title: "Allowed hosts",
    description:
      "The only hosts this credential may be sent to, e.g. api.example.com. Exact names; subdomains must be listed too.",
  });

/** Whether a credential bound to `hosts` may be sent to `hostname` (exact, case-insensitive). */
export function allowsHost(hosts: readonly string[], hostname: string): boolean {
  const wanted = hostname.trim().toLowerCase().replace(/\.$/, "");
  return hosts.some((host) => host === wanted);
}

// Headers the HTTP client sets itself; a credential must not override them.
const RESERVED_HEADERS = new Set([
  "host",
  "content-length",
  "transfer-encoding",
  "connection",
  "upgrade",
  "te",
  "trailer",
]);

const headerName = z
  .string({ error: "is required" })
  .trim()
  .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, "must be an HTTP header name such as X-Api-Key")
  .refine((name) => !RESERVED_HEADERS.has(name.toLowerCase()), "is set by OfficeFlow itself")
  .meta({ title: "Header name", description: "e.g. X-Api-Key" });

const noSettings = z.object({}).strict();

/**
 * "sk-…a1b2": a vendor prefix (known, not secret) and the last four
 * characters, which are shown only for values of 12+ characters so a hint
 * never reveals more than a third of a short secret.
 */
export function maskSecret(value: string, { keepPrefix = true } = {}): string {
  const prefix = keepPrefix ? (/^[A-Za-z]{2,5}[-_]/.exec(value)?.[0] ?? "") : "";
  const rest = value.slice(prefix.length);
  return `${prefix}…${value.length >= 12 ? rest.slice(-4) : ""}`;
}

type KindDefinition = {
  kind: string;
  label: string;
  description: string;
  secretSchema: z.ZodObject;
  settingsSchema: z.ZodObject;
  hint: (secret: never) => string;
};

export const CREDENTIAL_KINDS = {
  resend: {
    kind: "resend",
    label: "Resend",
    description: "Sends email through Resend.",
    secretSchema: z.object({ apiKey: secretText("API key", "Starts with re_") }).strict(),
    settingsSchema: noSettings,
    hint: (secret: { apiKey: string }) => maskSecret(secret.apiKey),
  },
  slack: {
    kind: "slack",
    label: "Slack",
    description: "Posts messages and manages channels with a Slack app's bot token.",
    secretSchema: z
      .object({
        botToken: secretText("Bot token", "The bot user OAuth token, starting with xoxb-").refine(
          (token) => token.startsWith("xoxb-"),
          "must be a bot token starting with xoxb-",
        ),
      })
      .strict(),
    settingsSchema: noSettings,
    hint: (secret: { botToken: string }) => maskSecret(secret.botToken),
  },
  openai: {
    kind: "openai",
    label: "OpenAI",
    description: "Calls the OpenAI API, or a compatible API at another base URL.",
    secretSchema: z.object({ apiKey: secretText("API key") }).strict(),
    settingsSchema: z
      .object({
        baseUrl: z
          .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
          .max(2048, "must be at most 2048 characters")
          .optional()
          .meta({
            title: "Base URL",
            description: "Only for OpenAI-compatible APIs; empty means https://api.openai.com/v1",
          }),
        organization: z
          .string()
          .trim()
          .max(200, "must be at most 200 characters")
          .optional()
          .meta({ title: "Organization ID", description: "Optional, e.g. org-…" }),
      })
      .strict(),
    hint: (secret: { apiKey: string }) => maskSecret(secret.apiKey),
  },
  http_bearer: {
    kind: "http_bearer",
    label: "HTTP bearer token",
    description: "Sent as Authorization: Bearer <token> by HTTP requests to the allowed hosts.",
    secretSchema: z.object({ token: secretText("Token") }).strict(),
    settingsSchema: z.object({ allowedHosts }).strict(),
    hint: (secret: { token: string }) => maskSecret(secret.token),
  },
  http_basic: {
    kind: "http_basic",
    label: "HTTP basic auth",
    description: "A username and password sent by HTTP requests to the allowed hosts.",
    secretSchema: z
      .object({
        username: secretText("Username").refine(
          (username) => !username.includes(":"),
          "must not contain a colon",
        ),
        password: exactSecretText("Password"),
      })
      .strict(),
    settingsSchema: z.object({ allowedHosts }).strict(),
    hint: (secret: { password: string }) => maskSecret(secret.password, { keepPrefix: false }),
  },
  http_header: {
    kind: "http_header",
    label: "HTTP header",
    description:
      "A secret header value (e.g. an API key) sent by HTTP requests to the allowed hosts.",
    secretSchema: z.object({ value: exactSecretText("Header value") }).strict(),
    settingsSchema: z.object({ headerName, allowedHosts }).strict(),
    hint: (secret: { value: string }) => maskSecret(secret.value, { keepPrefix: false }),
  },
} as const satisfies Record<string, KindDefinition>;

export type CredentialKind = keyof typeof CREDENTIAL_KINDS;
export const CREDENTIAL_KIND_NAMES = Object.keys(CREDENTIAL_KINDS) as CredentialKind[];

export type CredentialSecret<K extends CredentialKind = CredentialKind> = {
  [P in K]: z.infer<(typeof CREDENTIAL_KINDS)[P]["secretSchema"]>;
}[K];
export type CredentialSettings<K extends CredentialKind = CredentialKind> = {
  [P in K]: z.infer<(typeof CREDENTIAL_KINDS)[P]["settingsSchema"]>;
}[K];

export function isCredentialKind(value: unknown): value is CredentialKind {
  return typeof value === "string" && Object.hasOwn(CREDENTIAL_KINDS, value);
}

/** The registry entry, seen through the shape every kind shares. */
export function credentialKind(kind: CredentialKind) {
  const definition = CREDENTIAL_KINDS[kind];
  return {
    kind: definition.kind as CredentialKind,
    label: definition.label,
    description: definition.description,
    secretSchema: definition.secretSchema as z.ZodObject,
    settingsSchema: definition.settingsSchema as z.ZodObject,
    hint: definition.hint as (secret: Record<string, string>) => string,
  };
}

/** What /api/v1/credential-kinds serves: the forms for each kind, as JSON Schema. */
export function describeCredentialKinds() {
  return CREDENTIAL_KIND_NAMES.map((name) => {
    const kind = credentialKind(name);
    return {
      kind: kind.kind,
      label: kind.label,
      description: kind.description,
      secretSchema: jsonSchemaOf(kind.secretSchema),
      settingsSchema: jsonSchemaOf(kind.settingsSchema),
    };
  });
}

function jsonSchemaOf(schema: z.ZodType) {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: "input" }) as Record<
    string,
    unknown
  >;
  return rest;
}
