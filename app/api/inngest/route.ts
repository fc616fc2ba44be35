import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { functions } from "@/inngest/functions";

// The Inngest serve endpoint: the executor (Inngest Cloud, or the local one in
// development) syncs functions with PUT and runs steps with POST.
export const { GET, POST, PUT } = serve({ client: inngest, functions });
