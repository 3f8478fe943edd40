// Creates a one-time invite link for an email address and role (admin action).
import { getDb } from "../../db";
import { env } from "../../env";
import { AppError } from "../../errors";
import type { TRole } from "../../domain";
import { hashToken, newToken } from "../../auth/tokens";
import { recordAudit } from "../audit/record-audit";
import { IMPORTED_EMAIL_DOMAIN } from "../import/imported-accounts";

const INVITE_DAYS = 7;

export async function createInvite(opts: { actorId: string; email: string; role: TRole }) {
  const email = opts.email.trim().toLowerCase();
  const db = getDb();
  if (email.endsWith(`@${IMPORTED_EMAIL_DOMAIN}`))
    throw new AppError(
      "BAD_INPUT",
      `Addresses at ${IMPORTED_EMAIL_DOMAIN} belong to imported judgments; invite a real address.`,
    );
  if (await db.user.findUnique({ where: { email } })) {
    throw new AppError("CONFLICT", `${email} already has an account.`);
  }
  const token = newToken();
  const invite = await db.$transaction(async (tx) => {
    // A new invite replaces any open one for the same address.
    await tx.invite.updateMany({
      where: { email, acceptedAt: null, revokedAt: null },
      data: { revokedAt: new Date() },
    });
    const created = await tx.invite.create({
      data: {
        email,
        role: opts.role,
        tokenHash: hashToken(token),
        invitedById: opts.actorId,
        expiresAt: new Date(Date.now() + INVITE_DAYS * 86_400_000),
      },
    });
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "invite.create",
        targetType: "invite",
        targetId: created.id,
        details: { email, role: opts.role },
      },
      tx,
    );
    return created;
  });
  return {
    id: invite.id,
    email,
    role: opts.role,
    expiresAt: invite.expiresAt,
    url: `${env().APP_URL}/invite/${token}`,
    token,
  };
}
