import { Badge } from "@/components/ui/badge";
import {
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
} from "@/components/ui/table";
import type { JsonSchema } from "./api-reference-model";
import { constraintsOf, typeLabel } from "./schema-summary";

export type FieldRow = {
  name: string;
  /** Where a parameter goes (path, query); absent for body fields. */
  location?: string;
  required: boolean;
  description?: string;
  schema: JsonSchema;
};

export function FieldsTable({ rows, caption }: { rows: FieldRow[]; caption: string }) {
  const showLocation = rows.some((row) => row.location);
  return (
    <div className="rounded-md border">
      <Table>
        <caption className="sr-only">{caption}</caption>
        <TableHeader>
          <TableRow className="hover:bg-transparent">
            <TableHead>Name</TableHead>
            {showLocation && <TableHead>In</TableHead>}
            <TableHead>Type</TableHead>
            <TableHead>Notes</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {rows.map((row) => {
            const notes = [
              ...(row.description ?? (row.schema.description as string | undefined) ?? "")
                .split("\n")
                .filter(Boolean),
              ...constraintsOf(row.schema),
            ];
            return (
              <TableRow key={`${row.location ?? "body"}-${row.name}`}>
                <TableCell className="align-top">
                  <span className="flex items-center gap-2">
                    <code className="font-mono text-xs font-semibold">{row.name}</code>
                    {row.required && (
                      <Badge variant="outline" className="text-[0.65rem] text-muted-foreground">
                        required
                      </Badge>
                    )}
                  </span>
                </TableCell>
                {showLocation && (
                  <TableCell className="align-top text-xs text-muted-foreground">
                    {row.location}
                  </TableCell>
                )}
                <TableCell className="align-top font-mono text-xs whitespace-normal">
                  {typeLabel(row.schema)}
                </TableCell>
                <TableCell className="min-w-56 align-top text-xs whitespace-normal text-muted-foreground [overflow-wrap:anywhere]">
                  {notes.length > 0 ? notes.join(" · ") : "—"}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </div>
  );
}
