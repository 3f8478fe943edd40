// Returns prompts whose lease ran out to the queue (deleting the lease frees its slot).
import { getDb } from "../../db";

export async function releaseExpiredLeases(opts: { projectId?: string; now?: Date } = {}): Promise<number> {
  const db = getDb();
  const where = {
    status: "active",
    expiresAt: { lte: opts.now ?? new Date() },
    ...(opts.projectId ? { projectId: opts.projectId } : {}),
  };
  // Every lease request calls this: look first (a read, on the lease index), so that the common case takes
  // no write lock (on SQLite a DELETE locks the database even when it matches nothing).
  if (!(await db.assignment.findFirst({ where, select: { id: true } }))) return 0;
  const { count } = await db.assignment.deleteMany({ where });
  return count;
}
