import "server-only";
import { db } from "@/lib/db/client";

// The dev mailbox stands in for an inbox when no Resend key is configured:
// every email is stored (and logged) so sign-up and invitation flows can be
// completed offline, by clicking the link on /dev/mailbox.

export type DevMailboxEmail = {
  id: string;
  to: string[];
  from: string;
  subject: string;
  html: string;
  text: string;
  createdAt: Date;
};

/**
 * Production never falls back to the dev mailbox (a missing key must fail
 * loudly), unless OFFICEFLOW_DEV_MAILBOX=1 opts in, as the e2e build does.
 */
export function devMailboxEnabled(env: Record<string, string | undefined> = process.env): boolean {
  return env.NODE_ENV !== "production" || env.OFFICEFLOW_DEV_MAILBOX === "1";
}

/** A run of text; `href` is set when the run is a link. `offset` is its position in the text. */
export type TextSegment = { text: string; href?: string; offset: number };

// http(s) URLs up to whitespace or a character that cannot end a URL in prose.
const LINK_PATTERN = /https?:\/\/[^\s<>"'`]+/g;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}]+$/;

/** Splits text into plain runs and http(s) links, so links can be rendered clickable. */
export function splitOnLinks(text: string): TextSegment[] {
  const segments: TextSegment[] = [];
  let cursor = 0;
  for (const match of text.matchAll(LINK_PATTERN)) {
    // "see https://x.test/a." ends a sentence; the full stop is not part of the link.
    const href = match[0].replace(TRAILING_PUNCTUATION, "");
    if (match.index > cursor) {
      segments.push({ text: text.slice(cursor, match.index), offset: cursor });
    }
    segments.push({ text: href, href, offset: match.index });
    cursor = match.index + href.length;
  }
  if (cursor < text.length) segments.push({ text: text.slice(cursor), offset: cursor });
  return segments;
}

export function findLinks(text: string): string[] {
  return splitOnLinks(text).flatMap((segment) => (segment.href ? [segment.href] : []));
}

/** Stores the email in the dev mailbox and prints one line about it, links included. */
export async function deliverToDevMailbox(email: Omit<DevMailboxEmail, "id" | "createdAt">) {
  const stored = await db().devMailboxEmail.create({ data: email, select: { id: true } });
  const links = findLinks(email.text);
  console.info(
    `[dev-mailbox] to=${email.to.join(",")} subject=${JSON.stringify(email.subject)}${
      links.length > 0 ? ` links=${links.join(" ")}` : ""
    }`,
  );
  return stored;
}

/** The latest emails in the dev mailbox, newest first. */
export async function listDevMailbox(limit = 50): Promise<DevMailboxEmail[]> {
  return db().devMailboxEmail.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: Math.min(Math.max(Math.trunc(limit), 1), 500),
  });
}
