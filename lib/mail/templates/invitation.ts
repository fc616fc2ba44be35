import { escapeHtml } from "@/lib/mail/escape-html";

export type InvitationEmailInput = {
  organizationName: string;
  inviterName: string;
  role: "owner" | "admin" | "editor" | "viewer";
  acceptUrl: string;
  expiresAt: Date;
};

export type RenderedEmail = { subject: string; html: string; text: string };

const ROLE_PHRASE: Record<InvitationEmailInput["role"], string> = {
  owner: "an owner",
  admin: "an admin",
  editor: "an editor",
  viewer: "a viewer",
};

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

/**
 * "Tuesday 1 December 2026 at 09:30 UTC". The recipient may be anywhere, so the
 * expiry is stated in UTC and says so; built by hand because Intl's punctuation
 * changes between ICU versions.
 */
export function formatExpiryUtc(date: Date): string {
  if (Number.isNaN(date.getTime())) throw new Error("expiresAt is not a valid date");
  const time = [date.getUTCHours(), date.getUTCMinutes()]
    .map((part) => String(part).padStart(2, "0"))
    .join(":");
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} at ${time} UTC`;
}

/** The email inviting someone to join an organisation. */
export function invitationEmail(input: InvitationEmailInput): RenderedEmail {
  const url = new URL(input.acceptUrl);
  // The link becomes an href; anything but http(s) (e.g. javascript:) has no place in an email.
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`acceptUrl must be an http(s) URL, got ${url.protocol}`);
  }
  const acceptUrl = url.toString();
  const role = ROLE_PHRASE[input.role];
  const expiry = formatExpiryUtc(input.expiresAt);

  // Names are user-chosen; a line break in a subject would be a header-injection attempt.
  const subject = singleLine(
    `${input.inviterName} invited you to join ${input.organizationName} on OfficeFlow`,
  );

  const text = [
    `${input.inviterName} has invited you to join ${input.organizationName} on OfficeFlow as ${role}.`,
    "",
    "Accept the invitation:",
    acceptUrl,
    "",
    `This invitation expires on ${expiry}.`,
    "If you weren't expecting it, you can ignore this email.",
  ].join("\n");

  const html = renderInvitationHtml({
    preheader: escapeHtml(`Join ${input.organizationName} on OfficeFlow`),
    organizationName: escapeHtml(input.organizationName),
    inviterName: escapeHtml(input.inviterName),
    role: escapeHtml(role),
    acceptUrl: escapeHtml(acceptUrl),
    expiry: escapeHtml(expiry),
  });

  return { subject, html, text };
}

function singleLine(value: string): string {
  return value.replace(/\s+/g, " ").trim();
}

type EscapedInvitation = {
  preheader: string;
  organizationName: string;
  inviterName: string;
  role: string;
  acceptUrl: string;
  expiry: string;
};

// Tables, inline styles and a bgcolor-backed button: the subset that renders the
// same in Outlook, Gmail and Apple Mail (no flexbox, no external CSS).
// Every value passed in is already HTML-escaped.
function renderInvitationHtml(v: EscapedInvitation): string {
  const font =
    "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;";
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>Invitation to ${v.organizationName}</title>
</head>
<body style="margin:0;padding:0;background-color:#f4f4f5;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${v.preheader}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background-color:#f4f4f5;">
<tr>
<td align="center" style="padding:32px 16px;">
<table role="presentation" width="560" cellpadding="0" cellspacing="0" border="0" style="width:100%;max-width:560px;background-color:#ffffff;border:1px solid #e4e4e7;border-radius:8px;">
<tr>
<td style="padding:32px 32px 0 32px;${font}font-size:14px;font-weight:600;color:#4f46e5;">OfficeFlow</td>
</tr>
<tr>
<td style="padding:16px 32px 0 32px;${font}font-size:22px;line-height:30px;font-weight:600;color:#18181b;">Join ${v.organizationName} on OfficeFlow</td>
</tr>
<tr>
<td style="padding:12px 32px 0 32px;${font}font-size:15px;line-height:24px;color:#3f3f46;"><strong>${v.inviterName}</strong> has invited you to join <strong>${v.organizationName}</strong> as ${v.role}.</td>
</tr>
<tr>
<td style="padding:24px 32px 0 32px;">
<table role="presentation" cellpadding="0" cellspacing="0" border="0">
<tr>
<td align="center" bgcolor="#4f46e5" style="border-radius:6px;background-color:#4f46e5;">
<a href="${v.acceptUrl}" target="_blank" rel="noopener" style="display:inline-block;padding:12px 24px;${font}font-size:15px;font-weight:600;color:#ffffff;text-decoration:none;border-radius:6px;">Accept invitation</a>
</td>
</tr>
</table>
</td>
</tr>
<tr>
<td style="padding:24px 32px 0 32px;${font}font-size:13px;line-height:20px;color:#71717a;">Or paste this link into your browser:<br><a href="${v.acceptUrl}" target="_blank" rel="noopener" style="color:#4f46e5;word-break:break-all;">${v.acceptUrl}</a></td>
</tr>
<tr>
<td style="padding:24px 32px 32px 32px;${font}font-size:13px;line-height:20px;color:#71717a;">This invitation expires on ${v.expiry}. If you weren't expecting it, you can ignore this email.</td>
</tr>
</table>
</td>
</tr>
</table>
</body>
</html>`;
}
