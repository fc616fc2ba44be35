import { Inngest } from "inngest";

// The app's Inngest client. Mode and endpoints come from the environment:
// INNGEST_DEV=1 + INNGEST_BASE_URL=http://127.0.0.1:8288 talks to the local
// executor (`npm run dev` sets both); without them the SDK is in cloud mode
// and needs INNGEST_SIGNING_KEY / INNGEST_EVENT_KEY from Inngest Cloud.
export const inngest = new Inngest({ id: "officeflow" });
