import { describe, expect, it } from "vitest";
import { nodeKind } from "@/lib/nodes";
import type { AnyNodeKind } from "@/lib/nodes/node-kind";
import { type ConfigField, cleanConfig, configFields, labelOf } from "./config-fields";

function fieldsOf(kind: string): ConfigField[] {
  return configFields(nodeKind(kind) as AnyNodeKind);
}

function field(fields: ConfigField[], key: string): ConfigField {
  const found = fields.find((entry) => entry.key === key);
  if (!found) throw new Error(`no field ${key} in ${fields.map((entry) => entry.key).join(", ")}`);
  return found;
}

describe("configFields", () => {
  it("reads an email node's form from its schema and declaration", () => {
    const fields = fieldsOf("email");
    expect(field(fields, "to")).toMatchObject({
      type: "text",
      syntax: "template",
      multiline: false,
      required: true,
      label: "To",
    });
    expect(field(fields, "body")).toMatchObject({ type: "text", multiline: true, required: true });
    expect(field(fields, "cc")).toMatchObject({ required: false, label: "Cc" });
    expect(field(fields, "credentialId")).toMatchObject({
      type: "credential",
      kinds: ["resend"],
      label: "Credential",
    });
  });

  it("turns discriminated unions into a choice with each option's fields", () => {
    const target = field(fieldsOf("slack_message"), "target");
    expect(target.type).toBe("union");
    if (target.type !== "union") return;
    expect(target.discriminator).toBe("type");
    expect(target.options.map((option) => option.value)).toEqual(["channel", "user"]);
    expect(target.options[0]?.fields[0]).toMatchObject({ key: "channel", path: "target.channel" });

    // The trigger's whole config is a union (lifecycle event, manual, schedule).
    const [root] = fieldsOf("trigger");
    expect(root).toMatchObject({ type: "union", discriminator: "type" });
  });

  it("knows expression fields, lists, maps, enums and workflow references", () => {
    expect(field(fieldsOf("condition"), "expression")).toMatchObject({
      type: "text",
      syntax: "expression",
      multiline: true,
    });
    const cases = field(fieldsOf("switch"), "cases");
    expect(cases).toMatchObject({ type: "list", minItems: 1, maxItems: 20 });
    if (cases.type === "list") expect(cases.item.type).toBe("object");
    const http = fieldsOf("http_request");
    expect(field(http, "headers").type).toBe("map");
    expect(field(http, "method")).toMatchObject({ type: "select", default: "GET" });
    expect(field(http, "failOnStatus").type).toBe("boolean");
    expect(field(http, "maxResponseKb")).toMatchObject({
      type: "number",
      integer: true,
      label: "Max response KB",
    });
    expect(field(fieldsOf("sub_workflow"), "workflowId").type).toBe("workflow");
  });

  it("labels keys for people", () => {
    expect(labelOf("maxTokens")).toBe("Max tokens");
    expect(labelOf("lifecycle_event")).toBe("Lifecycle event");
    expect(labelOf("url")).toBe("URL");
  });
});

describe("cleanConfig", () => {
  it("drops empty optional values but keeps empty required ones, inside unions too", () => {
    const fields = fieldsOf("email");
    expect(
      cleanConfig({ to: "", cc: "", subject: "Hi", body: "x", credentialId: "" }, fields),
    ).toEqual({
      to: "",
      subject: "Hi",
      body: "x",
    });
    const slack = fieldsOf("slack_message");
    expect(
      cleanConfig({ credentialId: "", target: { type: "channel", channel: "" }, text: "x" }, slack),
    ).toEqual({ credentialId: "", target: { type: "channel", channel: "" }, text: "x" });
  });
});
