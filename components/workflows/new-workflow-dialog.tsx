"use client";

import { PlusIcon } from "lucide-react";
import { useRouter } from "next/navigation";
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
import { useCreateWorkflow, useWorkflowTemplates } from "./queries";
import { type GalleryChoice, TemplateGallery } from "./template-gallery";

// Creates a workflow, blank or from a joiner/mover/leaver template, and opens
// it in the designer. The server's field issues are shown next to the field.

/** The "New workflow" button and its dialog; nothing for members who cannot edit workflows. */
export function NewWorkflowDialog() {
  const { can } = useOrg();
  const [open, setOpen] = useState(false);
  if (!can("workflows:edit")) return null;
  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <PlusIcon aria-hidden="true" />
          New workflow
        </Button>
      </DialogTrigger>
      <DialogContent className="sm:max-w-2xl">
        {open && <NewWorkflowForm onCancel={() => setOpen(false)} />}
      </DialogContent>
    </Dialog>
  );
}

function NewWorkflowForm({ onCancel }: { onCancel: () => void }) {
  const { organization } = useOrg();
  const router = useRouter();
  const ids = useId();
  const templates = useWorkflowTemplates(organization.slug);
  const create = useCreateWorkflow(organization.slug);
  const [name, setName] = useState("");
  const [nameEdited, setNameEdited] = useState(false);
  const [description, setDescription] = useState("");
  const [choice, setChoice] = useState<GalleryChoice>("blank");
  const [missingName, setMissingName] = useState(false);

  const apiError = create.error instanceof ApiError ? create.error : null;
  const issues = {
    name: missingName ? "is required" : apiError?.issueFor("name"),
    description: apiError?.issueFor("description"),
    templateId: apiError?.issueFor("templateId"),
  };

  function onChoose(next: GalleryChoice) {
    setChoice(next);
    // A template names the workflow until the person types a name of their own.
    if (!nameEdited) {
      const template = templates.data?.find((candidate) => candidate.id === next);
      setName(template?.name ?? "");
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!name.trim()) {
      setMissingName(true);
      return;
    }
    setMissingName(false);
    create.mutate(
      {
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(choice === "blank" ? {} : { templateId: choice }),
      },
      {
        onSuccess: (workflow) =>
          router.push(
            `/o/${encodeURIComponent(organization.slug)}/workflows/${encodeURIComponent(workflow.id)}`,
          ),
        onError: (error) => {
          if (error instanceof ApiError && error.issues.length > 0) return;
          toast({
            title: "Could not create the workflow",
            description: error.message,
            variant: "destructive",
          });
        },
      },
    );
  }

  const describedBy = (field: keyof typeof issues) =>
    issues[field] ? `${ids}-${field}-error` : undefined;

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-4">
      <DialogHeader>
        <DialogTitle>New workflow</DialogTitle>
        <DialogDescription>
          Start blank or from a ready-made joiner, mover or leaver workflow. It opens in the
          designer as a draft; nothing runs until you publish it.
        </DialogDescription>
      </DialogHeader>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-name`}>Name *</Label>
        <Input
          id={`${ids}-name`}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
            setNameEdited(true);
            setMissingName(false);
          }}
          placeholder="e.g. Engineering onboarding"
          required
          maxLength={120}
          autoComplete="off"
          aria-invalid={issues.name ? true : undefined}
          aria-describedby={describedBy("name")}
        />
        <FieldError id={`${ids}-name-error`} label="Name" message={issues.name} />
      </div>
      <div className="grid gap-2">
        <Label htmlFor={`${ids}-description`}>Description</Label>
        <textarea
          id={`${ids}-description`}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
          rows={2}
          maxLength={2000}
          className="min-h-16 w-full rounded-md border border-input bg-background px-3 py-2 text-sm shadow-xs transition-colors placeholder:text-muted-foreground focus-visible:border-ring focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring/40 aria-invalid:border-destructive"
          aria-invalid={issues.description ? true : undefined}
          aria-describedby={describedBy("description")}
        />
        <FieldError
          id={`${ids}-description-error`}
          label="Description"
          message={issues.description}
        />
      </div>
      <div className="grid gap-2">
        <TemplateGallery
          templates={templates.data}
          loading={templates.isPending}
          error={templates.error}
          value={choice}
          onChange={onChoose}
          describedBy={describedBy("templateId")}
        />
        <FieldError id={`${ids}-templateId-error`} label="Template" message={issues.templateId} />
      </div>
      <DialogFooter>
        <Button type="button" variant="outline" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" disabled={create.isPending || create.isSuccess}>
          {create.isPending || create.isSuccess ? "Creating…" : "Create workflow"}
        </Button>
      </DialogFooter>
    </form>
  );
}
