import { outboundRequest } from "@/lib/net/outbound-fetch";
import { openAiText } from "@/lib/providers/openai-text";
import { slackApi } from "@/lib/providers/slack";
import type { NodeContext, NodeInfo, RunInfo } from "./node-kind";
import type { CredentialReader, DecryptedCredential, NodeServices } from "./services";

// Builds the NodeContext the engine would hand a node, for unit tests that
// drive a kind's execute/preview directly: credentials come from an in-memory
// map, the provider ports are the real implementations (real SDKs, the real
// SSRF guard) with their URLs pointed at the fake servers in test/support, and
// the node's timeout is a real AbortSignal.timeout. Test-only; never imported
// by production code.

export type TestCredential = DecryptedCredential & { name?: string };

export type TestContextOptions = {
  /** Credentials by id, as the organisation's reader would decrypt them. */
  credentials?: Record<string, TestCredential>;
  /** Where the Slack and OpenAI providers send requests (the fakes); unset means the real APIs. */
  providerUrls?: { slack?: string; openai?: string };
  run?: Partial<RunInfo>;
  node?: Partial<NodeInfo>;
  scope?: Record<string, unknown>;
  /** The node's timeout; ignored when `signal` is given. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Replaces individual services (e.g. a recording sendEmail). */
  services?: Partial<NodeServices>;
};

export const TEST_RUN: RunInfo = {
  id: "run_test_1",
  organizationId: "org_test_1",
  workflowId: "wf_test_1",
  isTest: false,
};

/** A reader that behaves like the real one: unknown ids and wrong kinds are refused. */
export function inMemoryCredentials(credentials: Record<string, TestCredential>): CredentialReader {
  return {
    async read(credentialId, kinds) {
      const credential = Object.hasOwn(credentials, credentialId)
        ? credentials[credentialId]
        : undefined;
      if (!credential) throw new Error("Credential not found.");
      if (!kinds.includes(credential.kind))
        throw new Error(
          `credential is a ${credential.kind} credential; this node needs one of: ${kinds.join(", ")}`,
        );
      return structuredClone(credential);
    },
  };
}

export function testNodeContext<Config>(
  config: Config,
  options: TestContextOptions = {},
): NodeContext<Config> {
  const unavailable = (what: string) => () => {
    throw new Error(`${what} is not available in this test`);
  };
  const services: NodeServices = {
    // Sends through lib/mail (the real Resend SDK; point RESEND_BASE_URL at the fake).
    // Imported lazily so tests of other kinds do not load the mail module.
    async sendEmail(email, sender) {
      const { sendEmail } = await import("@/lib/mail/send-email");
      const receipt = await sendEmail(email, {
        apiKey: sender.apiKey ?? undefined,
        from: sender.from ?? undefined,
      });
      return { id: receipt.id };
    },
    http: { request: outboundRequest },
    slack: slackApi({ apiUrl: options.providerUrls?.slack }),
    aiText: openAiText({ baseUrl: options.providerUrls?.openai }),
    appUrl: "http://officeflow.test",
    approvals: {
      request: unavailable("approvals"),
      decision: unavailable("approvals"),
      expire: unavailable("approvals"),
    },
    runs: { createChild: unavailable("runs"), result: unavailable("runs") },
    now: () => new Date(),
    ...options.services,
  };
  return {
    config,
    scope: options.scope ?? {},
    run: { ...TEST_RUN, ...options.run },
    node: {
      id: "node_1",
      key: options.node?.key ?? options.node?.id ?? "node_1",
      name: "Test node",
      kind: "test",
      attempt: 1,
      maxAttempts: 5,
      ...options.node,
    },
    signal: options.signal ?? AbortSignal.timeout(options.timeoutMs ?? 10_000),
    credentials: inMemoryCredentials(options.credentials ?? {}),
    services,
  };
}
