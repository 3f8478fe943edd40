// A signed-in user changes their password; their other sessions end.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { hashPassword, verifyPassword } from "../../auth/password";

export async function changePassword(opts: { userId: string; keepSessionId: string; current: string; next: string }) {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: opts.userId } });
  if (!user || !(await verifyPassword(opts.current, user.passwordHash)))
    throw new AppError("BAD_INPUT", "current: the current password is wrong.");
  await db.$transaction([
    db.user.update({ where: { id: user.id }, data: { passwordHash: await hashPassword(opts.next) } }),
    db.session.deleteMany({ where: { userId: user.id, id: { not: opts.keepSessionId } } }),
  ]);
  return { ok: true };
}
