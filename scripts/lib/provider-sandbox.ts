import { randomUUID } from "node:crypto";
import http from "node:http";
import { DEMO_OPENAI_KEY, DEMO_SLACK_TOKEN } from "../../lib/seed/demo-workflows";
import { type FakeOpenAI, startFakeOpenAI } from "../../test/support/fake-openai";
import { type FakeSlack, startFakeSlack } from "../../test/support/fake-slack";

// Offline stand-ins for the providers the demo workflows call, so `npm run
// dev` runs them end to end without the internet: the same Slack and OpenAI
// API fakes the tests use (real HTTP, spoken to by the real SDKs), and a tiny
// "IT system" that accepts any JSON and answers with an id. Turn it off with
// OFFICEFLOW_SANDBOX=0 and point the credentials at real providers.

export type ProviderSandbox = {
  /** Environment for the app: where its Slack and OpenAI SDKs should connect. */
  env: Record<string, string>;
  itSystemUrl: string;
  stop(): Promise<void>;
};

export async function startProviderSandbox(itSystemPort: number): Promise<ProviderSandbox> {
  const slack: FakeSlack = await startFakeSlack({ token: DEMO_SLACK_TOKEN });
  const openai: FakeOpenAI = await startFakeOpenAI({ apiKey: DEMO_OPENAI_KEY });
  const itSystem = http.createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(request.method === "POST" ? 201 : 200, {
        "content-type": "application/json",
      });
      response.end(JSON.stringify({ id: randomUUID(), path: request.url, status: "accepted" }));
    });
  });
  await new Promise<void>((resolve, reject) => {
    itSystem.once("error", reject);
    itSystem.listen(itSystemPort, "127.0.0.1", () => resolve());
  });
  return {
    env: {
      SLACK_API_URL: slack.apiUrl,
      OPENAI_BASE_URL: openai.baseURL,
      // The sandbox lives on loopback, which outbound requests refuse by default.
      OUTBOUND_ALLOWED_HOSTS: "127.0.0.1",
    },
    itSystemUrl: `http://127.0.0.1:${itSystemPort}/it`,
    async stop() {
      itSystem.closeAllConnections();
      await new Promise<void>((resolve) => itSystem.close(() => resolve()));
      await Promise.all([slack.close(), openai.close()]);
    },
  };
}
