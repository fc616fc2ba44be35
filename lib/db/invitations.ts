import "server-only";
import { type AuditContext, recordAudit } from "@/lib/audit";
import { db } from "@/lib/db/client";
import { Conflict } from "@/lib/errors";

// Invitation acceptance happens before the invitee belongs to the tenant, so
// the token lookup and the acceptance transaction live here.

export function findInvitationByTokenHash(tokenHash: string) {
  return db().invitation.findUnique({
    where: { tokenHash },
    select: {
      id: true,
      email: true,
      role: true,
      expiresAt: true,
      acceptedAt: true,
      revokedAt: true,
      organization: { select: { id: true, slug: true, name: true } },
    },
  });
}

export async function acceptInvitationRecord(input: {
  invitationId: string;
  organizationId: string;
  role: "owner" | "admin" | "editor" | "viewer";
  user:
    | { id: string; email: string }
    | { create: { email: string; name: string; passwordHash: string } };
  meta: AuditContext["meta"];
}) {
  return db().$transaction(async (tx) => {
    // Conditional update: of two simultaneous acceptances of one token, one wins.
    const claimed = await tx.invitation.updateMany({
      where: {
        id: input.invitationId,
        acceptedAt: null,
        revokedAt: null,
        expiresAt: { gt: new Date() },
      },
      data: { acceptedAt: new Date() },
    });
    if (claimed.count !== 1) throw new Conflict("This invitation has already been used.", "token");
    const user =
      "create" in input.user
        ? await tx.user.create({ data: { ...input.user.create, emailVerified: new Date() } })
        : input.user;
    const existing = await tx.membership.findUnique({
      where: { organizationId_userId: { organizationId: input.organizationId, userId: user.id } },
    });
    if (existing) throw new Conflict("You are already a member of this organisation.", "token");
    const membership = await tx.membership.create({
      data: { organizationId: input.organizationId, userId: user.id, role: input.role },
    });
    const context: AuditContext = {
      organizationId: input.organizationId,
      actor: { type: "user", userId: user.id, label: user.email },
      meta: input.meta,
    };
    if ("create" in input.user) {
      await recordAudit(tx, context, {
        action: "user.signed_up",
        targetType: "user",
        targetId: user.id,
        summary: { email: user.email, via: "invitation" },
      });
    }
    await recordAudit(tx, context, {
      action: "invitation.accepted",
      targetType: "invitation",
      targetId: input.invitationId,
      summary: { email: user.email, role: input.role },
    });
    await recordAudit(tx, context, {
      action: "member.added",
      targetType: "membership",
      targetId: membership.id,
      summary: { member: user.email, role: input.role },
    });
    return { userId: user.id, membershipId: membership.id };
  });
}
