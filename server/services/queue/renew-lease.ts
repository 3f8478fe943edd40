// Extends a labeller's lease while they work (the page calls it periodically).
import { getDb } from "../../db";
import { AppError } from "../../errors";

export async function renewLease(opts: { userId: string; assignmentId: string; now?: Date }) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const a = await db.assignment.findUnique({ where: { id: opts.assignmentId }, include: { project: true } });
  if (!a || a.userId !== opts.userId || a.status !== "active") {
    throw new AppError(
      "GONE",
      "Your lease on this prompt ended (it expired and went back to the queue). Load the next task.",
    );
  }
  const expiresAt = new Date(now.getTime() + a.project.leaseMinutes * 60_000);
  await db.assignment.update({ where: { id: a.id }, data: { expiresAt } });
  return { expiresAt };
}
