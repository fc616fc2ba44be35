import { BotIcon, KeyRoundIcon, type LucideIcon, UserIcon } from "lucide-react";
import { DateTime } from "@/components/ui/date-time";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import { AuditSummary } from "./audit-summary";
import type { AuditActorType, AuditLogEntry } from "./queries";

const ACTOR_TYPES: Record<AuditActorType, { label: string; icon: LucideIcon }> = {
  user: { label: "User", icon: UserIcon },
  api_key: { label: "API key", icon: KeyRoundIcon },
  system: { label: "System", icon: BotIcon },
};

/** IPv4 clients of a dual-stack server arrive as "::ffff:1.2.3.4"; show the IPv4 form. */
function displayIp(ip: string | null): string {
  if (!ip) return "—";
  return ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, "$1");
}

export function AuditLogTable({ entries }: { entries: AuditLogEntry[] }) {
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Time</TableHead>
          <TableHead>Actor</TableHead>
          <TableHead>Action</TableHead>
          <TableHead>Target</TableHead>
          <TableHead>Summary</TableHead>
          <TableHead>IP</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {entries.map((entry) => (
          <AuditLogRow key={entry.id} entry={entry} />
        ))}
      </TableBody>
    </Table>
  );
}

function AuditLogRow({ entry }: { entry: AuditLogEntry }) {
  const actor = ACTOR_TYPES[entry.actorType] ?? { label: entry.actorType, icon: UserIcon };
  const ActorIcon = actor.icon;
  return (
    <TableRow className="align-top">
      <TableCell className="min-w-32 align-top whitespace-normal text-muted-foreground">
        <DateTime value={entry.createdAt} format="precise" />
      </TableCell>
      <TableCell className="align-top">
        <span className="flex items-center gap-2">
          <span
            title={actor.label}
            className="flex size-6 shrink-0 items-center justify-center rounded-md bg-muted text-muted-foreground"
          >
            <ActorIcon aria-hidden="true" className="size-3.5" />
          </span>
          <span className="sr-only">{actor.label}: </span>
          <span className="max-w-44 truncate" title={entry.actorLabel}>
            {entry.actorLabel}
          </span>
        </span>
      </TableCell>
      <TableCell className="align-top">
        <code className="rounded bg-muted px-1.5 py-0.5 text-xs">{entry.action}</code>
      </TableCell>
      <TableCell className="align-top">
        <div className="text-sm">{entry.targetType}</div>
        {entry.targetId && (
          <div
            className="max-w-32 truncate font-mono text-xs text-muted-foreground"
            title={entry.targetId}
          >
            {entry.targetId}
          </div>
        )}
      </TableCell>
      <TableCell className="min-w-48 align-top whitespace-normal">
        <AuditSummary summary={entry.summary} />
      </TableCell>
      <TableCell className="align-top font-mono text-xs text-muted-foreground">
        <span title={[entry.ip, entry.userAgent].filter(Boolean).join("\n") || undefined}>
          {displayIp(entry.ip)}
        </span>
      </TableCell>
    </TableRow>
  );
}
