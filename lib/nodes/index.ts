import { aiTextKind } from "./ai-text";
import { approvalKind } from "./approval";
import { conditionKind } from "./condition";
import { delayKind } from "./delay";
import { emailKind } from "./email";
import { httpRequestKind } from "./http-request";
import { loopKind } from "./loop";
import type { AnyNodeKind } from "./node-kind";
import { slackMessageKind } from "./slack-message";
import { subWorkflowKind } from "./sub-workflow";
import { switchKind } from "./switch";
import { transformKind } from "./transform";
import { triggerKind } from "./trigger";

// The one registry of node kinds. Adding a kind is one file in lib/nodes and
// one line here.

const KINDS: AnyNodeKind[] = [
  triggerKind,
  conditionKind,
  switchKind,
  transformKind,
  delayKind,
  approvalKind,
  subWorkflowKind,
  loopKind,
  emailKind,
  slackMessageKind,
  httpRequestKind,
  aiTextKind,
];

export const NODE_KINDS: ReadonlyMap<string, AnyNodeKind> = new Map(
  KINDS.map((kind) => [kind.kind, kind]),
);

export function nodeKind(kind: string): AnyNodeKind | undefined {
  return NODE_KINDS.get(kind);
}
