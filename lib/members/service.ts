import "server-only";
import { z } from "zod";
import type { OrgContext } from "@/lib/api/org-route";
import { recordAudit } from "@/lib/audit";
import type { TenantTx } from "@/lib/db/tenant";
import { Conflict, Forbidden, NotFound } from "@/lib/errors";
import { can, canGrant, ROLES, type Role } from "@/lib/permissions";

export const roleSchema = z.enum(ROLES, { error: `must be one of ${ROLES.join(", ")}` });
export const changeRoleSchema = z.object({ role: roleSchema }).strict();

const MEMBER_FIELDS = {
  id: true,
  role: true,
  createdAt: true,
  user: { select: { id: true, email: true, name: true } },
} as const;

export async function listMembers(context: OrgContext) {
  return context.db.membership.findMany({ select: MEMBER_FIELDS, orderBy: { createdAt: "asc" } });
}

// Serializable so two owners demoting each other at once cannot leave the organisation ownerless.
const SERIALIZABLE = { isolationLevel: "Serializable" as const };

async function withOwnerGuard<T>(context: OrgContext, work: (tx: TenantTx) => Promise<T>) {
  try {
    return await context.db.$transaction(work, SERIALIZABLE);
  } catch (error) {
    if ((error as { code?: string }).code === "P2034") {
      throw new Conflict("Another change to the members happened at the same time; try again.");
    }
    throw error;
  }
}

function assertMayManage(context: OrgContext, targetRole: Role, newRole?: Role) {
  if (!canGrant(context.role, targetRole))
    throw new Forbidden(`Your role (${context.role}) cannot change a member who is ${targetRole}.`);
  if (newRole && !canGrant(context.role, newRole))
    throw new Forbidden(`Your role (${context.role}) cannot grant ${newRole}.`);
}

export async function changeMemberRole(context: OrgContext, membershipId: string, role: Role) {
  return withOwnerGuard(context, async (tx) => {
    const member = await tx.membership.findUnique({
      where: { id: membershipId },
      select: MEMBER_FIELDS,
    });
    if (!member) throw new NotFound("Member");
    assertMayManage(context, member.role as Role, role);
    if (member.role === role) return member;
    if (member.role === "owner" && (await tx.membership.count({ where: { role: "owner" } })) <= 1) {
      throw new Conflict(
        "The organisation must keep at least one owner; promote someone else first.",
        "role",
      );
    }
    const updated = await tx.membership.update({
      where: { id: membershipId },
      data: { role },
      select: MEMBER_FIELDS,
    });
    await recordAudit(tx, context.audit, {
      action: "member.role_changed",
      targetType: "membership",
      targetId: membershipId,
      summary: { member: member.user.email, from: member.role, to: role },
    });
    return updated;
  });
}

export async function removeMember(context: OrgContext, membershipId: string) {
  return withOwnerGuard(context, async (tx) => {
    const member = await tx.membership.findUnique({
      where: { id: membershipId },
      select: MEMBER_FIELDS,
    });
    if (!member) throw new NotFound("Member");
    const leavingThemselves =
      context.actor.type === "user" && context.actor.userId === member.user.id;
    if (!leavingThemselves) {
      if (!can(context.role, "members:remove"))
        throw new Forbidden(`Your role (${context.role}) cannot remove members.`);
      assertMayManage(context, member.role as Role);
    }
    if (member.role === "owner" && (await tx.membership.count({ where: { role: "owner" } })) <= 1) {
      throw new Conflict("The organisation must keep at least one owner.", "membershipId");
    }
    await tx.membership.delete({ where: { id: membershipId } });
    await recordAudit(tx, context.audit, {
      action: leavingThemselves ? "member.left" : "member.removed",
      targetType: "membership",
      targetId: membershipId,
      summary: { member: member.user.email, role: member.role },
    });
    return { removed: membershipId };
  });
}
