import "server-only";
import { z } from "zod";
import type { OrgContext } from "@/lib/api/org-route";
import { recordAudit } from "@/lib/audit";
import { emailSchema } from "@/lib/auth/password-policy";
import type { TenantTx } from "@/lib/db/tenant";
import { Conflict, Forbidden, Gone, NotFound } from "@/lib/errors";
import { sendEmail } from "@/lib/mail/send-email";
import { invitationEmail } from "@/lib/mail/templates/invitation";
import { roleSchema } from "@/lib/members/service";
import { canGrant, type Role } from "@/lib/permissions";
import { INVITATION_TTL_DAYS, newInvitationToken } from "./tokens";

export const createInvitationSchema = z.object({ email: emailSchema, role: roleSchema }).strict();

const INVITATION_FIELDS = {
  id: true,
  email: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  createdAt: true,
} as const;

type InvitationRow = {
  id: string;
  email: string;
  role: string;
  expiresAt: Date;
  acceptedAt: Date | null;
  revokedAt: Date | null;
};

export function invitationStatus(invitation: InvitationRow, now = new Date()) {
  if (invitation.acceptedAt) return "accepted" as const;
  if (invitation.revokedAt) return "revoked" as const;
  if (invitation.expiresAt <= now) return "expired" as const;
  return "pending" as const;
}

function appUrl(context: OrgContext): string {
  return (process.env.APP_URL ?? context.url.origin).replace(/\/$/, "");
}

function expiry(): Date {
  return new Date(Date.now() + INVITATION_TTL_DAYS * 24 * 3_600_000);
}

export async function listInvitations(context: OrgContext) {
  const rows = await context.db.invitation.findMany({
    select: INVITATION_FIELDS,
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  return rows.map((row) => ({ ...row, status: invitationStatus(row) }));
}

async function deliver(
  context: OrgContext,
  invitation: { id: string; email: string; role: string; expiresAt: Date },
  token: string,
) {
  const inviterName = context.actor.label;
  const message = invitationEmail({
    organizationName: context.organization.name,
    inviterName,
    role: invitation.role as Role,
    acceptUrl: `${appUrl(context)}/invitations/${token}`,
    expiresAt: invitation.expiresAt,
  });
  // Same id for a retried send, so the provider never delivers it twice.
  await sendEmail({
    to: invitation.email,
    ...message,
    idempotencyKey: `invitation-${invitation.id}-${invitation.expiresAt.getTime()}`,
  });
}

/** Stores the invitation and sends its email in one transaction: a failed send stores nothing. */
export async function createInvitation(
  context: OrgContext,
  input: z.infer<typeof createInvitationSchema>,
) {
  if (!canGrant(context.role, input.role))
    throw new Forbidden(`Your role (${context.role}) cannot invite a ${input.role}.`);
  return context.db.$transaction(async (tx) => {
    const alreadyMember = await tx.membership.count({ where: { user: { email: input.email } } });
    if (alreadyMember) throw new Conflict("This person is already a member.", "email");
    const pending = await tx.invitation.findFirst({
      where: {
        email: input.email,
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { gt: new Date() },
      },
    });
    if (pending)
      throw new Conflict(
        "This person already has a pending invitation; resend it instead.",
        "email",
      );
    const { token, tokenHash } = newInvitationToken();
    const invitation = await tx.invitation.create({
      data: {
        organizationId: context.organization.id,
        email: input.email,
        role: input.role,
        tokenHash,
        expiresAt: expiry(),
        invitedById: context.actor.type === "user" ? context.actor.userId : null,
      },
      select: INVITATION_FIELDS,
    });
    await recordAudit(tx, context.audit, {
      action: "invitation.created",
      targetType: "invitation",
      targetId: invitation.id,
      summary: { email: input.email, role: input.role },
    });
    await deliver(context, invitation, token);
    return { ...invitation, status: invitationStatus(invitation) };
  });
}

async function pendingInvitation(context: OrgContext, tx: TenantTx, id: string) {
  const invitation = await tx.invitation.findUnique({ where: { id }, select: INVITATION_FIELDS });
  if (!invitation) throw new NotFound("Invitation");
  if (!canGrant(context.role, invitation.role as Role))
    throw new Forbidden(
      `Your role (${context.role}) cannot manage a ${invitation.role} invitation.`,
    );
  if (invitation.acceptedAt)
    throw new Conflict("This invitation has already been accepted.", "invitationId");
  return invitation;
}

export async function revokeInvitation(context: OrgContext, id: string) {
  return context.db.$transaction(async (tx) => {
    const invitation = await pendingInvitation(context, tx, id);
    if (invitation.revokedAt) return { ...invitation, status: "revoked" as const };
    const revoked = await tx.invitation.update({
      where: { id },
      data: { revokedAt: new Date() },
      select: INVITATION_FIELDS,
    });
    await recordAudit(tx, context.audit, {
      action: "invitation.revoked",
      targetType: "invitation",
      targetId: id,
      summary: { email: invitation.email },
    });
    return { ...revoked, status: invitationStatus(revoked) };
  });
}

/** A fresh token and expiry (the old link stops working), and the email again. */
export async function resendInvitation(context: OrgContext, id: string) {
  return context.db.$transaction(async (tx) => {
    const current = await pendingInvitation(context, tx, id);
    if (current.revokedAt)
      throw new Gone("This invitation was revoked; create a new one instead.", "invitationId");
    const { token, tokenHash } = newInvitationToken();
    const invitation = await tx.invitation.update({
      where: { id },
      data: { tokenHash, expiresAt: expiry() },
      select: INVITATION_FIELDS,
    });
    await recordAudit(tx, context.audit, {
      action: "invitation.resent",
      targetType: "invitation",
      targetId: id,
      summary: { email: invitation.email },
    });
    await deliver(context, invitation, token);
    return { ...invitation, status: invitationStatus(invitation) };
  });
}
