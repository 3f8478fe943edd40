// Password reset by an admin-issued link (there is no mail server): the admin gets a one-time link for an
// account and hands it over; the person sets a new password with it. Like an invite, only the token's hash
// is stored; a link lasts RESET_HOURS, works once, and a newer link for the same account replaces it. Using
// it ends every session of the account (whoever may have the old password is signed out) and signs the
// person in on this browser.
import { getDb } from "../../db";
import { env } from "../../env";
import { AppError } from "../../errors";
import { hashPassword, MIN_PASSWORD_LENGTH } from "../../auth/password";
import { hashToken, newToken } from "../../auth/tokens";
import { createSession } from "../../auth/session";
import { recordAudit } from "../audit/record-audit";

export const RESET_HOURS = 24;

export async function issuePasswordReset(opts: { actorId: string; userId: string; now?: Date }) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const user = await db.user.findUnique({ where: { id: opts.userId } });
  if (!user) throw new AppError("NOT_FOUND", "No user with that id.");
  if (user.isDisabled)
    throw new AppError("CONFLICT", `${user.email} is disabled; enable the account before resetting its password.`);
  const token = newToken();
  const reset = await db.$transaction(async (tx) => {
    await tx.passwordReset.updateMany({
      where: { userId: user.id, usedAt: null, revokedAt: null },
      data: { revokedAt: now },
    });
    const created = await tx.passwordReset.create({
      data: {
        tokenHash: hashToken(token),
        userId: user.id,
        createdById: opts.actorId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + RESET_HOURS * 3_600_000),
      },
    });
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "user.password-reset-link",
        targetType: "user",
        targetId: user.id,
        details: { email: user.email },
      },
      tx,
    );
    return created;
  });
  return { email: user.email, expiresAt: reset.expiresAt, url: `${env().APP_URL}/reset/${token}`, token };
}

async function getOpenReset(token: string, now: Date) {
  const reset = await getDb().passwordReset.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { email: true, isDisabled: true } } },
  });
  if (!reset || reset.revokedAt)
    throw new AppError("NOT_FOUND", "This password reset link is not valid. Ask an admin for a new one.");
  if (reset.usedAt)
    throw new AppError("GONE", "This password reset link was already used. Ask an admin for a new one.");
  if (reset.expiresAt <= now)
    throw new AppError("GONE", "This password reset link has expired. Ask an admin for a new one.");
  if (reset.user.isDisabled) throw new AppError("FORBIDDEN", "This account is disabled. Ask an admin.");
  return reset;
}

export async function getPasswordResetInfo(opts: { token: string; now?: Date }) {
  const reset = await getOpenReset(opts.token, opts.now ?? new Date());
  return { email: reset.user.email, expiresAt: reset.expiresAt };
}

export async function resetPassword(opts: { token: string; password: string; userAgent: string; now?: Date }) {
  if (opts.password.length < MIN_PASSWORD_LENGTH)
    throw new AppError("BAD_INPUT", `password: use at least ${MIN_PASSWORD_LENGTH} characters.`);
  const now = opts.now ?? new Date();
  const reset = await getOpenReset(opts.token, now);
  const passwordHash = await hashPassword(opts.password);
  const user = await getDb().$transaction(async (tx) => {
    // Spend the link first: a second use racing this one finds usedAt set and fails.
    const { count } = await tx.passwordReset.updateMany({
      where: { id: reset.id, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (count !== 1)
      throw new AppError("GONE", "This password reset link was already used. Ask an admin for a new one.");
    const updated = await tx.user.update({ where: { id: reset.userId }, data: { passwordHash, lastLoginAt: now } });
    await tx.session.deleteMany({ where: { userId: reset.userId } });
    await recordAudit(
      {
        actorId: reset.userId,
        action: "user.password-reset",
        targetType: "user",
        targetId: reset.userId,
        details: { resetId: reset.id },
      },
      tx,
    );
    return updated;
  });
  const session = await createSession({ userId: user.id, userAgent: opts.userAgent });
  return { ...session, user: { id: user.id, role: user.role } };
}
