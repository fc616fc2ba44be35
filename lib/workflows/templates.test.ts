import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { NODE_KINDS } from "@/lib/nodes";
import { TRIGGER_KIND } from "@/lib/nodes/trigger";
import {
  listWorkflowTemplates,
  PLACEHOLDER_IT_SYSTEM_URL,
  templateDefinition,
  WORKFLOW_TEMPLATES,
} from "./templates";
import { validateDefinitionSync } from "./validate";

/** The nodes whose kind takes a required credential (slack_message, ai_text; the email kind's is optional). */
const CREDENTIAL_NODES: Record<string, string[]> = {
  joiner: ["welcome_text", "announce", "first_day"],
  mover: [],
  leaver: ["post_channel"],
};

describe("workflow templates", () => {
  it("are the joiner, mover and leaver workflows, each triggered by its lifecycle event", () => {
    expect(WORKFLOW_TEMPLATES.map((template) => template.id)).toEqual([
      "joiner",
      "mover",
      "leaver",
    ]);
    for (const template of WORKFLOW_TEMPLATES) {
      const trigger = templateDefinition(template.id).nodes.find(
        (node) => node.kind === TRIGGER_KIND,
      );
      expect(trigger?.config, template.id).toEqual({
        type: "lifecycle_event",
        event: template.event,
      });
    }
  });

  it.each(WORKFLOW_TEMPLATES.map((template) => [template.id]))(
    "%s without refs: valid except that each credential field asks for a credential",
    (id) => {
      const definition = templateDefinition(id as "joiner");
      const { problems } = validateDefinitionSync(definition);
      expect(
        problems.map(({ code, nodeId, field }) => ({ code, nodeId, field })),
        JSON.stringify(problems),
      ).toEqual(
        (CREDENTIAL_NODES[id] ?? []).map((nodeId) => ({
          code: "invalid_config",
          nodeId,
          field: "credentialId",
        })),
      );
      // No credential id of any organisation is baked into the gallery's copy.
      for (const node of definition.nodes) {
        expect(NODE_KINDS.has(node.kind), node.kind).toBe(true);
        expect(node.config).not.toHaveProperty("credentialId");
      }
      // The IT system is a placeholder nobody could mistake for a real one.
      const urls = definition.nodes
        .filter((node) => node.kind === "http_request")
        .map((node) => String(node.config.url));
      for (const url of urls) expect(url.startsWith(PLACEHOLDER_IT_SYSTEM_URL)).toBe(true);
    },
  );

  it.each(WORKFLOW_TEMPLATES.map((template) => [template.id]))(
    "%s with refs (as the demo seed passes them) has no problems at all",
    (id) => {
      const definition = templateDefinition(id as "joiner", {
        slackCredentialId: randomUUID(),
        openaiCredentialId: randomUUID(),
        itSystemUrl: "http://127.0.0.1:9999/it",
        emailDomain: "acme.example",
      });
      expect(validateDefinitionSync(definition).problems).toEqual([]);
      for (const node of definition.nodes.filter((n) => n.kind === "http_request"))
        expect(String(node.config.url)).toMatch(/^http:\/\/127\.0\.0\.1:9999\/it\//);
    },
  );

  it("lists each template with its node count and unique node ids", () => {
    for (const template of listWorkflowTemplates()) {
      expect(template.nodeCount).toBe(template.definition.nodes.length);
      const ids = template.definition.nodes.map((node) => node.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
