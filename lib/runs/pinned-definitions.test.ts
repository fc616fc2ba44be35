import { describe, expect, it } from "vitest";
import { validateDefinitionSync } from "@/lib/workflows/validate";
import { onboardingDefinition } from "@/test/support/workflows";
import { pinnedDefinitionCheck } from "./pinned-definitions";

// The real validator, counted: how often the check had to validate.
function countedCheck(size?: number) {
  let validations = 0;
  const check = pinnedDefinitionCheck({
    size,
    validate: (input) => {
      validations++;
      return validateDefinitionSync(input);
    },
  });
  return { check, validations: () => validations };
}

const welcome = (to: string) =>
  JSON.stringify(
    onboardingDefinition(
      [
        {
          id: "welcome",
          kind: "email",
          name: "Welcome",
          config: { to, subject: "Hi", body: "Hi" },
        },
      ],
      [["trigger", "welcome"]],
    ),
  );

describe("pinnedDefinitionCheck", () => {
  it("validates a stored text once and answers the same for it afterwards", () => {
    const { check, validations } = countedCheck();
    const stored = welcome("{{ employee.email }}");
    const first = check(stored);
    const second = check(stored);
    expect(first.problems).toEqual([]);
    expect(second).toEqual(first);
    expect(validations()).toBe(1);
  });

  it("validates a changed text again, so a version changed behind the API's back still fails", () => {
    const { check, validations } = countedCheck();
    expect(check(welcome("{{ employee.email }}")).problems).toEqual([]);
    const tampered = check(welcome("{{ employee.nope }}"));
    expect(tampered.problems.map((problem) => problem.message).join("; ")).toMatch(
      /employee\.nope/,
    );
    expect(validations()).toBe(2);
  });

  it("does not remember an invalid text", () => {
    const { check, validations } = countedCheck();
    const invalid = welcome("{{ employee.nope }}");
    expect(check(invalid).problems).not.toEqual([]);
    expect(check(invalid).problems).not.toEqual([]);
    expect(validations()).toBe(2);
  });

  it("reports text that is not JSON as invalid", () => {
    const { check } = countedCheck();
    const result = check("{not json");
    expect(result.problems.length).toBeGreaterThan(0);
  });

  it("gives each caller its own copy of the definition", () => {
    const { check } = countedCheck();
    const stored = welcome("{{ employee.email }}");
    const mine = check(stored).definition;
    if (!mine) throw new Error("expected a definition");
    mine.nodes[1] = { ...(mine.nodes[1] as (typeof mine.nodes)[number]), name: "Changed" };
    expect(check(stored).definition?.nodes[1]?.name).toBe("Welcome");
  });

  it("forgets the least recently used text beyond its size", () => {
    const { check, validations } = countedCheck(2);
    const [a, b, c] = ["a@x.test", "b@x.test", "c@x.test"].map(welcome) as [string, string, string];
    check(a);
    check(b);
    check(a); // a is now the most recently used
    check(c); // evicts b
    expect(validations()).toBe(3);
    check(a);
    expect(validations()).toBe(3);
    check(b);
    expect(validations()).toBe(4);
  });
});
