"use client";

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
import { useRotateWebhookSecret, type WebhookEndpoint } from "./webhook-queries";
import { WebhookSecretPanel } from "./webhook-secret-panel";

export const OVERLAP_CHOICES = [
  { minutes: 0, label: "No overlap — the old secret stops working now" },
  { minutes: 60, label: "1 hour" },
  { minutes: 1440, label: "24 hours (recommended)" },
  { minutes: 10080, label: "7 days" },
] as const;

/**
 * Replaces an endpoint's signing secret. The old one keeps verifying for the
 * chosen overlap, so the sender can be switched without losing deliveries.
 * A generated secret is shown once, here; closing the dialog forgets it.
 */
export function RotateSecretDialog({
  endpoint,
  trigger,
}: {
  endpoint: WebhookEndpoint;
  trigger: ReactNode;
}) {
  const [open, setOpen] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);

  function onOpenChange(next: boolean) {
    setOpen(next);
    if (!next) setSecret(null);
  }

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger asChild>{trigger}</DialogTrigger>
      <DialogContent
        className="sm:max-w-xl"
        // A stray click outside must not throw away a secret that cannot be shown again.
        onInteractOutside={(event) => {
          if (secret) event.preventDefault();
        }}
      >
        {secret ? (
          <div className="grid gap-4">
            <DialogHeader>
              <DialogTitle>New secret for “{endpoint.name}”</DialogTitle>
              <DialogDescription>
                Put it into the sender now. The previous secret keeps working until the overlap you
                chose ends.
              </DialogDescription>
            </DialogHeader>
            <WebhookSecretPanel secret={secret} url={endpoint.url} />
            <DialogFooter>
              <Button onClick={() => onOpenChange(false)}>Done, I stored it</Button>
            </DialogFooter>
          </div>
        ) : (
          open && (
            <RotateForm
              endpoint={endpoint}
              onGenerated={setSecret}
              onDone={() => onOpenChange(false)}
            />
          )
        )}
      </DialogContent>
    </Dialog>
  );
}

function RotateForm({
  endpoint,
  onGenerated,
  onDone,
}: {
  endpoint: WebhookEndpoint;
  onGenerated: (secret: string) => void;
  onDone: () => void;
}) {
  const { organization } = useOrg();
  const ids = useId();
  const rotate = useRotateWebhookSecret(organization.slug);
  const [overlap, setOverlap] = useState(endpoint.sourceType === "bamboohr" ? 0 : 1440);
  const [pasted, setPasted] = useState("");
  const error = rotate.error instanceof ApiError ? rotate.error : null;
  const bamboo = endpoint.sourceType === "bamboohr";

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const secret = pasted.trim() === "" ? undefined : pasted;
    rotate.mutate(
      { id: endpoint.id, overlapMinutes: overlap, secret },
      {
        onSuccess: (answer) => {
          if (answer.secret) onGenerated(answer.secret);
          else {
            toast({ title: `Secret of “${endpoint.name}” replaced`, variant: "success" });
            onDone();
          }
        },
        onError: (failure) => {
          if (failure instanceof ApiError && failure.issues.length > 0) return;
          toast({
            title: "Could not rotate the secret",
            description: failure.message,
            variant: "destructive",
          });
        },
      },
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>Rotate the secret of “{endpoint.name}”</DialogTitle>
        <DialogDescription>
          {bamboo
            ? "Paste the private key BambooHR shows on the webhook's page, or leave it empty to generate a secret."
            : "OfficeFlow generates a new signing secret and shows it once. Or paste one the sender made."}
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-overlap`}>Keep accepting the old secret for</Label>
        <select
          id={`${ids}-overlap`}
          value={overlap}
          onChange={(event) => setOverlap(Number(event.target.value))}
          aria-describedby={`${ids}-overlap-hint`}
          className="h-9 rounded-md border border-input bg-background px-2.5 text-sm shadow-xs focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40"
        >
          {OVERLAP_CHOICES.map((choice) => (
            <option key={choice.minutes} value={choice.minutes}>
              {choice.label}
            </option>
          ))}
        </select>
        <p id={`${ids}-overlap-hint`} className="text-xs text-muted-foreground">
          Deliveries signed with either secret are accepted until then, so nothing is lost while you
          update the sender.
        </p>
        <FieldError
          id={`${ids}-overlap-error`}
          label="Overlap"
          message={error?.issueFor("overlapMinutes")}
        />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-secret`}>
          {bamboo ? "BambooHR private key" : "Secret from the sender"}{" "}
          <span className="font-normal text-muted-foreground">(optional)</span>
        </Label>
        <Input
          id={`${ids}-secret`}
          type="password"
          value={pasted}
          onChange={(event) => setPasted(event.target.value)}
          autoComplete="off"
          spellCheck={false}
          placeholder="Leave empty to generate one"
          aria-invalid={error?.issueFor("secret") ? true : undefined}
          aria-describedby={error?.issueFor("secret") ? `${ids}-secret-error` : undefined}
        />
        <FieldError
          id={`${ids}-secret-error`}
          label="The secret"
          message={error?.issueFor("secret")}
        />
      </div>
      <DialogFooter>
        <Button variant="outline" onClick={onDone}>
          Cancel
        </Button>
        <Button type="submit" disabled={rotate.isPending}>
          {rotate.isPending ? "Rotating…" : "Rotate secret"}
        </Button>
      </DialogFooter>
    </form>
  );
}
