import Link from "next/link";
import type * as React from "react";
import { Logo } from "@/components/brand/logo";
import { Card, CardContent, CardDescription, CardHeader } from "@/components/ui/card";

export type AuthLayoutProps = {
  title: string;
  description?: React.ReactNode;
  children: React.ReactNode;
  /** A line under the card, e.g. "New to OfficeFlow? Create an account". */
  footer?: React.ReactNode;
};

/** The centred card that sign-in, sign-up and invitation pages share. */
export function AuthLayout({ title, description, children, footer }: AuthLayoutProps) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center bg-muted/30 px-4 py-10">
      <Link
        href="/"
        className="mb-8 rounded-md focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring"
      >
        <Logo />
      </Link>
      <Card className="w-full max-w-md">
        <CardHeader>
          <h1 className="text-xl font-semibold tracking-tight">{title}</h1>
          {description && <CardDescription>{description}</CardDescription>}
        </CardHeader>
        <CardContent>{children}</CardContent>
      </Card>
      {footer && <p className="mt-6 text-center text-sm text-muted-foreground">{footer}</p>}
    </main>
  );
}

export const authLinkClass =
  "rounded-sm font-medium text-primary underline-offset-4 hover:underline focus-visible:outline-hidden focus-visible:ring-2 focus-visible:ring-ring";
