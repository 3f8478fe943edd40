// Extends a labeller's lease while they work (the page calls it periodically).
import { getDb } from "../../db";
import { AppError } from "../../errors";

export async function renewLease(opts: { userId: string; assignmentId: string; now?: Date }) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const a = await db.assignment.findUnique({ where: { id: opts.assignmentId }, include: { project: true } });
  // An expired lease is not renewed even before it is reclaimed: its slot is free for others.
  if (!a || a.userId !== opts.userId || a.status !== "active" || a.expiresAt <= now) {
    throw new AppError(
      "GONE",
      "Your lease on this prompt ended (it expired and went back to the queue). Load the next task.",
    );
  }
  const expiresAt = new Date(now.getTime() + a.project.leaseMinutes * 60_000);
  // Conditional, so a lease reclaimed between the read and this write is not revived.
  const { count } = await db.assignment.updateMany({
    where: { id: a.id, status: "active", expiresAt: { gt: now } },
    data: { expiresAt },
  });
  if (count !== 1)
    throw new AppError(
      "GONE",
      "Your lease on this prompt ended (it expired and went back to the queue). Load the next task.",
    );
  return { expiresAt };
}
