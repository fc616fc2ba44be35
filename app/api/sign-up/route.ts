import { signUp, signUpSchema, throttleSignUp } from "@/lib/accounts/sign-up";
import { readJsonBody, requestMeta } from "@/lib/api/http";
import { publicRoute } from "@/lib/api/public-route";

export const POST = publicRoute("creates a new account and organisation", async (request) => {
  const meta = requestMeta(request);
  await throttleSignUp(meta);
  const input = await readJsonBody(request, signUpSchema);
  const created = await signUp(input, meta);
  return Response.json(created, { status: 201 });
});
