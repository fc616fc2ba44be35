import { z } from "zod";
import { NodeError, permanentFailure, retriableFailure } from "@/lib/engine/node-error";
import { effectKey } from "./email";
import { defineActionKind, type NodeContext } from "./node-kind";
import type { SlackSession } from "./services";

// Posts a message to a Slack channel, or to a person (found by email) as a
// direct message from the app's bot.
//
// Exactly once across retries (RELIABILITY I3/D3): Slack has no idempotency
// key, so every post carries message metadata with the step's key
// (https://api.slack.com/metadata/using), and a retried attempt first reads
// the channel's recent history for a message with that key — the earlier
// attempt may have posted before it failed or timed out — and returns it
// instead of posting again. When the history cannot be read (a channel given
// by name that the bot cannot list, a missing scope) the retry posts anyway:
// for those targets delivery is at-least-once.
//
// The Web API calls go through the Slack port (lib/providers/slack.ts), which
// makes one attempt each and classifies failures; retries belong to the
// engine, after Slack's Retry-After.

export const SLACK_METADATA_EVENT = "officeflow_step";
export const MAX_SLACK_TEXT = 4000;
/** How far back a retry looks for its earlier attempt's message. */
const HISTORY_WINDOW_MS = 24 * 60 * 60_000;
const HISTORY_PAGE = 200;
const HISTORY_PAGES = 5;
const CHANNEL_LIST_PAGES = 10;

const EMAIL = /^[^\s@<>,;"]+@[^\s@<>,;"]+\.[^\s@<>,;"]+$/;
/** Conversation ids: C… public, G… private (older), D… direct message. */
const CONVERSATION_ID = /^[CGD][A-Z0-9]{2,}$/;
/** Slack channel names: lower case letters, digits, hyphens, underscores; at most 80. */
const CHANNEL_NAME = /^[\p{Ll}\p{Lo}\p{N}_-][\p{Ll}\p{Lo}\p{N}_.-]{0,79}$/u;

const target = z.discriminatedUnion("type", [
  z
    .object({
      type: z.literal("channel"),
      /** "#general", "general" or a channel id such as C0123ABCD; may be a template. */
      channel: z.string().trim().min(1, "is required").max(500),
    })
    .strict(),
  z
    .object({
      type: z.literal("user"),
      /** The person's Slack email, e.g. `{{ employee.email }}`. */
      email: z.string().trim().min(1, "is required").max(500),
    })
    .strict(),
]);

const config = z
  .object({
    credentialId: z.guid("must be a credential id"),
    target,
    text: z
      .string()
      .trim()
      .min(1, "is required")
      .max(MAX_SLACK_TEXT, `must be at most ${MAX_SLACK_TEXT} characters`),
  })
  .strict();
type SlackConfig = z.infer<typeof config>;

const output = z.object({ channel: z.string(), ts: z.string() });

type Destination =
  | { type: "channel"; channel: string; id: string | null; name: string | null }
  | { type: "user"; email: string };

export const slackMessageKind = defineActionKind({
  kind: "slack_message",
  label: "Slack message",
  description: "Posts a message to a Slack channel, or to a person as a direct message.",
  category: "messaging",
  config,
  output,
  sideEffects: true,
  longTextFields: ["text"],
  credentialFields: { credentialId: ["slack"] },
  defaultConfig: {
    credentialId: "",
    target: { type: "channel", channel: "#general" },
    text: "Please welcome {{ employee.firstName }} {{ employee.lastName }}, who joins {{ employee.department }} today!",
  },
  check(config) {
    const issues: { field: string; message: string }[] = [];
    const { target } = config;
    if (target.type === "channel" && !isTemplate(target.channel) && !parseChannel(target.channel))
      issues.push({
        field: "target.channel",
        message: "must be a channel name such as #general or a channel id such as C0123ABCD",
      });
    if (target.type === "user" && !isTemplate(target.email) && !EMAIL.test(target.email))
      issues.push({ field: "target.email", message: "must be an email address" });
    return issues;
  },
  async execute(context) {
    const { config, credentials, node, services, signal } = context;
    const destination = destinationOf(config);
    const { botToken } = (await credentials.read(config.credentialId, ["slack"])).secret;
    if (!botToken) throw permanentFailure("the Slack credential has no bot token");
    const slack = services.slack.session(botToken, signal);
    const key = effectKey(context);
    // A person's DM is addressed by their user id; chat.postMessage opens the DM.
    const channel =
      destination.type === "user"
        ? await lookUpUser(slack, destination.email)
        : (destination.id ?? `#${destination.name}`);
    if (node.attempt > 1) {
      const earlier = await findEarlierPost(slack, destination, channel, key, context);
      if (earlier) return earlier;
    }
    const posted = await slack.postMessage({
      channel,
      text: config.text,
      metadata: { event_type: SLACK_METADATA_EVENT, event_payload: { key } },
    });
    if (!posted.channel || !posted.ts)
      throw retriableFailure("Slack accepted the message but did not say where it was posted");
    return { channel: posted.channel, ts: posted.ts };
  },
  async preview({ config }) {
    const destination = destinationOf(config);
    return {
      wouldSend:
        destination.type === "user"
          ? { email: destination.email, text: config.text }
          : { channel: destination.id ?? `#${destination.name}`, text: config.text },
      output: { channel: "test-run", ts: "0" },
    };
  },
});

function isTemplate(value: string): boolean {
  return value.includes("{{") || value.includes("{%");
}

function parseChannel(value: string): { id: string | null; name: string | null } | null {
  const trimmed = value.trim();
  if (CONVERSATION_ID.test(trimmed)) return { id: trimmed, name: null };
  const name = trimmed.startsWith("#") ? trimmed.slice(1) : trimmed;
  return CHANNEL_NAME.test(name) ? { id: null, name } : null;
}

function destinationOf(config: SlackConfig): Destination {
  const { target } = config;
  if (target.type === "user") {
    if (!EMAIL.test(target.email))
      throw permanentFailure(
        `target email: "${target.email.slice(0, 100)}" is not an email address`,
      );
    return { type: "user", email: target.email };
  }
  const channel = parseChannel(target.channel);
  if (!channel)
    throw permanentFailure(
      `target channel: "${target.channel.slice(0, 100)}" is neither a channel name (#general) nor a channel id`,
    );
  return { type: "channel", channel: target.channel, ...channel };
}

async function lookUpUser(slack: SlackSession, email: string): Promise<string> {
  const userId = await slack.lookupUserByEmail(email);
  if (!userId)
    throw permanentFailure(`Slack has no user with the email ${email} (users_not_found)`);
  return userId;
}

/**
 * The message an earlier attempt of this step posted, if the history shows
 * one. Null when there is none, or when the history cannot be read for a
 * reason retrying would not change (then the caller posts: at-least-once).
 */
async function findEarlierPost(
  slack: SlackSession,
  destination: Destination,
  postTo: string,
  key: string,
  { services }: NodeContext<unknown>,
): Promise<{ channel: string; ts: string } | null> {
  try {
    const channel =
      destination.type === "user"
        ? await slack.openDirectMessage(postTo)
        : (destination.id ?? (await channelIdByName(slack, destination.name ?? "")));
    if (!channel) return null;
    const oldest = String((services.now().getTime() - HISTORY_WINDOW_MS) / 1000);
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const history = await slack.history({ channel, oldest, limit: HISTORY_PAGE, cursor });
      const earlier = history.messages.find(
        (message) =>
          message.metadata?.event_type === SLACK_METADATA_EVENT &&
          message.metadata.event_payload?.key === key,
      );
      if (earlier?.ts) return { channel, ts: earlier.ts };
      cursor = history.nextCursor;
      if (!history.hasMore || !cursor) return null;
    }
    return null;
  } catch (error) {
    // Retrying would not make the history readable (missing scope, a channel
    // the bot cannot list): post anyway, at-least-once for this target.
    if (error instanceof NodeError && !error.retriable) return null;
    throw error;
  }
}

/** conversations.history needs an id; a channel given by name is looked up in the list. */
async function channelIdByName(slack: SlackSession, name: string): Promise<string | undefined> {
  let cursor: string | undefined;
  for (let page = 0; page < CHANNEL_LIST_PAGES; page++) {
    const list = await slack.listChannels(cursor);
    const channel = list.channels.find((candidate) => candidate.name === name);
    if (channel?.id) return channel.id;
    cursor = list.nextCursor;
    if (!cursor) return undefined;
  }
  return undefined;
}
