import type { Metadata, Viewport } from "next";
import { connection } from "next/server";
import type * as React from "react";
import { Providers } from "@/components/providers";
import { Toaster } from "@/components/ui/toast";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "OfficeFlow", template: "%s · OfficeFlow" },
  description:
    "Automate every joiner, mover and leaver: HR system webhooks start durable onboarding and offboarding workflows.",
};

export const viewport: Viewport = {
  themeColor: "#ffffff",
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // Render every page per request: the CSP nonce (proxy.ts) only reaches dynamically rendered pages.
  await connection();
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <Providers>
          {children}
          <Toaster />
        </Providers>
      </body>
    </html>
  );
}
