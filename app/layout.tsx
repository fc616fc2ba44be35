import type { Metadata, Viewport } from "next";
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

export default function RootLayout({ children }: { children: React.ReactNode }) {
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
