"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { apiFetch } from "@/lib/api-client";
import { slugify } from "@/lib/organizations/schemas";
import { FormAlert } from "./form-alert";
import { type FormErrors, formErrorsFrom, NO_ERRORS } from "./form-errors";
import { FormField } from "./form-field";
import { PASSWORD_RULES_HINT } from "./password-rules";
import { useFocusFirstError } from "./use-focus-first-error";

type SignUpField = "name" | "email" | "password" | "organizationName" | "organizationSlug";

const LABELS: Record<SignUpField, string> = {
  name: "Your name",
  email: "Work email",
  password: "Password",
  organizationName: "Organisation name",
  organizationSlug: "URL",
};
const FIELD_ORDER: readonly SignUpField[] = [
  "name",
  "email",
  "password",
  "organizationName",
  "organizationSlug",
];
const fieldId = (field: SignUpField) => `sign-up-${field}`;

type SignUpResponse = { organization: { id: string; slug: string; name: string } };

/** The slug suggested while the organisation name is typed, until the user edits it themselves. */
function suggestedSlug(organizationName: string): string {
  return organizationName.trim().length >= 2 ? slugify(organizationName) : "";
}

export function SignUpForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [organizationName, setOrganizationName] = useState("");
  const [editedSlug, setEditedSlug] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [errors, setErrors] = useState<FormErrors<SignUpField>>(NO_ERRORS);
  useFocusFirstError(errors, FIELD_ORDER, fieldId);

  const slug = editedSlug ?? suggestedSlug(organizationName);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setErrors(NO_ERRORS);
    try {
      const created = await apiFetch<SignUpResponse>("/api/sign-up", {
        body: {
          name,
          email,
          password,
          organizationName,
          organizationSlug: slug.trim() || undefined,
        },
      });
      const workspace = `/o/${encodeURIComponent(created.organization.slug)}/workflows`;
      const signedIn = await signIn("credentials", { email, password, redirect: false });
      // The account exists either way; if signing in hiccups, the sign-in page finishes the job.
      router.push(
        signedIn?.ok && !signedIn.error
          ? workspace
          : `/sign-in?callbackUrl=${encodeURIComponent(workspace)}`,
      );
    } catch (error) {
      setErrors(formErrorsFrom(error, LABELS));
      setSubmitting(false);
    }
  }

  const field = (key: SignUpField) => ({
    id: fieldId(key),
    name: key,
    label: LABELS[key],
    error: errors.fields[key],
  });

  // POST, so a submit before hydration never puts the password in a URL.
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="grid gap-5">
      {errors.form && <FormAlert>{errors.form}</FormAlert>}
      <fieldset disabled={submitting} className="grid gap-5">
        <legend className="sr-only">Your account</legend>
        <FormField
          {...field("name")}
          autoComplete="name"
          required
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <FormField
          {...field("email")}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <FormField
          {...field("password")}
          type="password"
          autoComplete="new-password"
          required
          hint={PASSWORD_RULES_HINT}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </fieldset>
      <fieldset disabled={submitting} className="grid gap-5 border-t pt-5">
        <legend className="sr-only">Your organisation</legend>
        <FormField
          {...field("organizationName")}
          autoComplete="organization"
          required
          value={organizationName}
          onChange={(event) => setOrganizationName(event.target.value)}
        />
        <FormField
          {...field("organizationSlug")}
          optional
          prefix="/o/"
          autoCapitalize="none"
          autoCorrect="off"
          spellCheck={false}
          hint={
            slug ? (
              <>
                Your workspace will live at <span className="font-mono">/o/{slug}</span>
              </>
            ) : (
              "Lower-case letters, digits and hyphens. Leave empty to derive it from the name."
            )
          }
          value={slug}
          onChange={(event) => setEditedSlug(event.target.value.toLowerCase())}
        />
      </fieldset>
      <Button type="submit" disabled={submitting} className="w-full">
        {submitting ? "Creating your account…" : "Create account"}
      </Button>
    </form>
  );
}
