import { readJsonBody, requestMeta } from "@/lib/api/http";
import { publicRoute } from "@/lib/api/public-route";
import { signUp, signUpSchema } from "@/lib/accounts/sign-up";

export const POST = publicRoute("creates a new account and organisation", async (request) => {
  const input = await readJsonBody(request, signUpSchema);
  const created = await signUp(input, requestMeta(request));
  return Response.json(created, { status: 201 });
});
