import "server-only";
import { approvalPort } from "@/lib/approvals/service";
import type { CredentialKind } from "@/lib/credentials/kinds";
import { readCredentialSecret } from "@/lib/credentials/secrets";
import { SecretUnavailable } from "@/lib/crypto/secret-box";
import { permanentFailure, retriableFailure } from "@/lib/engine/node-error";
import { NotFound, ValidationFailed } from "@/lib/errors";
import { EmailDeliveryError, sendEmail } from "@/lib/mail/send-email";
import { outboundRequest } from "@/lib/net/outbound-fetch";
import type { CredentialReader, NodeServices } from "@/lib/nodes/services";
import { openAiText } from "@/lib/providers/openai-text";
import { slackApi } from "@/lib/providers/slack";
import { childRunPort } from "./child-runs";

// The real implementations of the ports node kinds use, for one organisation.

export function appBaseUrl(): string {
  return (process.env.APP_URL ?? process.env.NEXTAUTH_URL ?? "http://localhost:3000").replace(
    /\/$/,
    "",
  );
}

export function nodeServices(organizationId: string): NodeServices {
  const appUrl = appBaseUrl();
  return {
    async sendEmail(email, sender) {
      try {
        const receipt = await sendEmail(
          {
            to: email.to,
            cc: email.cc,
            subject: email.subject,
            html: email.html,
            text: email.text,
            replyTo: email.replyTo,
            idempotencyKey: email.idempotencyKey,
          },
          { apiKey: sender.apiKey ?? undefined, from: sender.from ?? undefined },
        );
        return { id: receipt.id };
      } catch (error) {
        if (error instanceof EmailDeliveryError) {
          const status = error.providerStatus ?? 0;
          if (status === 429 || status >= 500 || status === 0)
            throw retriableFailure(error.message, error.retryAfterMs);
          throw permanentFailure(error.message);
        }
        throw error;
      }
    },
    http: { request: outboundRequest },
    // Base URL overrides for tests, proxies and the dev sandbox; unset means the provider's own.
    slack: slackApi({ apiUrl: process.env.SLACK_API_URL || undefined }),
    aiText: openAiText({ baseUrl: process.env.OPENAI_BASE_URL || undefined }),
    appUrl,
    approvals: approvalPort(organizationId, appUrl),
    runs: childRunPort(organizationId),
    now: () => new Date(),
  };
}

export function credentialReader(organizationId: string): CredentialReader {
  return {
    async read(credentialId, kinds) {
      const credential = await readCredentialSecret(
        organizationId,
        credentialId,
        kinds as readonly CredentialKind[],
      ).catch((error: unknown) => {
        // Missing or wrong-kind credentials will not fix themselves on retry.
        if (
          error instanceof NotFound ||
          error instanceof ValidationFailed ||
          error instanceof SecretUnavailable
        )
          throw permanentFailure(`credential: ${error.message}`);
        throw error;
      });
      return {
        kind: credential.kind,
        name: credential.name,
        secret: credential.secret as Record<string, string>,
        settings: credential.settings as Record<string, unknown>,
      };
    },
  };
}
