import { FileJsonIcon } from "lucide-react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import type { ApiReference as ApiReferenceModel } from "./api-reference-model";
import { InlineCodeText } from "./inline-code-text";
import { JsonBlock } from "./json-block";
import { MethodBadge } from "./method-badge";
import { OperationSection } from "./operation-section";

export const OPENAPI_JSON_PATH = "/api/v1/openapi.json";

function schemeUsage(scheme: ApiReferenceModel["securitySchemes"][number]): string {
  if (scheme.type === "http" && scheme.scheme === "bearer") return "Authorization: Bearer <key>";
  if (scheme.type === "apiKey" && scheme.in && scheme.name) return `${scheme.in} ${scheme.name}`;
  return scheme.type;
}

const SCHEME_TITLE: Record<string, string> = {
  apiKey: "API key",
  session: "Browser session",
};

function Contents({ reference }: { reference: ApiReferenceModel }) {
  return (
    <nav aria-label="API operations" className="text-sm lg:sticky lg:top-24">
      <p className="mb-3 font-semibold">Contents</p>
      <ul className="grid gap-4">
        {reference.groups.map((group) => (
          <li key={group.id}>
            <a
              href={`#${group.id}`}
              className="rounded-sm font-medium hover:text-primary focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
            >
              {group.tag}
            </a>
            <ul className="mt-1.5 grid gap-1 border-l pl-3">
              {group.operations.map((operation) => (
                <li key={operation.id}>
                  <a
                    href={`#${operation.id}`}
                    className="flex items-start gap-2 rounded-sm text-muted-foreground hover:text-foreground focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
                  >
                    <MethodBadge
                      method={operation.method}
                      className="mt-0.5 w-12 px-1 py-0 text-[0.6rem]"
                    />
                    <span className="min-w-0">{operation.summary}</span>
                  </a>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
    </nav>
  );
}

/** The whole reference: introduction, authentication, errors, then every operation by tag. */
export function ApiReference({ reference }: { reference: ApiReferenceModel }) {
  return (
    <div className="mx-auto grid max-w-6xl gap-10 px-6 py-12 lg:grid-cols-[15rem_minmax(0,1fr)]">
      <aside className="hidden lg:block">
        <Contents reference={reference} />
      </aside>
      <div className="grid min-w-0 gap-12">
        <section aria-labelledby="api-reference-heading" className="grid gap-4">
          <div className="flex flex-wrap items-center gap-3">
            <h1 id="api-reference-heading" className="text-3xl font-semibold tracking-tight">
              API reference
            </h1>
            <Badge variant="outline">
              {reference.title} {reference.version}
            </Badge>
          </div>
          {reference.description && (
            <p className="max-w-3xl text-muted-foreground">
              <InlineCodeText text={reference.description} />
            </p>
          )}
          <dl className="grid max-w-3xl gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
            <dt className="font-medium">Base URL</dt>
            <dd>
              <code className="font-mono">{reference.baseUrl || "/"}</code>, relative to this site
            </dd>
            {reference.securitySchemes.map((scheme) => (
              <div key={scheme.id} className="contents">
                <dt className="font-medium">{SCHEME_TITLE[scheme.id] ?? scheme.id}</dt>
                <dd className="text-muted-foreground">
                  <code className="font-mono text-foreground">{schemeUsage(scheme)}</code>
                  {scheme.description && <> — {scheme.description}</>}
                </dd>
              </div>
            ))}
          </dl>
          <div>
            <Button asChild variant="outline" size="sm">
              <a href={OPENAPI_JSON_PATH}>
                <FileJsonIcon aria-hidden="true" />
                OpenAPI document (JSON)
              </a>
            </Button>
          </div>
          {reference.errorSchema && (
            <div className="grid max-w-3xl gap-2">
              <h2 className="text-lg font-semibold">Errors</h2>
              <p className="text-sm text-muted-foreground">
                Every error has the same body. Invalid input answers 400 with an{" "}
                <code className="font-mono">issues</code> entry per field at fault; 429 answers
                carry a <code className="font-mono">Retry-After</code> header.
              </p>
              <JsonBlock value={reference.errorSchema} label="JSON Schema of the error body" />
            </div>
          )}
        </section>

        {reference.groups.map((group) => (
          <section
            key={group.id}
            id={group.id}
            aria-labelledby={`${group.id}-heading`}
            className="grid scroll-mt-24 gap-5"
          >
            <h2 id={`${group.id}-heading`} className="text-xl font-semibold tracking-tight">
              {group.tag}
            </h2>
            {group.operations.map((operation) => (
              <OperationSection key={operation.id} operation={operation} />
            ))}
          </section>
        ))}
      </div>
    </div>
  );
}
