"use client";

import { LockIcon } from "lucide-react";
import { type FormEvent, type ReactNode, useId, useState } from "react";
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
import { CredentialFields, type FieldValues, payloadOf, valuesOf } from "./credential-fields";
import {
  type Credential,
  type CredentialKindDescription,
  useCreateCredential,
  useUpdateCredential,
} from "./credential-queries";

export type CredentialDialogMode =
  | { type: "create" }
  | { type: "edit"; credential: Credential }
  | { type: "replace-secret"; credential: Credential };

/**
 * Adds a credential, edits its name and settings, or replaces its secret.
 * The form mounts only while the dialog is open, so typed secrets are gone
 * the moment it closes.
 */
export function CredentialDialog({
  mode,
  kinds,
  trigger,
}: {
  mode: CredentialDialogMode;
  kinds: CredentialKindDescription[];
  trigger: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent className="sm:max-w-xl">
        {open && <CredentialForm mode={mode} kinds={kinds} onDone={() => setOpen(false)} />}
      </DialogContent>
    </Dialog>
  );
}

const TEXT: Record<
  CredentialDialogMode["type"],
  { title: (name: string) => string; description: string; submit: string; pending: string }
> = {
  create: {
    title: () => "Add credential",
    description:
      "The secret is encrypted when you save it and is never shown again, to anyone — only a masked hint is.",
    submit: "Save credential",
    pending: "Saving…",
  },
  edit: {
    title: (name) => `Edit “${name}”`,
    description: "Rename the credential or change its settings. The secret stays as it is.",
    submit: "Save changes",
    pending: "Saving…",
  },
  "replace-secret": {
    title: (name) => `Replace the secret of “${name}”`,
    description: "Enter the complete new secret. The current one is discarded; it cannot be shown.",
    submit: "Replace secret",
    pending: "Replacing…",
  },
};

const INLINE_FIELD = /^(name|kind|(secret|settings)\..+)$/;

function CredentialForm({
  mode,
  kinds,
  onDone,
}: {
  mode: CredentialDialogMode;
  kinds: CredentialKindDescription[];
  onDone: () => void;
}) {
  const { organization } = useOrg();
  const ids = useId();
  const create = useCreateCredential(organization.slug);
  const update = useUpdateCredential(organization.slug);
  const saved = mode.type === "create" ? null : mode.credential;
  const [kindName, setKindName] = useState(saved?.kind ?? kinds[0]?.kind ?? "");
  const kind = kinds.find((candidate) => candidate.kind === kindName);
  const [name, setName] = useState(saved?.name ?? "");
  const [secret, setSecret] = useState<FieldValues>({});
  const [settings, setSettings] = useState<FieldValues>(() =>
    kind ? valuesOf(kind.settingsSchema, saved?.settings) : {},
  );
  const mutation = mode.type === "create" ? create : update;
  const error = mutation.error instanceof ApiError ? mutation.error : null;
  const text = TEXT[mode.type];
  const hasSettings = kind ? Object.keys(kind.settingsSchema.properties).length > 0 : false;

  function chooseKind(value: string) {
    const next = kinds.find((candidate) => candidate.kind === value);
    setKindName(value);
    setSecret({});
    setSettings(next ? valuesOf(next.settingsSchema) : {});
    create.reset();
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!kind) return;
    const handlers = {
      onSuccess: ({ credential }: { credential: Credential }) => {
        toast({
          title:
            mode.type === "replace-secret"
              ? `Secret of “${credential.name}” replaced`
              : `Credential “${credential.name}” saved`,
          variant: "success",
        });
        onDone();
      },
      onError: (failure: Error) => {
        if (failure instanceof ApiError && failure.issues.some((i) => INLINE_FIELD.test(i.field)))
          return;
        toast({ title: "Could not save", description: failure.message, variant: "destructive" });
      },
    };
    const secretBody = payloadOf(kind.secretSchema, secret) as Record<string, string>;
    const settingsBody = payloadOf(kind.settingsSchema, settings);
    if (mode.type === "create") {
      create.mutate(
        { name: name.trim(), kind: kind.kind, secret: secretBody, settings: settingsBody },
        handlers,
      );
    } else if (mode.type === "edit") {
      update.mutate(
        {
          id: mode.credential.id,
          changes: { name: name.trim(), ...(hasSettings ? { settings: settingsBody } : {}) },
        },
        handlers,
      );
    } else {
      update.mutate({ id: mode.credential.id, changes: { secret: secretBody } }, handlers);
    }
  }

  const nameError = error?.issueFor("name");

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>{text.title(saved?.name ?? "")}</DialogTitle>
        <DialogDescription>{text.description}</DialogDescription>
      </DialogHeader>

      {mode.type === "create" && (
        <div className="grid gap-2">
          <Label htmlFor={`${ids}-kind`}>Kind</Label>
          <select
            id={`${ids}-kind`}
            value={kindName}
            onChange={(event) => chooseKind(event.target.value)}
            aria-describedby={`${ids}-kind-hint`}
            className="h-9 rounded-md border border-input bg-background px-2.5 text-sm shadow-xs focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40"
          >
            {kinds.map((candidate) => (
              <option key={candidate.kind} value={candidate.kind}>
                {candidate.label}
              </option>
            ))}
          </select>
          <p id={`${ids}-kind-hint`} className="text-xs text-muted-foreground">
            {kind?.description}
          </p>
        </div>
      )}

      {mode.type !== "replace-secret" && (
        <div className="grid gap-2">
          <Label htmlFor={`${ids}-name`}>Name</Label>
          <Input
            id={`${ids}-name`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            placeholder="e.g. Slack (HR workspace)"
            required
            maxLength={120}
            autoComplete="off"
            aria-invalid={nameError ? true : undefined}
            aria-describedby={nameError ? `${ids}-name-error` : undefined}
          />
          <FieldError id={`${ids}-name-error`} label="Name" message={nameError} />
        </div>
      )}

      {!kind ? (
        <p role="alert" className="text-sm text-destructive">
          This kind of credential is no longer supported; delete it and add a new one.
        </p>
      ) : (
        <>
          {mode.type !== "edit" && (
            <fieldset className="grid gap-4 rounded-md border p-4">
              <legend className="flex items-center gap-1.5 px-1 text-sm font-medium">
                <LockIcon aria-hidden="true" className="size-3.5" />
                Secret
              </legend>
              <CredentialFields
                idPrefix={ids}
                group="secret"
                schema={kind.secretSchema}
                values={secret}
                onChange={setSecret}
                error={error}
              />
            </fieldset>
          )}
          {mode.type !== "replace-secret" && hasSettings && (
            <CredentialFields
              idPrefix={ids}
              group="settings"
              schema={kind.settingsSchema}
              values={settings}
              onChange={setSettings}
              error={error}
            />
          )}
        </>
      )}

      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button
          type="submit"
          disabled={mutation.isPending || !kind || (mode.type !== "replace-secret" && !name.trim())}
        >
          {mutation.isPending ? text.pending : text.submit}
        </Button>
      </DialogFooter>
    </form>
  );
}
