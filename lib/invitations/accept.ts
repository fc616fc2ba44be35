import "server-only";
import { z } from "zod";
import type { RequestMeta } from "@/lib/audit";
import { hashPassword } from "@/lib/auth/password";
import { passwordSchema } from "@/lib/auth/password-policy";
import type { SessionUser } from "@/lib/auth/session";
import { findUserByEmail } from "@/lib/db/accounts";
import { acceptInvitationRecord, findInvitationByTokenHash } from "@/lib/db/invitations";
import { consumeRateLimit } from "@/lib/db/rate-limit";
import { Conflict, Forbidden, Gone, NotFound, Unauthorized, ValidationFailed } from "@/lib/errors";
import { hashInvitationToken } from "./tokens";

export const acceptInvitationSchema = z
  .object({
    token: z
      .string({ error: "is required" })
      .min(20, "is not a valid invitation token")
      .max(128, "is not a valid invitation token"),
    name: z
      .string()
      .trim()
      .min(1, "is required")
      .max(120, "must be at most 120 characters")
      .optional(),
    password: passwordSchema.optional(),
  })
  .strict();

async function usableInvitation(token: string) {
  const invitation = await findInvitationByTokenHash(hashInvitationToken(token));
  if (!invitation) throw new NotFound("Invitation");
  if (invitation.acceptedAt) throw new Conflict("This invitation has already been used.", "token");
  if (invitation.revokedAt)
    throw new Gone("This invitation has been revoked; ask for a new one.", "token");
  if (invitation.expiresAt <= new Date())
    throw new Gone("This invitation has expired; ask for a new one.", "token");
  return invitation;
}

/** What the acceptance page shows; errors say why a link cannot be used. */
export async function describeInvitation(token: string) {
  const invitation = await usableInvitation(token);
  const existingUser = Boolean(await findUserByEmail(invitation.email));
  return {
    email: invitation.email,
    role: invitation.role,
    organization: { name: invitation.organization.name, slug: invitation.organization.slug },
    expiresAt: invitation.expiresAt,
    existingUser,
  };
}

export async function acceptInvitation(
  input: z.infer<typeof acceptInvitationSchema>,
  sessionUser: SessionUser | null,
  meta: RequestMeta,
) {
  await consumeRateLimit(`invitation-accept:ip:${meta.ip ?? "unknown"}`, {
    limit: 30,
    windowSeconds: 3_600,
  });
  const invitation = await usableInvitation(input.token);
  const base = {
    invitationId: invitation.id,
    organizationId: invitation.organization.id,
    role: invitation.role,
    meta,
  };
  if (sessionUser) {
    if (sessionUser.email.toLowerCase() !== invitation.email.toLowerCase()) {
      throw new Forbidden(
        `This invitation is for ${invitation.email}; sign in with that address to accept it.`,
      );
    }
    await acceptInvitationRecord({ ...base, user: sessionUser });
    return { organization: invitation.organization, createdAccount: false };
  }
  if (await findUserByEmail(invitation.email)) {
    throw new Unauthorized(
      `An account for ${invitation.email} exists; sign in to accept this invitation.`,
    );
  }
  const missing = [
    ...(input.name ? [] : [{ field: "name", message: "is required to create your account" }]),
    ...(input.password
      ? []
      : [{ field: "password", message: "is required to create your account" }]),
  ];
  if (missing.length) throw new ValidationFailed(missing);
  await acceptInvitationRecord({
    ...base,
    user: {
      create: {
        email: invitation.email,
        name: input.name as string,
        passwordHash: await hashPassword(input.password as string),
      },
    },
  });
  return { organization: invitation.organization, createdAccount: true, email: invitation.email };
}
