import type { OrgContext } from "@/lib/api/org-route";
import { createCredential } from "@/lib/credentials/service";
import { forOrg } from "@/lib/db/tenant";
import { createWebhookEndpoint } from "@/lib/webhooks/endpoints";
import { createWorkflow, publishWorkflow } from "@/lib/workflows/service";
import { templateDefinition, workflowTemplate } from "@/lib/workflows/templates";

// Seeds the demo organisation's credentials and its three published sample
// workflows, made from the joiner, leaver and mover templates
// (lib/workflows/templates.ts) with the demo's credentials (idempotent:
// anything already there by name is left alone). The credentials point at the
// local provider sandbox `npm run dev` starts, so the samples run offline end
// to end.

/** The order the launcher has always seeded (and printed) them in. */
const SAMPLE_TEMPLATES = ["joiner", "leaver", "mover"] as const;

export const DEMO_SLACK_TOKEN = "xoxb-officeflow-sandbox-token";
export const DEMO_OPENAI_KEY = "sk-officeflow-sandbox-key";
/**
 * The demo HR system's Standard Webhooks signing secret. Public on purpose: it
 * only exists in the seeded demo organisation, so the README's curl example
 * works on a fresh clone. Real endpoints get a random secret shown once.
 */
export const DEMO_WEBHOOK_SECRET = `whsec_${Buffer.from("officeflow-demo-webhook-secret!!").toString("base64")}`;
export const DEMO_WEBHOOK_NAME = "Demo HR system";

export async function seedDemoWorkflows(organizationId: string, options: { itSystemUrl: string }) {
  const actor = { type: "system" as const, label: "seed" };
  const url = new URL("http://localhost/seed");
  const organization = await forOrg(organizationId).organization.findUniqueOrThrow({
    where: { id: organizationId },
  });
  const context = {
    request: new Request(url),
    url,
    params: {},
    organization,
    role: "owner",
    actor,
    audit: { organizationId, actor, meta: { ip: null, userAgent: null } },
    db: forOrg(organizationId),
  } as unknown as OrgContext;

  const credentialId = async (name: string, create: () => Promise<{ id: string }>) =>
    (await context.db.credential.findFirst({ where: { name }, select: { id: true } }))?.id ??
    (await create()).id;
  const slackCredentialId = await credentialId("Acme Slack (sandbox)", () =>
    createCredential(context, {
      kind: "slack",
      name: "Acme Slack (sandbox)",
      secret: { botToken: DEMO_SLACK_TOKEN },
    } as never),
  );
  const openaiCredentialId = await credentialId("Acme OpenAI (sandbox)", () =>
    createCredential(context, {
      kind: "openai",
      name: "Acme OpenAI (sandbox)",
      secret: { apiKey: DEMO_OPENAI_KEY },
    } as never),
  );

  const created: string[] = [];
  for (const templateId of SAMPLE_TEMPLATES) {
    const sample = workflowTemplate(templateId);
    const existing = await context.db.workflow.findFirst({ where: { name: sample.name } });
    if (existing) continue;
    const workflow = await createWorkflow(context, {
      name: sample.name,
      description: sample.description,
      definition: templateDefinition(templateId, {
        slackCredentialId,
        openaiCredentialId,
        itSystemUrl: options.itSystemUrl,
        emailDomain: "acme.example",
      }),
    });
    await publishWorkflow(context, workflow.id, { notes: "Sample workflow" });
    created.push(sample.name);
  }
  const endpoint =
    (await context.db.webhookEndpoint.findFirst({
      where: { name: DEMO_WEBHOOK_NAME },
      select: { id: true },
    })) ??
    (
      await createWebhookEndpoint(
        context as never,
        {
          name: DEMO_WEBHOOK_NAME,
          sourceType: "standard_webhooks",
          secret: DEMO_WEBHOOK_SECRET,
        } as never,
      )
    ).endpoint;
  return { created, webhookEndpointId: endpoint.id };
}
