// Admin changes to an account: disable/enable (disabling ends its sessions) and role changes.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import type { TRole } from "../../domain";
import { recordAudit } from "../audit/record-audit";

async function assertNotLastAdmin(userId: string) {
  const db = getDb();
  const user = await db.user.findUnique({ where: { id: userId } });
  if (!user) throw new AppError("NOT_FOUND", "No such user.");
  if (user.role === "admin") {
    const admins = await db.user.count({ where: { role: "admin", isDisabled: false } });
    if (admins <= 1) throw new AppError("CONFLICT", "This is the last active admin; make another admin first.");
  }
  return user;
}

/** An account of imported judgments stays disabled and a labeller: it has no password and nobody behind it. */
async function assertNotImported(userId: string, what: string) {
  const user = await getDb().user.findUnique({ where: { id: userId }, select: { name: true, importedFrom: true } });
  if (user?.importedFrom)
    throw new AppError("CONFLICT", `${user.name} only holds judgments imported from ${user.importedFrom}; ${what}.`);
}

export async function setUserDisabled(opts: { actorId: string; userId: string; isDisabled: boolean }) {
  if (opts.actorId === opts.userId && opts.isDisabled)
    throw new AppError("CONFLICT", "You cannot disable your own account.");
  if (!opts.isDisabled) await assertNotImported(opts.userId, "it cannot be enabled");
  if (opts.isDisabled) await assertNotLastAdmin(opts.userId);
  await getDb().$transaction(async (tx) => {
    const user = await tx.user.update({ where: { id: opts.userId }, data: { isDisabled: opts.isDisabled } });
    if (opts.isDisabled) {
      await tx.session.deleteMany({ where: { userId: user.id } });
      // Give the disabled labeller's open leases back to the queue at once.
      await tx.assignment.deleteMany({ where: { userId: user.id, status: "active" } });
    }
    await recordAudit(
      {
        actorId: opts.actorId,
        action: opts.isDisabled ? "user.disable" : "user.enable",
        targetType: "user",
        targetId: user.id,
      },
      tx,
    );
  });
}

export async function setUserRole(opts: { actorId: string; userId: string; role: TRole }) {
  await assertNotImported(opts.userId, "its role cannot change");
  if (opts.role !== "admin") await assertNotLastAdmin(opts.userId);
  await getDb().$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: opts.userId }, select: { role: true } });
    await tx.user.update({ where: { id: opts.userId }, data: { role: opts.role } });
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "user.set-role",
        targetType: "user",
        targetId: opts.userId,
        details: { role: opts.role, from: before?.role },
      },
      tx,
    );
  });
}
