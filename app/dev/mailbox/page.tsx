import { InboxIcon } from "lucide-react";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/app-shell/empty-state";
import { PageHeader } from "@/components/app-shell/page-header";
import { Card } from "@/components/ui/card";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import {
  type DevMailboxEmail,
  devMailboxEnabled,
  listDevMailbox,
  splitOnLinks,
} from "@/lib/mail/dev-mailbox";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Dev mailbox", robots: { index: false } };

export default async function DevMailboxPage() {
  if (!devMailboxEnabled()) notFound();
  const emails = await listDevMailbox();

  return (
    <main className="mx-auto w-full max-w-6xl px-6 py-10">
      <PageHeader
        title="Dev mailbox"
        description="Emails OfficeFlow sent while no RESEND_API_KEY was set, newest first. Open one to read it and follow its links."
      />
      {emails.length === 0 ? (
        <EmptyState
          icon={InboxIcon}
          title="No emails yet"
          description="Invitations and other emails appear here, and in the server log, as soon as they are sent."
        />
      ) : (
        <Card className="py-0">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead className="w-44">Sent</TableHead>
                <TableHead className="w-56">To</TableHead>
                <TableHead>Subject</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {emails.map((email) => (
                <MailboxRow key={email.id} email={email} />
              ))}
            </TableBody>
          </Table>
        </Card>
      )}
    </main>
  );
}

function MailboxRow({ email }: { email: DevMailboxEmail }) {
  return (
    <TableRow className="hover:bg-transparent">
      <TableCell className="align-top text-muted-foreground tabular-nums">
        <time dateTime={email.createdAt.toISOString()}>{formatSentAt(email.createdAt)}</time>
      </TableCell>
      <TableCell className="align-top whitespace-normal break-all">{email.to.join(", ")}</TableCell>
      <TableCell className="align-top whitespace-normal">
        <details>
          <summary className="cursor-pointer font-medium marker:text-muted-foreground">
            {email.subject}
          </summary>
          <div className="mt-3 space-y-4">
            <p className="text-xs text-muted-foreground">From {email.from}</p>
            <section aria-label="Plain text">
              <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted-foreground">
                Text
              </h3>
              <pre className="whitespace-pre-wrap break-words rounded-md border bg-muted/40 p-3 font-sans text-sm">
                {splitOnLinks(email.text).map((segment) =>
                  segment.href ? (
                    <a
                      key={segment.offset}
                      href={segment.href}
                      className="text-primary underline underline-offset-2"
                    >
                      {segment.text}
                    </a>
                  ) : (
                    <span key={segment.offset}>{segment.text}</span>
                  ),
                )}
              </pre>
            </section>
            <section aria-label="HTML preview">
              <h3 className="mb-1 text-xs font-medium uppercase tracking-wide text-muted-foreground">
                HTML
              </h3>
              {/* sandbox="" runs no scripts and gives the email no access to this origin. */}
              <iframe
                title={`HTML preview of ${email.subject}`}
                sandbox=""
                srcDoc={email.html}
                className="h-[32rem] w-full rounded-md border bg-white"
              />
            </section>
          </div>
        </details>
      </TableCell>
    </TableRow>
  );
}

function formatSentAt(date: Date): string {
  return `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
