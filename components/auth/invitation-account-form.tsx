"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { apiFetch } from "@/lib/api-client";
import type { AcceptedInvitation } from "./accept-invitation";
import { FormAlert } from "./form-alert";
import { type FormErrors, formErrorsFrom, NO_ERRORS } from "./form-errors";
import { FormField } from "./form-field";
import { PASSWORD_RULES_HINT } from "./password-rules";
import { useFocusFirstError } from "./use-focus-first-error";

type AccountField = "name" | "password";

const LABELS: Record<AccountField, string> = { name: "Your name", password: "Password" };
const FIELD_ORDER: readonly AccountField[] = ["name", "password"];
const fieldId = (field: AccountField) => `invitation-${field}`;

/** For an invitee with no account yet: create it, accept, and sign straight in. */
export function InvitationAccountForm({ token, email }: { token: string; email: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [errors, setErrors] = useState<FormErrors<AccountField>>(NO_ERRORS);
  useFocusFirstError(errors, FIELD_ORDER, fieldId);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSubmitting(true);
    setErrors(NO_ERRORS);
    try {
      const accepted = await apiFetch<AcceptedInvitation>("/api/invitations/accept", {
        body: { token, name, password },
      });
      const workspace = `/o/${encodeURIComponent(accepted.organization.slug)}/workflows`;
      const signedIn = await signIn("credentials", {
        email: accepted.email ?? email,
        password,
        redirect: false,
      });
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

  // POST, so a submit before hydration never puts the password in a URL.
  return (
    <form method="post" onSubmit={onSubmit} noValidate className="grid gap-5">
      {errors.form && <FormAlert>{errors.form}</FormAlert>}
      <fieldset disabled={submitting} className="grid gap-5">
        <legend className="mb-1 text-sm text-muted-foreground">Create your account to join.</legend>
        <div className="grid gap-2">
          <Label htmlFor="invitation-email">Email</Label>
          {/* Read-only, but present so password managers save the new password under this address. */}
          <Input
            id="invitation-email"
            type="email"
            autoComplete="username"
            value={email}
            readOnly
            className="bg-muted"
          />
        </div>
        <FormField
          id={fieldId("name")}
          name="name"
          label={LABELS.name}
          autoComplete="name"
          required
          error={errors.fields.name}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <FormField
          id={fieldId("password")}
          name="password"
          label={LABELS.password}
          type="password"
          autoComplete="new-password"
          required
          hint={PASSWORD_RULES_HINT}
          error={errors.fields.password}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </fieldset>
      <Button type="submit" disabled={submitting} className="w-full">
        {submitting ? "Creating your account…" : "Create account and join"}
      </Button>
    </form>
  );
}
