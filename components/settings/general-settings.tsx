"use client";

import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { type OrgSession, useOrg } from "@/components/org/org-context";
import { Button } from "@/components/ui/button";
import {
  Card,
  CardContent,
  CardDescription,
  CardFooter,
  CardHeader,
  CardTitle,
} from "@/components/ui/card";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { toast } from "@/components/ui/toast";
import { ApiError } from "@/lib/api-client";
import { useUpdateOrganization } from "./queries";

type Organization = OrgSession["organization"];

const PLAN_LABELS: Record<Organization["plan"], string> = {
  free: "Free",
  team: "Team",
  enterprise: "Enterprise",
};

export function GeneralSettings() {
  const { organization, can } = useOrg();
  if (!can("organization:update")) return <OrganizationOverview organization={organization} />;
  // Keyed so the form starts again from the saved values after a rename refreshes the layout.
  return (
    <OrganizationForm
      key={`${organization.slug}:${organization.name}`}
      organization={organization}
    />
  );
}

function OrganizationOverview({ organization }: { organization: Organization }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>Organisation</CardTitle>
        <CardDescription>Only owners and admins can change these settings.</CardDescription>
      </CardHeader>
      <CardContent>
        <dl className="grid gap-4 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="font-medium text-muted-foreground">Name</dt>
          <dd>{organization.name}</dd>
          <dt className="font-medium text-muted-foreground">URL</dt>
          <dd>
            <code className="rounded bg-muted px-1.5 py-0.5">/o/{organization.slug}</code>
          </dd>
          <dt className="font-medium text-muted-foreground">Plan</dt>
          <dd>{PLAN_LABELS[organization.plan]}</dd>
        </dl>
      </CardContent>
    </Card>
  );
}

function OrganizationForm({ organization }: { organization: Organization }) {
  const router = useRouter();
  const ids = useId();
  const [name, setName] = useState(organization.name);
  const [slug, setSlug] = useState(organization.slug);
  const update = useUpdateOrganization(organization.slug);

  const newSlug = slug.trim().toLowerCase();
  const changes: { name?: string; slug?: string } = {};
  if (name.trim() !== organization.name) changes.name = name.trim();
  if (newSlug !== organization.slug) changes.slug = newSlug;
  const changed = Object.keys(changes).length > 0;

  const apiError = update.error instanceof ApiError ? update.error : null;
  const nameError = apiError?.issueFor("name");
  const slugError = apiError?.issueFor("slug");

  function edit(setter: (value: string) => void) {
    return (value: string) => {
      setter(value);
      if (update.isError) update.reset();
    };
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!changed) return;
    update.mutate(changes, {
      onSuccess: ({ organization: saved }) => {
        toast({ title: "Settings saved", variant: "success" });
        if (saved.slug !== organization.slug) {
          router.replace(`/o/${encodeURIComponent(saved.slug)}/settings`);
        } else {
          router.refresh();
        }
      },
      onError: (error) => {
        const fieldIssue =
          error instanceof ApiError && (error.issueFor("name") || error.issueFor("slug"));
        if (!fieldIssue) {
          toast({
            title: "Could not save settings",
            description: error.message,
            variant: "destructive",
          });
        }
      },
    });
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Card>
        <CardHeader>
          <CardTitle>Organisation</CardTitle>
          <CardDescription>The name people see and the address of your workspace.</CardDescription>
        </CardHeader>
        <CardContent className="grid max-w-xl gap-6">
          <div className="grid gap-2">
            <Label htmlFor={`${ids}-name`}>Name</Label>
            <Input
              id={`${ids}-name`}
              name="name"
              value={name}
              onChange={(event) => edit(setName)(event.target.value)}
              autoComplete="organization"
              required
              maxLength={120}
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? `${ids}-name-error` : undefined}
            />
            <FieldError id={`${ids}-name-error`} label="Name" message={nameError} />
          </div>
          <div className="grid gap-2">
            <Label htmlFor={`${ids}-slug`}>URL slug</Label>
            <Input
              id={`${ids}-slug`}
              name="slug"
              value={slug}
              onChange={(event) => edit(setSlug)(event.target.value)}
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              required
              maxLength={48}
              aria-invalid={slugError ? true : undefined}
              aria-describedby={`${ids}-slug-hint${slugError ? ` ${ids}-slug-error` : ""}`}
            />
            <p id={`${ids}-slug-hint`} className="text-sm text-muted-foreground">
              Your workspace will be at{" "}
              <code className="rounded bg-muted px-1.5 py-0.5 text-foreground">
                /o/{newSlug || "…"}
              </code>
              . Lower-case letters, digits and single hyphens, 3–48 characters.
              {changes.slug !== undefined &&
                " Links and bookmarks to the old address will stop working."}
            </p>
            <FieldError id={`${ids}-slug-error`} label="The slug" message={slugError} />
          </div>
        </CardContent>
        <CardFooter className="mt-2 border-t pt-6">
          <Button type="submit" disabled={!changed || update.isPending}>
            {update.isPending ? "Saving…" : "Save changes"}
          </Button>
          {changed && !update.isPending && (
            <Button
              variant="ghost"
              onClick={() => {
                setName(organization.name);
                setSlug(organization.slug);
                update.reset();
              }}
            >
              Discard
            </Button>
          )}
        </CardFooter>
      </Card>
    </form>
  );
}
