import { ArrowLeftIcon, LockIcon } from "lucide-react";
import type { Metadata } from "next";
import { headers } from "next/headers";
import Link from "next/link";
import { notFound } from "next/navigation";
import { EmptyState } from "@/components/app-shell/empty-state";
import { PageHeader } from "@/components/app-shell/page-header";
import { DeliveryLog } from "@/components/webhooks/delivery-log";
import { requireOrgMember } from "@/lib/auth/org-page";
import { forOrg } from "@/lib/db/tenant";
import { NotFound } from "@/lib/errors";
import { getWebhookEndpoint, type WebhookEndpointView } from "@/lib/webhooks/endpoints";
import { WEBHOOK_SOURCES } from "@/lib/webhooks/sources";

export const metadata: Metadata = { title: "Webhook deliveries" };

type DeliveryLogPageProps = {
  params: Promise<{ slug: string; endpointId: string }>;
  searchParams: Promise<{ delivery?: string | string[] }>;
};

/** This request's origin, for the endpoint URL when APP_URL is unset (development). */
async function requestOrigin(): Promise<URL> {
  const incoming = await headers();
  const host = incoming.get("x-forwarded-host") ?? incoming.get("host") ?? "localhost";
  const protocol = incoming.get("x-forwarded-proto")?.split(",")[0]?.trim() ?? "http";
  return new URL(`${protocol}://${host}`);
}

export default async function DeliveryLogPage({ params, searchParams }: DeliveryLogPageProps) {
  const { slug, endpointId } = await params;
  const { delivery } = await searchParams;
  const { organization, permissions } = await requireOrgMember(
    slug,
    `/o/${encodeURIComponent(slug)}/settings/webhooks/${encodeURIComponent(endpointId)}`,
  );
  const back = (
    <Link
      href={`/o/${encodeURIComponent(slug)}/settings?tab=webhooks`}
      className="mb-4 inline-flex items-center gap-1.5 text-sm text-muted-foreground underline-offset-4 hover:text-foreground hover:underline"
    >
      <ArrowLeftIcon aria-hidden="true" className="size-4" />
      Webhooks
    </Link>
  );
  if (!permissions.includes("webhooks:manage"))
    return (
      <>
        {back}
        <PageHeader title="Webhook deliveries" />
        <EmptyState
          icon={LockIcon}
          title="Webhooks are managed by owners and admins"
          description={`Your role in ${organization.name} does not include webhooks. Ask an owner or admin if a delivery needs checking.`}
        />
      </>
    );

  let endpoint: WebhookEndpointView;
  try {
    endpoint = await getWebhookEndpoint(
      { db: forOrg(organization.id), url: await requestOrigin() },
      endpointId,
    );
  } catch (error) {
    if (error instanceof NotFound) notFound();
    throw error;
  }
  return (
    <>
      {back}
      <PageHeader
        title={endpoint.name}
        description="Every delivery to this endpoint: whether it verified, the lifecycle events it became and the workflow runs they started."
      />
      <DeliveryLog
        endpoint={{
          id: endpoint.id,
          name: endpoint.name,
          sourceLabel: WEBHOOK_SOURCES[endpoint.sourceType].label,
          url: endpoint.url,
          enabled: endpoint.enabled,
        }}
        initialDeliveryId={typeof delivery === "string" ? delivery : null}
      />
    </>
  );
}
