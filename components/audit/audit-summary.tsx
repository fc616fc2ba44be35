// An audit entry's summary JSON, compactly: one "key value" line per field, with
// { from, to } changes shown as "from → to". The full JSON is in the tooltip.

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function compact(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "—";
  return JSON.stringify(value);
}

function formatField(value: unknown): string {
  if (isRecord(value) && Object.keys(value).length === 2 && "from" in value && "to" in value) {
    return `${compact(value.from)} → ${compact(value.to)}`;
  }
  return compact(value);
}

export function AuditSummary({ summary }: { summary: unknown }) {
  if (!isRecord(summary)) {
    return summary === null || summary === undefined ? (
      <span className="text-muted-foreground">—</span>
    ) : (
      <code className="text-xs">{compact(summary)}</code>
    );
  }
  // Postgres jsonb does not keep key order ("to" comes back before "from"), so put a
  // flat from/to pair last, in reading order.
  const rank = (key: string) => (key === "from" ? 1 : key === "to" ? 2 : 0);
  const fields = Object.entries(summary).sort(([a], [b]) => rank(a) - rank(b));
  if (fields.length === 0) return <span className="text-muted-foreground">—</span>;
  return (
    <dl
      title={JSON.stringify(summary, null, 2)}
      className="grid max-w-md grid-cols-[auto_1fr] gap-x-2 gap-y-0.5 font-mono text-xs"
    >
      {fields.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="text-muted-foreground">{key}</dt>
          <dd className="break-words">{formatField(value)}</dd>
        </div>
      ))}
    </dl>
  );
}
