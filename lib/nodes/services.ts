// The ports node kinds use for everything outside the process. The Inngest
// function wires the real implementations (lib/runs/node-services.ts); unit
// tests wire fakes. Keeping them here means node kinds never import Prisma or
// Next.js, and the engine stays pure.

export type DecryptedCredential = {
  kind: string;
  /** For messages and previews only. */
  name?: string;
  secret: Record<string, string>;
  settings: Record<string, unknown>;
};

export type CredentialReader = {
  /**
   * Decrypts one of the run's organisation's credentials for this step only.
   * Its secret values are redacted from everything the engine records.
   */
  read(credentialId: string, kinds: readonly string[]): Promise<DecryptedCredential>;
};

export type OutgoingEmail = {
  to: string[];
  cc?: string[];
  subject: string;
  html: string;
  text: string;
  replyTo?: string;
  /** Same key → Resend sends once, however often the step is retried. */
  idempotencyKey: string;
};

export type ApprovalDecision = {
  decision: "approved" | "rejected" | "timeout";
  decidedBy: string | null;
  comment: string | null;
  decidedAt: string;
};

export type ApprovalRequest = {
  approvalId: string;
  /** Set when a decision was recorded before the node asked (the API accepts early decisions). */
  decided: ApprovalDecision | null;
  /** One signed one-click link per approver, for the request email. */
  links: { approver: string; url: string }[];
};

export type ApprovalPort = {
  /** Idempotent per (run, node): a retried step gets the same approval back. */
  request(input: {
    runId: string;
    nodeId: string;
    title: string;
    message: string;
    approvers: string[];
    expiresAt: Date;
  }): Promise<ApprovalRequest>;
  /** The recorded decision, if any. */
  decision(approvalId: string): Promise<ApprovalDecision | null>;
  /** Closes the approval as timed out unless it was decided meanwhile; returns the final decision. */
  expire(approvalId: string): Promise<ApprovalDecision>;
};

export type ChildRunPort = {
  /** Idempotent per (parent run, node): creates the sub-workflow's run on its active version. */
  createChild(input: {
    parentRunId: string;
    nodeId: string;
    workflowId: string;
  }): Promise<{ runId: string; workflowName: string; version: number }>;
  result(runId: string): Promise<{
    status: string;
    error: string | null;
    outputs: Record<string, unknown>;
  }>;
};

export type NodeServices = {
  /** Sends through the organisation's Resend credential, or the platform mailer when `apiKey` is null. */
  sendEmail(
    email: OutgoingEmail,
    sender: { apiKey: string | null; from: string | null },
  ): Promise<{ id: string }>;
  /** Base URL overrides for provider APIs (tests, proxies); undefined means the provider's own. */
  providerUrls: { slack?: string; openai?: string; resend?: string };
  /** Public base URL of the app, for links in messages (approval links). */
  appUrl: string;
  approvals: ApprovalPort;
  runs: ChildRunPort;
  now(): Date;
};
