// The ports node kinds use for everything outside the process. The Inngest
// function wires the real implementations (lib/runs/node-services.ts); unit
// tests wire the same providers against fake servers (lib/nodes/test-context.ts).
// Keeping them here means node kinds never import Prisma, Next.js or a
// provider's SDK: the registry stays loadable in the browser, where the
// designer runs the validator on it (lib/nodes/browser-safe.test.ts), and the
// engine stays pure. Ports are thin I/O; what to send, and what an answer
// means for the workflow, stays in the kind.

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

export type OutboundHttpRequest = {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** The node's timeout; the request stops when it aborts. */
  signal: AbortSignal;
  /** For the whole exchange, redirects and body included. */
  timeoutMs: number;
  maxResponseBytes: number;
  /** Header names dropped when a redirect leaves the origin, besides Authorization and Cookie. */
  sensitiveHeaders?: readonly string[];
};

export type OutboundHttpResponse = { status: number; headers: Headers; body: Uint8Array };

/**
 * HTTP to a URL a tenant chose, through the SSRF guard (lib/net/outbound-fetch).
 * Throws the errors in lib/net/outbound-errors (blocked, too large, timed out,
 * failed), or the signal's reason when the node's timeout passes.
 */
export type OutboundHttpPort = {
  request(url: string, init: OutboundHttpRequest): Promise<OutboundHttpResponse>;
};

/** A message in a channel's history, as far as a kind looks at it. */
export type SlackHistoryMessage = {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
};

/**
 * The Slack Web API calls of one bot (lib/providers/slack.ts). Every call makes
 * one attempt and stops when the node's signal aborts. Failures arrive as
 * NodeErrors, never naming the bot token: a rate limit is retriable after
 * Slack's Retry-After, Slack's own trouble (5xx, internal_error, unreachable,
 * timeouts) retriable, anything else permanent naming Slack's error code.
 * `lookupUserByEmail` and `postMessage` describe failures as posting the
 * message, the other calls as reading the channel history.
 */
export type SlackSession = {
  /** The person's user id; null when Slack has no user with that email (users_not_found). */
  lookupUserByEmail(email: string): Promise<string | null>;
  postMessage(message: {
    channel: string;
    text: string;
    /** Message metadata (https://api.slack.com/metadata/using), readable back from the history. */
    metadata: { event_type: string; event_payload: Record<string, string | number | boolean> };
  }): Promise<{ channel?: string; ts?: string }>;
  /** The id of the bot's direct-message conversation with a user. */
  openDirectMessage(userId: string): Promise<string | undefined>;
  /** One page of the public and private channels the bot can see (archived ones left out). */
  listChannels(
    cursor: string | undefined,
  ): Promise<{ channels: { id?: string; name?: string }[]; nextCursor?: string }>;
  /** One page of a channel's messages since `oldest` (Slack ts), metadata included. */
  history(request: {
    channel: string;
    oldest: string;
    limit: number;
    cursor: string | undefined;
  }): Promise<{ messages: SlackHistoryMessage[]; hasMore: boolean; nextCursor?: string }>;
};

export type SlackPort = {
  session(botToken: string, signal: AbortSignal): SlackSession;
};

export type AiTextRequest = {
  apiKey: string;
  /** The OpenAI organization header, if the credential names one. */
  organization?: string;
  /**
   * An OpenAI-compatible API named by the tenant's credential: reached through
   * the SSRF guard, and named by its host in messages. Absent: OpenAI itself
   * (or the platform's OPENAI_BASE_URL), which is trusted.
   */
  tenantBaseUrl?: string;
  model: string;
  messages: { role: "system" | "user"; content: string }[];
  maxTokens: number;
  temperature?: number;
};

export type AiTextAnswer = {
  content: string | null;
  refusal: string | null;
  finishReason: string | null;
  model: string;
  usage: { promptTokens: number; completionTokens: number };
};

/**
 * One chat completion (lib/providers/openai-text.ts), one attempt, stopped by
 * `signal`. Failures arrive as NodeErrors with the API key redacted: 429, 5xx,
 * 408, 409, timeouts and unreachable servers retriable (with Retry-After or
 * OpenAI's retry-after-ms), a spent quota, a blocked address and other
 * refusals permanent.
 */
export type AiTextPort = {
  complete(request: AiTextRequest, signal: AbortSignal): Promise<AiTextAnswer>;
};

export type NodeServices = {
  /** Sends through the organisation's Resend credential, or the platform mailer when `apiKey` is null. */
  sendEmail(
    email: OutgoingEmail,
    sender: { apiKey: string | null; from: string | null },
  ): Promise<{ id: string }>;
  http: OutboundHttpPort;
  slack: SlackPort;
  aiText: AiTextPort;
  /** Public base URL of the app, for links in messages (approval links). */
  appUrl: string;
  approvals: ApprovalPort;
  runs: ChildRunPort;
  now(): Date;
};
