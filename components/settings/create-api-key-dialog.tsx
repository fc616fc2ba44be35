"use client";

import { CheckIcon, CopyIcon, PlusIcon, TriangleAlertIcon } from "lucide-react";
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
import type { Role } from "@/lib/permissions";
import { type CreatedApiKey, useCreateApiKey } from "./queries";
import { RoleSelect } from "./role-select";
import { grantableRoles } from "./roles";

/** Creates a key, then shows its secret once; closing the dialog forgets it. */
export function CreateApiKeyDialog() {
  const { organization, role: myRole } = useOrg();
  const [open, setOpen] = useState(false);
  const create = useCreateApiKey(organization.slug);
  // Held only while the dialog is open; the mutation is reset on close so no cache keeps it.
  const [created, setCreated] = useState<CreatedApiKey | null>(null);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) {
      setCreated(null);
      create.reset();
    }
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" />
          Create API key
        </Button>
      </DialogTrigger>
      <DialogContent
        // A stray click outside must not throw away a secret that cannot be shown again.
        onInteractOutside={(event) => {
          if (created) event.preventDefault();
        }}
      >
        {created ? (
          <SecretView apiKey={created} onDone={() => onOpenChange(false)} />
        ) : (
          <CreateForm
            roles={grantableRoles(myRole)}
            mutation={create}
            onCreated={setCreated}
            onCancel={() => onOpenChange(false)}
          />
        )}
      </DialogContent>
    </Dialog>
  );
}

function CreateForm({
  roles,
  mutation,
  onCreated,
  onCancel,
}: {
  roles: Role[];
  mutation: ReturnType<typeof useCreateApiKey>;
  onCreated: (key: CreatedApiKey) => void;
  onCancel: () => void;
}) {
  const ids = useId();
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [expiry, setExpiry] = useState("");
  const apiError = mutation.error instanceof ApiError ? mutation.error : null;
  const issues = {
    name: apiError?.issueFor("name"),
    role: apiError?.issueFor("role"),
    expiresInDays: apiError?.issueFor("expiresInDays"),
  };

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const days = expiry.trim() === "" ? undefined : Number(expiry);
    mutation.mutate(
      { name: name.trim(), role, ...(days === undefined ? {} : { expiresInDays: days }) },
      {
        onSuccess: ({ apiKey }) => onCreated(apiKey),
        onError: (error) => {
          if (error instanceof ApiError && error.issues.length > 0) return;
          toast({
            title: "Could not create the key",
            description: error.message,
            variant: "destructive",
          });
        },
      },
    );
  }

  const describedBy = (field: keyof typeof issues, hint?: string) =>
    [hint, issues[field] ? `${ids}-${field}-error` : undefined].filter(Boolean).join(" ") ||
    undefined;

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Create API key</DialogTitle>
        <DialogDescription>
          A key acts with the role you give it. Send it as{" "}
          <code className="text-foreground">Authorization: Bearer …</code>
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-name`}>Name</Label>
        <Input
          id={`${ids}-name`}
          value={name}
          onChange={(event) => setName(event.target.value)}
          placeholder="e.g. HRIS sync"
          required
          maxLength={120}
          autoComplete="off"
          aria-invalid={issues.name ? true : undefined}
          aria-describedby={describedBy("name")}
        />
        <FieldError id={`${ids}-name-error`} label="Name" message={issues.name} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-role`}>Role</Label>
        <RoleSelect
          id={`${ids}-role`}
          value={role}
          roles={roles}
          onValueChange={setRole}
          aria-invalid={issues.role ? true : undefined}
          aria-describedby={describedBy("role")}
        />
        <FieldError id={`${ids}-role-error`} label="The role" message={issues.role} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-expiry`}>Expires after (days)</Label>
        <Input
          id={`${ids}-expiry`}
          type="number"
          inputMode="numeric"
          min={1}
          max={730}
          step={1}
          value={expiry}
          onChange={(event) => setExpiry(event.target.value)}
          placeholder="Never"
          aria-invalid={issues.expiresInDays ? true : undefined}
          aria-describedby={describedBy("expiresInDays", `${ids}-expiry-hint`)}
        />
        <p id={`${ids}-expiry-hint`} className="text-sm text-muted-foreground">
          Optional, 1–730. Leave empty for a key that does not expire.
        </p>
        <FieldError
          id={`${ids}-expiresInDays-error`}
          label="Expiry"
          message={issues.expiresInDays}
        />
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={mutation.isPending || !name.trim()}>
          {mutation.isPending ? "Creating…" : "Create key"}
        </Button>
      </DialogFooter>
    </form>
  );
}

function SecretView({ apiKey, onDone }: { apiKey: CreatedApiKey; onDone: () => void }) {
  const ids = useId();
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(apiKey.secret);
      setCopied(true);
      toast({ title: "API key copied", variant: "success" });
    } catch {
      toast({
        title: "Could not copy automatically",
        description: "Select the key and copy it yourself.",
        variant: "destructive",
      });
    }
  }

  return (
    <div className="grid gap-4">
      <DialogHeader>
        <DialogTitle>API key created</DialogTitle>
        <DialogDescription>
          “{apiKey.name}” can now call the API as {apiKey.role}.
        </DialogDescription>
      </DialogHeader>
      <p
        role="alert"
        className="flex gap-2 rounded-md border border-warning/40 bg-warning/15 p-3 text-sm"
      >
        <TriangleAlertIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        Copy this key now and store it somewhere safe. It won&apos;t be shown again.
      </p>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-secret`}>Secret</Label>
        <div className="flex gap-2">
          <Input
            id={`${ids}-secret`}
            data-testid="api-key-secret"
            readOnly
            value={apiKey.secret}
            onFocus={(event) => event.currentTarget.select()}
            className="font-mono text-xs"
            spellCheck={false}
          />
          <Button variant="outline" onClick={copy}>
            {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
            {copied ? "Copied" : "Copy"}
          </Button>
        </div>
      </div>
      <DialogFooter>
        <Button onClick={onDone}>Done</Button>
      </DialogFooter>
    </div>
  );
}
