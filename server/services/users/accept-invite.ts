// Reads and redeems invite links: redeeming creates the account and signs it in.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../../auth/password";
import { hashToken } from "../../auth/tokens";
import { createSession } from "../../auth/session";

async function getOpenInvite(token: string) {
  const invite = await getDb().invite.findUnique({ where: { tokenHash: hashToken(token) } });
  if (!invite || invite.revokedAt)
    throw new AppError("NOT_FOUND", "This invite link is not valid. Ask an admin for a new one.");
  if (invite.acceptedAt) throw new AppError("GONE", "This invite link was already used. Sign in instead.");
  if (invite.expiresAt.getTime() < Date.now())
    throw new AppError("GONE", "This invite link has expired. Ask an admin for a new one.");
  return invite;
}

export async function getInviteInfo(opts: { token: string }) {
  const invite = await getOpenInvite(opts.token);
  return { email: invite.email, role: invite.role, expiresAt: invite.expiresAt };
}

export async function acceptInvite(opts: { token: string; name: string; password: string; userAgent: string }) {
  if (opts.password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError("BAD_INPUT", `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const invite = await getOpenInvite(opts.token);
  const passwordHash = await hashPassword(opts.password);
  const db = getDb();
  const user = await db.$transaction(async (tx) => {
    // Redeem first: a concurrent second use of the same link finds acceptedAt set and fails.
    const { count } = await tx.invite.updateMany({
      where: { id: invite.id, acceptedAt: null },
      data: { acceptedAt: new Date() },
    });
    if (count !== 1) throw new AppError("GONE", "This invite link was already used. Sign in instead.");
    if (await tx.user.findUnique({ where: { email: invite.email } }))
      throw new AppError("CONFLICT", `${invite.email} already has an account.`);
    const created = await tx.user.create({
      // Accepting signs the new person in: that is their first sign-in.
      data: { email: invite.email, name: opts.name.trim(), role: invite.role, passwordHash, lastLoginAt: new Date() },
    });
    await tx.invite.update({ where: { id: invite.id }, data: { acceptedById: created.id } });
    return created;
  });
  const session = await createSession({ userId: user.id, userAgent: opts.userAgent });
  return { ...session, user: { id: user.id, role: user.role } };
}
