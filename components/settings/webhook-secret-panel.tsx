"use client";

import { CheckIcon, CopyIcon, TriangleAlertIcon } from "lucide-react";
import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toast";

/** Copies `value`; says so for screen readers too, and falls back to "select it yourself". */
export function CopyButton({
  value,
  label,
  what,
  size = "default",
  iconOnly = false,
}: {
  value: string;
  /** The button's accessible name, e.g. "Copy URL of HR hook". */
  label: string;
  /** What was copied, for the toast: "URL", "Secret". */
  what: string;
  size?: "default" | "sm";
  /** Just the icon (the accessible name still says what is copied). */
  iconOnly?: boolean;
}) {
  const [copied, setCopied] = useState(false);

  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      toast({ title: `${what} copied`, variant: "success" });
    } catch {
      toast({
        title: "Could not copy automatically",
        description: "Select the text and copy it yourself.",
        variant: "destructive",
      });
    }
  }

  return (
    <Button
      variant="outline"
      size={size}
      onClick={copy}
      aria-label={label}
      title={iconOnly ? label : undefined}
      className={iconOnly ? "size-8 shrink-0 px-0" : undefined}
    >
      {copied ? <CheckIcon aria-hidden="true" /> : <CopyIcon aria-hidden="true" />}
      {!iconOnly && <span aria-hidden="true">{copied ? "Copied" : "Copy"}</span>}
    </Button>
  );
}

/**
 * The one moment a signing secret is visible: after OfficeFlow generated it
 * on create or rotate. The parent holds it only while its dialog is open.
 */
export function WebhookSecretPanel({ secret, url }: { secret: string; url: string }) {
  const ids = useId();
  return (
    <div className="grid gap-4">
      <p
        role="alert"
        className="flex gap-2 rounded-md border border-warning/40 bg-warning/15 p-3 text-sm"
      >
        <TriangleAlertIcon aria-hidden="true" className="mt-0.5 size-4 shrink-0" />
        <span>
          <strong>Copy your secret now.</strong> Enter it in the sending system&apos;s webhook
          settings. It won&apos;t be shown again — if you lose it, rotate the secret.
        </span>
      </p>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-secret`}>Signing secret</Label>
        <div className="flex gap-2">
          <Input
            id={`${ids}-secret`}
            data-testid="webhook-secret"
            readOnly
            value={secret}
            onFocus={(event) => event.currentTarget.select()}
            className="font-mono text-xs"
            spellCheck={false}
            autoComplete="off"
          />
          <CopyButton value={secret} label="Copy signing secret" what="Secret" />
        </div>
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-url`}>Endpoint URL</Label>
        <div className="flex gap-2">
          <Input
            id={`${ids}-url`}
            readOnly
            value={url}
            onFocus={(event) => event.currentTarget.select()}
            className="font-mono text-xs"
            spellCheck={false}
          />
          <CopyButton value={url} label="Copy endpoint URL" what="URL" />
        </div>
      </div>
    </div>
  );
}
