"use client";

import { PlusIcon } from "lucide-react";
import { type FormEvent, useId, useState } from "react";
import { useOrg } from "@/components/org/org-context";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api-client";
import {
  useCreateWebhookEndpoint,
  type WebhookEndpointWithSecret,
  type WebhookSourceType,
} from "./webhook-queries";
import { WebhookSecretPanel } from "./webhook-secret-panel";
import {
  EMPTY_HMAC,
  EventFilterFields,
  HmacHeaderFields,
  type HmacValues,
  hmacConfigOf,
  issueText,
  SELECT_CLASS,
} from "./webhook-source-fields";

export const SOURCES: { value: WebhookSourceType; label: string; description: string }[] = [
  {
    value: "standard_webhooks",
    label: "Standard Webhooks",
    description:
      "For senders that follow standardwebhooks.com (Svix and others). OfficeFlow generates the whsec_ secret.",
  },
  {
    value: "bamboohr",
    label: "BambooHR",
    description:
      "BambooHR signs each delivery with the private key it shows on the webhook's page. Paste that key below.",
  },
  {
    value: "hmac_header",
    label: "HMAC signature header",
    description: "For any sender that puts an HMAC of the body in a header you name.",
  },
];

export function sourceLabel(sourceType: string): string {
  return SOURCES.find((source) => source.value === sourceType)?.label ?? sourceType;
}

/** Creates an endpoint, then shows its generated secret once; closing the dialog forgets it. */
export function CreateWebhookEndpointDialog() {
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<Required<WebhookEndpointWithSecret> | null>(null);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) setCreated(null);
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" />
          Add endpoint
        </Button>
      </DialogTrigger>
      <DialogContent
        className="sm:max-w-2xl"
        // A stray click outside must not throw away a secret that cannot be shown again.
        onInteractOutside={(event) => {
          if (created) event.preventDefault();
        }}
      >
        {created ? (
          <div className="grid gap-4">
            <DialogHeader>
              <DialogTitle>Endpoint “{created.endpoint.name}” created</DialogTitle>
              <DialogDescription>
                Give the sender this URL and signing secret. Deliveries are checked against the
                secret before anything starts.
              </DialogDescription>
            </DialogHeader>
            <WebhookSecretPanel secret={created.secret} url={created.endpoint.url} />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done, I stored it</Button>
            </DialogFooter>
          </div>
        ) : (
          open && (
            <CreateForm
              onCreated={(answer) => {
                if (answer.secret) setCreated({ endpoint: answer.endpoint, secret: answer.secret });
                else {
                  toast({
                    title: `Endpoint “${answer.endpoint.name}” created`,
                    description: "Copy its URL from the list into the sender.",
                    variant: "success",
                  });
                  onOpenChange(false);
                }
              }}
              onCancel={() => onOpenChange(false)}
            />
          )
        )}
      </DialogContent>
    </Dialog>
  );
}

const INLINE_FIELD = /^(name|sourceType|secret|config(\..+)?)$/;

function CreateForm({
  onCreated,
  onCancel,
}: {
  onCreated: (answer: WebhookEndpointWithSecret) => void;
  onCancel: () => void;
}) {
  const { organization } = useOrg();
  const ids = useId();
  const create = useCreateWebhookEndpoint(organization.slug);
  const [name, setName] = useState("");
  const [sourceType, setSourceType] = useState<WebhookSourceType>("standard_webhooks");
  const [hmac, setHmac] = useState<HmacValues>(EMPTY_HMAC);
  const [eventTypes, setEventTypes] = useState<string[]>([]);
  const [mapping, setMapping] = useState("");
  const [secret, setSecret] = useState("");
  const error = create.error instanceof ApiError ? create.error : null;
  const source = SOURCES.find((candidate) => candidate.value === sourceType);
  const bamboo = sourceType === "bamboohr";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const config: Record<string, unknown> = {
      ...(sourceType === "hmac_header" ? hmacConfigOf(hmac) : {}),
      ...(eventTypes.length > 0 ? { eventTypes } : {}),
      ...(mapping.trim() ? { mapping } : {}),
    };
    create.mutate(
      {
        name: name.trim(),
        sourceType,
        config,
        ...(secret.trim() ? { secret } : {}),
      },
      {
        onSuccess: onCreated,
        onError: (failure) => {
          if (failure instanceof ApiError && failure.issues.some((i) => INLINE_FIELD.test(i.field)))
            return;
          toast({
            title: "Could not create the endpoint",
            description: failure.message,
            variant: "destructive",
          });
        },
      },
    );
  }

  const nameError = error?.issueFor("name");
  const secretError = error?.issueFor("secret");
  const configError = error?.issueFor("config");

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Add webhook endpoint</DialogTitle>
        <DialogDescription>
          An address your HR system posts joiner, mover and leaver events to. Only deliveries signed
          with the endpoint&apos;s secret are accepted.
        </DialogDescription>
      </DialogHeader>

      <div className="grid gap-4 sm:grid-cols-2">
        <div className="grid content-start gap-2">
          <Label htmlFor={`${ids}-name`}>Name</Label>
          <Input
            id={`${ids}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. BambooHR (production)"
            required
            maxLength={120}
            autoComplete="off"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${ids}-name-error` : undefined}
          />
          <FieldError id={`${ids}-name-error`} label="Name" message={nameError} />
        </div>
        <div className="grid content-start gap-2">
          <Label htmlFor={`${ids}-source`}>Source</Label>
          <select
            id={`${ids}-source`}
            value={sourceType}
            onChange={(event) => {
              setSourceType(event.target.value as WebhookSourceType);
              create.reset();
            }}
            aria-describedby={`${ids}-source-hint`}
            className={SELECT_CLASS}
          >
            {SOURCES.map((candidate) => (
              <option key={candidate.value} value={candidate.value}>
                {candidate.label}
              </option>
            ))}
          </select>
        </div>
        <p id={`${ids}-source-hint`} className="text-xs text-muted-foreground sm:col-span-2">
          {source?.description}
        </p>
      </div>

      {sourceType === "hmac_header" && (
        <HmacHeaderFields idPrefix={ids} values={hmac} onChange={setHmac} error={error} />
      )}

      <div className="grid gap-2">
        <Label htmlFor={`${ids}-secret`}>
          {bamboo ? "BambooHR private key" : "Secret from the sender"}{" "}
          <span className="font-normal text-muted-foreground">(optional)</span>
        </Label>
        <Input
          id={`${ids}-secret`}
          type="password"
          value={secret}
          onChange={(event) => setSecret(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="Leave empty to generate one"
          aria-invalid={secretError ? true : undefined}
          aria-describedby={`${ids}-secret-hint${secretError ? ` ${ids}-secret-error` : ""}`}
        />
        <p id={`${ids}-secret-hint`} className="text-xs text-muted-foreground">
          {bamboo
            ? "BambooHR shows its key only after you save its webhook with this endpoint's URL. Not there yet? Leave this empty, create the endpoint, give BambooHR the URL, then paste the key with Rotate secret."
            : "OfficeFlow generates a strong secret and shows it once. Paste one only if the sender made its own."}
        </p>
        <FieldError id={`${ids}-secret-error`} label="The secret" message={secretError} />
      </div>

      <EventFilterFields
        idPrefix={ids}
        eventTypes={eventTypes}
        onEventTypesChange={setEventTypes}
        mapping={mapping}
        onMappingChange={setMapping}
        error={error}
      />
      {configError && (
        <p role="alert" className="text-sm text-destructive">
          {issueText("Settings", configError)}
        </p>
      )}

      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending || !name.trim()}>
          {create.isPending ? "Creating…" : "Create endpoint"}
        </Button>
      </DialogFooter>
    </form>
  );
}
