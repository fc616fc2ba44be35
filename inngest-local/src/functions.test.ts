import { describe, expect, it } from "vitest";
import { maxAttemptsOf, nextCronRun, parseFunctionConfig, UNSUPPORTED_FEATURES } from "./functions";

const base = {
  id: "app-fn",
  name: "fn",
  triggers: [{ event: "t/go" }],
  steps: {
    step: {
      id: "step",
      name: "step",
      runtime: { type: "http", url: "http://127.0.0.1:3000/api/inngest?fnId=app-fn&stepId=step" },
    },
  },
};

describe("parseFunctionConfig", () => {
  it("accepts a function as the SDK syncs it", () => {
    expect(parseFunctionConfig(base).id).toBe("app-fn");
  });

  it.each(UNSUPPORTED_FEATURES)("refuses %s by name instead of ignoring it", (feature) => {
    expect(() => parseFunctionConfig({ ...base, [feature]: { limit: 1, period: "1m" } })).toThrow(
      new RegExp(`function app-fn uses ${feature}, which the local executor does not implement`),
    );
  });

  it("refuses an invalid CEL trigger expression, naming where it is", () => {
    expect(() =>
      parseFunctionConfig({
        ...base,
        triggers: [{ event: "t/go", expression: "event.data.x ==" }],
      }),
    ).toThrow(/function app-fn: invalid expression in triggers\[0\]\.expression/);
  });

  it("refuses an invalid cron", () => {
    expect(() => parseFunctionConfig({ ...base, triggers: [{ cron: "every tuesday" }] })).toThrow(
      /invalid cron/,
    );
  });

  it("names the field of a malformed config", () => {
    expect(() => parseFunctionConfig({ ...base, steps: {} })).toThrow(
      /function app-fn: steps\.step/,
    );
  });

  it("counts attempts as retries + 1, with Inngest's default of 4 retries", () => {
    expect(maxAttemptsOf(parseFunctionConfig(base))).toBe(5);
    const withRetries = {
      ...base,
      steps: { step: { ...base.steps.step, retries: { attempts: 2 } } },
    };
    expect(maxAttemptsOf(parseFunctionConfig(withRetries))).toBe(3);
  });
});

describe("nextCronRun", () => {
  it("honours a TZ= prefix", () => {
    const after = new Date("2026-06-01T00:00:00Z");
    expect(nextCronRun("TZ=Europe/Paris 0 9 * * *", after)?.toISOString()).toBe(
      "2026-06-01T07:00:00.000Z",
    );
    expect(nextCronRun("0 9 * * *", after)?.toISOString()).toBe("2026-06-01T09:00:00.000Z");
  });
});
