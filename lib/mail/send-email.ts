import "server-only";
import { Resend } from "resend";
import { z } from "zod";
import { parseRetryAfter } from "@/lib/engine/node-error";
import { EnvError } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { deliverToDevMailbox, devMailboxEnabled } from "@/lib/mail/dev-mailbox";

export const DEFAULT_EMAIL_FROM = "OfficeFlow <no-reply@officeflow.local>";

// `.env` files often carry `RESEND_API_KEY=`; an empty value means "not set".
const optionalString = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const FROM_ADDRESS = /^(?:[^<>\r\n]+<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

const mailEnvSchema = z.object({
  RESEND_API_KEY: optionalString(
    z.string().trim().startsWith("re_", "must be a Resend API key (starts with re_)"),
  ),
  // The SDK would read RESEND_BASE_URL itself, but we pass it explicitly so the value is
  // validated, and strip a trailing slash because the SDK concatenates `${baseUrl}${path}`.
  RESEND_BASE_URL: optionalString(
    z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://api.resend.com" })
      .transform((url) => url.replace(/\/+$/, "")),
  ),
  EMAIL_FROM: optionalString(
    z.string().regex(FROM_ADDRESS, 'must be an address or "Name <address>"'),
  ).transform((from) => from ?? DEFAULT_EMAIL_FROM),
});

type MailConfig = z.infer<typeof mailEnvSchema>;

function readMailConfig(env: Record<string, string | undefined>): MailConfig {
  const result = mailEnvSchema.safeParse(env);
  if (result.success) return result.data;
  throw new EnvError(
    result.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "(unknown)"),
      message: issue.message,
    })),
  );
}

// Tag and idempotency-key limits from https://resend.com/docs/api-reference/emails/send-email
// and https://resend.com/docs/dashboard/emails/idempotency-keys.
const emailMessageSchema = z
  .object({
    to: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(50)]),
    cc: z.array(z.string().min(1)).max(50).optional(),
    replyTo: z.string().min(1).optional(),
    subject: z.string().min(1),
    html: z.string(),
    text: z.string(),
    idempotencyKey: z.string().min(1).max(256).optional(),
    tags: z
      .array(
        z.object({
          name: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/),
          value: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/),
        }),
      )
      .optional(),
  })
  .refine((message) => message.html !== "" || message.text !== "", {
    message: "an email needs html or text",
  });

export type EmailMessage = z.input<typeof emailMessageSchema>;

// An organisation's own Resend account (a `resend` credential) and sender.
const senderSchema = z
  .object({
    apiKey: z.string().trim().min(1).optional(),
    from: z.string().regex(FROM_ADDRESS, 'must be an address or "Name <address>"').optional(),
  })
  .refine((sender) => sender.from === undefined || sender.apiKey !== undefined, {
    // The platform account may only send as EMAIL_FROM: its domain is not the organisation's.
    message: "a sender address needs the organisation's own Resend API key",
    path: ["from"],
  });

export type EmailSender = z.input<typeof senderSchema>;
export type EmailReceipt = { id: string; delivery: "resend" | "dev-mailbox" };

/** Resend refused or could not take the email. The message is the provider's, never the key. */
export class EmailDeliveryError extends AppError {
  readonly status = 502;
  readonly code = "email_delivery_failed";
  constructor(
    message: string,
    /** Resend's error name, e.g. `validation_error` or `rate_limit_exceeded`. */
    readonly providerCode: string,
    readonly providerStatus: number | null,
    /** Resend's Retry-After (on 429), in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "EmailDeliveryError";
  }
}

/**
 * Sends an email through Resend, or, without a Resend key outside production,
 * into the dev mailbox (/dev/mailbox) and the server log. `sender` switches to
 * an organisation's own Resend key and from address.
 */
export async function sendEmail(
  message: EmailMessage,
  sender: EmailSender = {},
): Promise<EmailReceipt> {
  const config = readMailConfig(process.env);
  const email = emailMessageSchema.parse(message);
  const override = senderSchema.parse(sender);
  const to = Array.isArray(email.to) ? email.to : [email.to];
  const apiKey = override.apiKey ?? config.RESEND_API_KEY;
  const from = override.from ?? config.EMAIL_FROM;

  if (!apiKey) {
    if (!devMailboxEnabled()) {
      throw new EnvError([
        {
          variable: "RESEND_API_KEY",
          message:
            "is required in production to send email (set OFFICEFLOW_DEV_MAILBOX=1 to use the dev mailbox instead)",
        },
      ]);
    }
    const stored = await deliverToDevMailbox({
      to,
      from,
      subject: email.subject,
      html: email.html,
      text: email.text,
    });
    return { id: stored.id, delivery: "dev-mailbox" };
  }

  const resend = new Resend(
    apiKey,
    config.RESEND_BASE_URL ? { baseUrl: config.RESEND_BASE_URL } : undefined,
  );
  // The SDK resolves (never rejects) with { data, error, headers }, network failures included.
  const { data, error, headers } = await resend.emails.send(
    {
      from,
      to,
      cc: email.cc,
      replyTo: email.replyTo,
      subject: email.subject,
      html: email.html,
      text: email.text,
      tags: email.tags,
    },
    { idempotencyKey: email.idempotencyKey },
  );
  if (error) {
    throw new EmailDeliveryError(
      `Resend did not accept the email (${error.name}${
        error.statusCode ? `, HTTP ${error.statusCode}` : ""
      }): ${redact(error.message, [apiKey, config.RESEND_API_KEY])}`,
      error.name,
      error.statusCode,
      parseRetryAfter(headers?.["retry-after"]),
    );
  }
  return { id: data.id, delivery: "resend" };
}

// Providers sometimes echo the credential back (e.g. "API key re_… is invalid").
function redact(text: string, secrets: (string | undefined)[]): string {
  let redacted = text;
  for (const secret of secrets) if (secret) redacted = redacted.split(secret).join("[redacted]");
  return redacted;
}
