// Lists accounts and open invites for the admin, with each person's labelling statistics.
import { getDb } from "../../db";

/** Median of a sorted column via one ordered lookup, so no judgment list is loaded. */
async function medianTotalMs(userId: string, count: number): Promise<number | null> {
  if (count === 0) return null;
  const db = getDb();
  const at = async (skip: number) =>
    (await db.judgment.findFirst({ where: { userId }, orderBy: { totalMs: "asc" }, skip, select: { totalMs: true } }))
      ?.totalMs ?? 0;
  const mid = Math.floor(count / 2);
  return count % 2 === 1 ? at(mid) : Math.round(((await at(mid - 1)) + (await at(mid))) / 2);
}

export async function findUsers() {
  const db = getDb();
  const users = await db.user.findMany({
    orderBy: [{ role: "asc" }, { email: "asc" }],
    include: { _count: { select: { judgments: true, skips: true } } },
  });
  const rows = await Promise.all(
    users.map(async (u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      role: u.role,
      isDisabled: u.isDisabled,
      /** Set for an account of imported judgments: it cannot be enabled or change role. */
      importedFrom: u.importedFrom,
      createdAt: u.createdAt,
      lastLoginAt: u.lastLoginAt,
      judgments: u._count.judgments,
      skips: u._count.skips,
      medianMs: await medianTotalMs(u.id, u._count.judgments),
    })),
  );
  const invites = await db.invite.findMany({
    where: { acceptedAt: null, revokedAt: null, expiresAt: { gt: new Date() } },
    orderBy: { createdAt: "desc" },
    select: { id: true, email: true, role: true, createdAt: true, expiresAt: true },
  });
  return { users: rows, invites };
}
