"use client";

import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { Button } from "@/components/ui/button";
import { FormAlert } from "./form-alert";
import { FormField } from "./form-field";
import { signInErrorMessage } from "./sign-in-errors";

export type OAuthProviderOption = { id: string; name: string };

export type SignInFormProps = {
  /** Already checked to be a same-site path (see callback-url.ts). */
  callbackUrl: string;
  providers: OAuthProviderOption[];
  /** A message for a failure reported in the URL, e.g. after an OAuth round trip. */
  initialError?: string;
};

const ERROR_ID = "sign-in-error";

export function SignInForm({ callbackUrl, providers, initialError }: SignInFormProps) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [submitting, setSubmitting] = useState(false);
  const [error, setError] = useState<string | undefined>(initialError);
  // Only a rejected email and password marks the fields; an OAuth or network failure does not.
  const [credentialsRejected, setCredentialsRejected] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!email.trim() || !password) {
      setError("Enter your email and password.");
      setCredentialsRejected(true);
      return;
    }
    setSubmitting(true);
    setError(undefined);
    setCredentialsRejected(false);
    try {
      const result = await signIn("credentials", { email, password, redirect: false });
      if (result?.ok && !result.error) {
        router.push(callbackUrl);
        return;
      }
      setError(signInErrorMessage(result?.error ?? ""));
      setCredentialsRejected(result?.error === "CredentialsSignin");
    } catch {
      setError("Something went wrong. Check your connection and try again.");
    }
    setSubmitting(false);
  }

  // Which field is wrong is deliberately not said, so both are marked and point at the message.
  const invalid =
    error && credentialsRejected ? { "aria-invalid": true, "aria-describedby": ERROR_ID } : {};

  return (
    <div className="grid gap-6">
      {/* POST, so a submit before hydration never puts the password in a URL. */}
      <form method="post" onSubmit={onSubmit} noValidate className="grid gap-5">
        {error && <FormAlert id={ERROR_ID}>{error}</FormAlert>}
        <fieldset disabled={submitting} className="grid gap-5">
          <legend className="sr-only">Email and password</legend>
          <FormField
            id="sign-in-email"
            name="email"
            label="Email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            {...invalid}
          />
          <FormField
            id="sign-in-password"
            name="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            {...invalid}
          />
        </fieldset>
        <Button type="submit" disabled={submitting} className="w-full">
          {submitting ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {providers.length > 0 && (
        <div className="grid gap-3">
          <div className="flex items-center gap-3 text-xs text-muted-foreground">
            <span aria-hidden="true" className="h-px flex-1 bg-border" />
            or continue with
            <span aria-hidden="true" className="h-px flex-1 bg-border" />
          </div>
          {providers.map((provider) => (
            <Button
              key={provider.id}
              variant="outline"
              className="w-full"
              disabled={submitting}
              onClick={() => {
                setSubmitting(true);
                void signIn(provider.id, { callbackUrl });
              }}
            >
              Continue with {provider.name}
            </Button>
          ))}
        </div>
      )}
    </div>
  );
}
