import { LockIcon, UnlockIcon } from "lucide-react";
import type { ReactNode } from "react";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import type { ApiOperation } from "./api-reference-model";
import { FieldsTable } from "./fields-table";
import { InlineCodeText } from "./inline-code-text";
import { JsonBlock } from "./json-block";
import { MethodBadge } from "./method-badge";
import { propertiesOf } from "./schema-summary";

function statusVariant(status: string): BadgeVariant {
  if (status.startsWith("2")) return "completed";
  if (status.startsWith("4")) return "waiting";
  return "failed";
}

/** A path with its {placeholders} picked out. */
function PathTemplate({ path }: { path: string }) {
  return (
    <code className="font-mono text-sm font-medium break-all">
      {path.split(/(\{[^}]+\})/).map((part, index) =>
        part.startsWith("{") ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed path never reorder
          <span key={index} className="text-primary">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </code>
  );
}

function SubHeading({ children }: { children: ReactNode }) {
  return (
    <h4 className="text-xs font-semibold tracking-wide text-muted-foreground uppercase">
      {children}
    </h4>
  );
}

export function OperationSection({ operation }: { operation: ApiOperation }) {
  const titleId = `${operation.id}-title`;
  const bodyFields = operation.requestBody ? propertiesOf(operation.requestBody.schema) : [];
  return (
    <section
      id={operation.id}
      aria-labelledby={titleId}
      className="grid scroll-mt-24 gap-5 rounded-xl border bg-card p-5 shadow-xs"
    >
      <header className="grid gap-2">
        <div className="flex flex-wrap items-center gap-2">
          <MethodBadge method={operation.method} className="w-16" />
          <PathTemplate path={operation.path} />
        </div>
        <h3 id={titleId} className="text-base font-semibold">
          {operation.summary}
        </h3>
        <p className="flex flex-wrap items-center gap-2 text-sm text-muted-foreground">
          {operation.permission ? (
            <>
              <LockIcon aria-hidden="true" className="size-3.5" />
              Requires the permission
              <Badge variant="secondary" className="font-mono">
                {operation.permission}
              </Badge>
            </>
          ) : (
            <>
              <UnlockIcon aria-hidden="true" className="size-3.5" />
              Public: no session or API key needed
            </>
          )}
        </p>
      </header>

      {operation.parameters.length > 0 && (
        <div className="grid gap-2">
          <SubHeading>Parameters</SubHeading>
          <FieldsTable
            caption={`Parameters of ${operation.method.toUpperCase()} ${operation.path}`}
            rows={operation.parameters}
          />
        </div>
      )}

      {operation.requestBody && (
        <div className="grid gap-2">
          <SubHeading>
            Request body{" "}
            <span className="font-mono font-normal normal-case">
              ({operation.requestBody.contentType})
            </span>
          </SubHeading>
          {bodyFields.length > 0 && (
            <FieldsTable
              caption={`Request body fields of ${operation.method.toUpperCase()} ${operation.path}`}
              rows={bodyFields}
            />
          )}
          <JsonBlock
            value={operation.requestBody.schema}
            label={`JSON Schema of the request body of ${operation.method.toUpperCase()} ${operation.path}`}
          />
        </div>
      )}

      <div className="grid gap-2">
        <SubHeading>Responses</SubHeading>
        <ul className="grid gap-1.5 text-sm">
          {operation.responses.map((response) => (
            <li key={response.status} className="flex items-start gap-3">
              <Badge
                variant={statusVariant(response.status)}
                className="w-12 justify-center font-mono"
              >
                {response.status}
              </Badge>
              <span className="text-muted-foreground">
                <InlineCodeText text={response.description} />
              </span>
            </li>
          ))}
        </ul>
      </div>
    </section>
  );
}
