import "server-only";
import { z } from "zod";
import type { RequestMeta } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { emailSchema, passwordSchema } from "@/lib/auth/password-policy";
import { findUserByEmail } from "@/lib/db/accounts";
import { createAccountWithOrganization, slugTaken } from "@/lib/db/organizations";
import { consumeRateLimit } from "@/lib/db/rate-limit";
import { Conflict } from "@/lib/errors";
import { organizationNameSchema, slugify, slugSchema } from "@/lib/organizations/schemas";

export const signUpSchema = z
  .object({
    name: z
      .string({ error: "is required" })
      .trim()
      .min(1, "is required")
      .max(120, "must be at most 120 characters"),
    email: emailSchema,
    password: passwordSchema,
    organizationName: organizationNameSchema,
    organizationSlug: slugSchema.optional(),
  })
  .strict();

export type SignUpInput = z.infer<typeof signUpSchema>;

export const SIGN_UP_LIMIT = { limit: 10, windowSeconds: 3_600 };

async function freeSlugFor(name: string): Promise<string> {
  const base = slugify(name);
  for (let suffix = 1; suffix < 50; suffix++) {
    const candidate = suffix === 1 ? base : `${base.slice(0, 44)}-${suffix}`;
    if (slugSchema.safeParse(candidate).success && !(await slugTaken(candidate))) return candidate;
  }
  return `${base.slice(0, 36)}-${Date.now().toString(36)}`;
}

/** Counts every attempt, valid or not, against the caller's address. */
export async function throttleSignUp(meta: RequestMeta): Promise<void> {
  // Without a client address (no proxy header) a shared bucket would let one client lock everyone out.
  if (meta.ip) await consumeRateLimit(`sign-up:ip:${meta.ip}`, SIGN_UP_LIMIT);
}

/** Creates the user, their organisation and their owner membership, audited, in one transaction. */
export async function signUp(input: SignUpInput, meta: RequestMeta) {
  if (await findUserByEmail(input.email))
    throw new Conflict("An account with this email already exists.", "email");
  if (input.organizationSlug && (await slugTaken(input.organizationSlug))) {
    throw new Conflict("This URL is already taken.", "organizationSlug");
  }
  const slug = input.organizationSlug ?? (await freeSlugFor(input.organizationName));
  const { user, organization } = await createAccountWithOrganization({
    user: {
      email: input.email,
      name: input.name,
      passwordHash: await hashPassword(input.password),
    },
    organization: { name: input.organizationName, slug },
    meta,
  });
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organization: { id: organization.id, slug, name: organization.name },
  };
}
