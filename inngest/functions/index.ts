import type { InngestFunction } from "inngest";
import { runWorkflow } from "./run-workflow";

// Every Inngest function the app serves at /api/inngest.
export const functions: InngestFunction.Any[] = [runWorkflow];
