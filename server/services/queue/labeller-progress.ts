// A labeller's own numbers: judgments today and in total, per project and overall.
import { getDb } from "../../db";
import { labellableBy } from "../projects/assert-can-label";

export async function getLabellerProgress(opts: { userId: string; projectId?: string; now?: Date }) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const startOfDay = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const where = { userId: opts.userId, ...(opts.projectId ? { projectId: opts.projectId } : {}) };
  const [total, today, skips] = await Promise.all([
    db.judgment.count({ where }),
    db.judgment.count({ where: { ...where, createdAt: { gte: startOfDay } } }),
    db.skip.count({ where }),
  ]);
  return { total, today, skips };
}

/**
 * Active projects this user may label (open to all labellers, or they are a member) with how much this labeller can still do in each: open comparisons short of the
 * overlap they have not touched (some may be leased to others right now), plus the one they hold an
 * open lease on (it is theirs to finish, not done).
 */
export async function findLabellerProjects(opts: { userId: string; now?: Date }) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const user = await db.user.findUnique({ where: { id: opts.userId }, select: { role: true } });
  const projects = await db.project.findMany({
    where: { status: "active", ...labellableBy(opts.userId, user?.role ?? "labeller") },
    orderBy: { createdAt: "desc" },
  });
  return Promise.all(
    projects.map(async (p) => ({
      slug: p.slug,
      name: p.name,
      description: p.description,
      goldFeedback: p.goldFeedback,
      available: await db.comparison.count({
        where: {
          projectId: p.id,
          status: "open",
          // Gold comparisons are not bounded by the overlap: each is there for every labeller once (if served).
          OR: [{ isGold: false, judgmentCount: { lt: p.overlap } }, ...(p.goldRate > 0 ? [{ isGold: true }] : [])],
          skips: { none: { userId: opts.userId } },
          AND: [
            {
              OR: [
                { assignments: { none: { userId: opts.userId } } },
                { assignments: { some: { userId: opts.userId, status: "active", expiresAt: { gt: now } } } },
              ],
            },
          ],
        },
      }),
      ...(await getLabellerProgress({ userId: opts.userId, projectId: p.id })),
    })),
  );
}
