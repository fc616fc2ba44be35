import { Inngest } from "inngest";
import { serve } from "inngest/next";

// The benchmark's app: one function of M sequential no-op steps. The client
// reads its mode from the environment (INNGEST_DEV=1, INNGEST_BASE_URL=<executor>).
const inngest = new Inngest({ id: "bench-app" });

const noopSteps = inngest.createFunction(
  { id: "noop-steps", retries: 0, triggers: [{ event: "bench/run" }] },
  async ({ event, step }) => {
    const steps = Number(event.data?.steps ?? 1);
    let last = -1;
    for (let i = 0; i < steps; i++) last = await step.run(`s${i}`, () => i);
    return { steps, last };
  },
);

export const { GET, POST, PUT } = serve({ client: inngest, functions: [noopSteps] });
