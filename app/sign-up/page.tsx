import type { Metadata } from "next";
import Link from "next/link";
import { AuthLayout, authLinkClass } from "@/components/auth/auth-layout";
import { SignUpForm } from "@/components/auth/sign-up-form";
import { SignedInNotice } from "@/components/auth/signed-in-notice";
import { currentUser } from "@/lib/auth/session";
import { membershipsOf } from "@/lib/db/accounts";

export const metadata: Metadata = { title: { absolute: "Create your OfficeFlow account" } };

export default async function SignUpPage() {
  const user = await currentUser();
  const [first] = user ? await membershipsOf(user.id) : [];

  return (
    <AuthLayout
      title="Create your OfficeFlow account"
      description="Set up your organisation and start automating joiners, movers and leavers."
      footer={
        <>
          Already have an account?{" "}
          <Link href="/sign-in" className={authLinkClass}>
            Sign in
          </Link>
        </>
      }
    >
      {user ? (
        <SignedInNotice
          email={user.email}
          workspace={
            first
              ? {
                  name: first.organization.name,
                  href: `/o/${encodeURIComponent(first.organization.slug)}/workflows`,
                }
              : null
          }
        />
      ) : (
        <SignUpForm />
      )}
    </AuthLayout>
  );
}
