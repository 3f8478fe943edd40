// Returns prompts whose lease ran out to the queue (deleting the lease frees its slot).
import { getDb } from "../../db";

export async function releaseExpiredLeases(opts: { projectId?: string; now?: Date } = {}): Promise<number> {
  const { count } = await getDb().assignment.deleteMany({
    where: {
      status: "active",
      expiresAt: { lte: opts.now ?? new Date() },
      ...(opts.projectId ? { projectId: opts.projectId } : {}),
    },
  });
  return count;
}
