import { readJsonBody } from "@/lib/api/http";
import { orgRoute } from "@/lib/api/org-route";
import {
  deleteCredential,
  getCredential,
  updateCredential,
  updateCredentialSchema,
} from "@/lib/credentials/service";

export const GET = orgRoute("credentials:read", async (context) => ({
  credential: await getCredential(context.db, context.params.credentialId as string),
}));

export const PATCH = orgRoute("credentials:manage", async (context) => {
  const input = await readJsonBody(context.request, updateCredentialSchema);
  return {
    credential: await updateCredential(context, context.params.credentialId as string, input),
  };
});

export const DELETE = orgRoute("credentials:manage", async (context) =>
  deleteCredential(context, context.params.credentialId as string),
);
