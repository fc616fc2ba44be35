import type { Metadata } from "next";
import { connection } from "next/server";
import { ApiReference } from "@/components/api-docs/api-reference";
import { apiReferenceFrom } from "@/components/api-docs/api-reference-model";
import { SiteFooter } from "@/components/landing/site-footer";
import { SiteHeader } from "@/components/landing/site-header";
import { openApiDocument } from "@/lib/openapi";

export const metadata: Metadata = {
  title: "API reference",
  description: "The OfficeFlow REST API: operations, permissions, parameters and request bodies.",
};

export default async function ApiReferencePage() {
  // Rendered per request so Next can put the CSP nonce (proxy.ts) on its scripts;
  // a prerendered page has no nonce and its scripts would be blocked.
  await connection();
  const reference = apiReferenceFrom(openApiDocument());
  return (
    <>
      <SiteHeader />
      <main id="main-content">
        <ApiReference reference={reference} />
      </main>
      <SiteFooter />
    </>
  );
}
