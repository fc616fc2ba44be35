import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthLayout, authLinkClass } from "@/components/auth/auth-layout";
import { safeCallbackUrl } from "@/components/auth/callback-url";
import { signInErrorMessage } from "@/components/auth/sign-in-errors";
import { SignInForm } from "@/components/auth/sign-in-form";
import { enabledOAuthProviders } from "@/lib/auth/options";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

type SignInPageProps = {
  searchParams: Promise<{ callbackUrl?: string | string[]; error?: string | string[] }>;
};

export default async function SignInPage({ searchParams }: SignInPageProps) {
  const { callbackUrl: requested, error } = await searchParams;
  const callbackUrl = safeCallbackUrl(requested);
  if (await currentUser()) redirect(callbackUrl);
  const errorCode = Array.isArray(error) ? error[0] : error;

  return (
    <AuthLayout
      title="Sign in to OfficeFlow"
      description="Welcome back. Sign in to your organisation’s workspace."
      footer={
        <>
          New to OfficeFlow?{" "}
          <Link href="/sign-up" className={authLinkClass}>
            Create an account
          </Link>
        </>
      }
    >
      <SignInForm
        callbackUrl={callbackUrl}
        providers={enabledOAuthProviders()}
        initialError={errorCode ? signInErrorMessage(errorCode) : undefined}
      />
    </AuthLayout>
  );
}
