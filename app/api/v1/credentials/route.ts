import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import {
  createCredential,
  createCredentialSchema,
  listCredentials,
} from "@/lib/credentials/service";

export const GET = orgRoute("credentials:read", async (context) => ({
  credentials: await listCredentials(context.db),
}));

export const POST = orgRoute("credentials:manage", async (context) => {
  const input = await readJsonBody(context.request, createCredentialSchema);
  return Response.json(
    { credential: await createCredential(context, input) },
    { status: 201, headers: { "cache-control": "no-store" } },
  );
});
