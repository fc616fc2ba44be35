import { z } from "zod";
import { permanentFailure, retriableFailure } from "@/lib/engine/node-error";
import { escapeHtml } from "@/lib/mail/escape-html";
import { defineActionKind, type NodeContext } from "./node-kind";

// Sends one email through Resend: the organisation's own account when a
// `resend` credential is chosen (which also allows its own from address),
// otherwise the platform mailer. Exactly once per step (RELIABILITY I3/D3):
// every attempt sends the same Idempotency-Key, and Resend answers a repeated
// key with the original response instead of sending again for 24 h
// (https://resend.com/docs/dashboard/emails/idempotency-keys). Recipients come
// only from this node's config; the engine has already filled in its
// templates.

export const MAX_EMAIL_RECIPIENTS = 50;

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
// "address" or "Display Name <address>", as lib/mail accepts for EMAIL_FROM.
const FROM_ADDRESS = /^(?:[^<>\r\n]+<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;
const MAX_SUBJECT_LENGTH = 998;

const credentialId = z.guid("must be a credential id");

const config = z
  .object({
    /** Comma-separated addresses or templates, e.g. `{{ employee.email }}, it@acme.com`. */
    to: z.string().trim().min(1, "is required").max(5000),
    cc: z.string().trim().max(5000).optional(),
    subject: z.string().trim().min(1, "is required").max(MAX_SUBJECT_LENGTH),
    /** Plain text; blank lines separate paragraphs in the HTML version. */
    body: z.string().min(1, "is required").max(100_000),
    replyTo: z.string().trim().max(500).optional(),
    /** A Resend credential; without one the platform mailer sends as OfficeFlow. */
    credentialId: credentialId.optional(),
    /** "address" or "Name <address>"; only with the organisation's own Resend credential. */
    from: z.string().trim().max(500).optional(),
  })
  .strict();
type EmailConfig = z.infer<typeof config>;

const output = z.object({ messageId: z.string(), to: z.array(z.string()) });

type Message = {
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  html: string;
  replyTo: string | undefined;
  from: string | undefined;
};

export const emailKind = defineActionKind({
  kind: "email",
  label: "Send email",
  description: "Sends an email, through your Resend account or OfficeFlow's mailer.",
  category: "messaging",
  config,
  output,
  sideEffects: true,
  longTextFields: ["body"],
  credentialFields: { credentialId: ["resend"] },
  defaultConfig: {
    to: "{{ employee.email }}",
    subject: "Welcome to the team, {{ employee.firstName }}!",
    // Only fields every employee has: an optional one (startDate) may be absent at run time.
    body: "Hi {{ employee.firstName }},\n\nWelcome aboard!",
  },
  check(config) {
    const issues: { field: string; message: string }[] = [];
    if (config.from && !config.credentialId)
      issues.push({
        field: "from",
        message:
          "needs a Resend credential: without one, email is sent by OfficeFlow's mailer as OfficeFlow",
      });
    // Addresses written without templates can be checked now rather than at run time.
    for (const field of ["to", "cc", "replyTo"] as const) {
      const value = config[field];
      if (!value || value.includes("{{") || value.includes("{%")) continue;
      const invalid = splitAddresses(value).find((address) => !EMAIL.test(address));
      if (invalid) issues.push({ field, message: `"${invalid}" is not an email address` });
    }
    if (config.from && !config.from.includes("{{") && !FROM_ADDRESS.test(config.from))
      issues.push({ field: "from", message: 'must be an address or "Name <address>"' });
    return issues;
  },
  async execute(context) {
    const { config, credentials, services } = context;
    const message = composeMessage(config);
    const apiKey = config.credentialId
      ? (await credentials.read(config.credentialId, ["resend"])).secret.apiKey
      : undefined;
    if (config.credentialId && !apiKey)
      throw permanentFailure("the Resend credential has no API key");
    try {
      const { id } = await services.sendEmail(
        {
          to: message.to,
          ...(message.cc.length > 0 ? { cc: message.cc } : {}),
          subject: message.subject,
          html: message.html,
          text: message.text,
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
          idempotencyKey: effectKey(context),
        },
        { apiKey: apiKey ?? null, from: message.from ?? null },
      );
      return { messageId: id, to: message.to };
    } catch (error) {
      throw classifySendFailure(error, apiKey);
    }
  },
  async preview({ config }) {
    const message = composeMessage(config);
    return {
      wouldSend: {
        to: message.to,
        cc: message.cc,
        subject: message.subject,
        text: message.text,
        ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        ...(message.from ? { from: message.from } : {}),
      },
      output: { messageId: "test-run", to: message.to },
    };
  },
});

/** The provider's idempotency key: one per step of one run (a loop's items each have their own). */
export function effectKey({ run, node }: NodeContext<unknown>): string {
  return `${run.id}:${node.key}`;
}

function composeMessage(config: EmailConfig): Message {
  const to = addresses("to", config.to);
  if (to.length === 0) throw permanentFailure("to: the recipients rendered empty");
  const cc = addresses("cc", config.cc ?? "").filter(
    (address) => !to.some((recipient) => recipient.toLowerCase() === address.toLowerCase()),
  );
  // A subject is one header line; a template may have brought line breaks in.
  const subject = config.subject.replace(/\s*[\r\n]+\s*/g, " ").trim();
  if (subject === "") throw permanentFailure("subject: rendered empty");
  if (subject.length > MAX_SUBJECT_LENGTH)
    throw permanentFailure(`subject: ${subject.length} characters; at most ${MAX_SUBJECT_LENGTH}`);
  const text = config.body.replace(/\r\n?/g, "\n").trim();
  if (text === "") throw permanentFailure("body: rendered empty");
  const replyTo = config.replyTo?.trim() || undefined;
  if (replyTo && !EMAIL.test(replyTo))
    throw permanentFailure(`replyTo: "${replyTo}" is not an email address`);
  const from = config.from?.trim() || undefined;
  if (from && !config.credentialId)
    throw permanentFailure("from: a sender address needs a Resend credential on this node");
  if (from && !FROM_ADDRESS.test(from))
    throw permanentFailure(`from: "${from}" must be an address or "Name <address>"`);
  return { to, cc, subject, text, html: textToHtml(text), replyTo, from };
}

function splitAddresses(value: string): string[] {
  return value
    .split(/[,;]/)
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Rendered, validated, de-duplicated (case-insensitively) addresses of one field. */
function addresses(field: "to" | "cc", value: string): string[] {
  const unique = new Map<string, string>();
  for (const address of splitAddresses(value)) {
    if (!EMAIL.test(address))
      throw permanentFailure(`${field}: "${address.slice(0, 100)}" is not an email address`);
    if (!unique.has(address.toLowerCase())) unique.set(address.toLowerCase(), address);
  }
  if (unique.size > MAX_EMAIL_RECIPIENTS)
    throw permanentFailure(
      `${field}: ${unique.size} addresses; an email may have at most ${MAX_EMAIL_RECIPIENTS}`,
    );
  return [...unique.values()];
}

/** Plain text → HTML: escaped, blank-line-separated paragraphs, single newlines as <br>. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n\s*/)
    .map((paragraph) => paragraph.trim())
    .filter(Boolean)
    .map((paragraph) => `<p>${escapeHtml(paragraph).replace(/[ \t]*\n[ \t]*/g, "<br>\n")}</p>`)
    .join("\n");
}

/** What lib/mail's EmailDeliveryError carries; the port does not name the class. */
type ProviderRefusal = Error & {
  providerCode: string;
  providerStatus: number | null;
  retryAfterMs?: number;
};

function isProviderRefusal(error: unknown): error is ProviderRefusal {
  return error instanceof Error && "providerCode" in error && "providerStatus" in error;
}

// Resend error codes: https://resend.com/docs/api-reference/errors
const RETRIABLE_CONFLICTS = new Set(["concurrent_idempotent_requests"]);
const QUOTA_CODES = new Set(["daily_quota_exceeded", "monthly_quota_exceeded"]);

function classifySendFailure(error: unknown, apiKey: string | undefined): unknown {
  if (!isProviderRefusal(error)) return error;
  const message = apiKey ? error.message.split(apiKey).join("[redacted]") : error.message;
  const status = error.providerStatus;
  // No status: Resend could not be reached (network, DNS, timeout).
  if (status === null) return retriableFailure(message);
  // A spent quota does not come back within a step's retries.
  if (QUOTA_CODES.has(error.providerCode)) return permanentFailure(message);
  if (status === 429 || status >= 500 || RETRIABLE_CONFLICTS.has(error.providerCode))
    return retriableFailure(message, error.retryAfterMs);
  return permanentFailure(message);
}
