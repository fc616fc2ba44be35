import type { InngestFunction } from "inngest";

// Every Inngest function the app serves at /api/inngest. The workflow runner
// joins here with the engine.
export const functions: InngestFunction.Any[] = [];
