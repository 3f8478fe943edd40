// Numbers for an admin's project dashboard: comparison states (a prompt's candidate set of one round), judgments per day, skip reasons.
import { getDb } from "../../db";
import { AppError } from "../../errors";

const DAYS = 30;
const dayKey = (d: Date) => d.toISOString().slice(0, 10);

export async function getProjectDashboard(opts: { projectId: string; now?: Date }) {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: opts.projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const where = { projectId: project.id };
  const [total, complete, untouched, judgments, skips, labellers] = await Promise.all([
    db.comparison.count({ where: { ...where, status: { not: "retired" } } }),
    db.comparison.count({ where: { ...where, status: { not: "retired" }, judgmentCount: { gte: project.overlap } } }),
    db.comparison.count({
      where: { ...where, status: { not: "retired" }, judgmentCount: 0, assignments: { none: {} }, skips: { none: {} } },
    }),
    db.judgment.count({ where }),
    db.skip.groupBy({ by: ["reason"], where, _count: { _all: true } }),
    db.judgment.groupBy({ by: ["userId"], where, _count: { _all: true } }),
  ]);
  const now = opts.now ?? new Date();
  const since = new Date(now.getTime() - (DAYS - 1) * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const perDay = new Map<string, number>();
  for (let d = new Date(since); d <= now; d = new Date(d.getTime() + 86_400_000)) perDay.set(dayKey(d), 0);
  // Only the timestamps are read, in pages, so a big project does not load its judgments.
  let cursor: string | undefined;
  for (;;) {
    const page = await db.judgment.findMany({
      where: { ...where, createdAt: { gte: since } },
      select: { id: true, createdAt: true },
      orderBy: { id: "asc" },
      take: 5000,
      ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
    });
    for (const j of page) perDay.set(dayKey(j.createdAt), (perDay.get(dayKey(j.createdAt)) ?? 0) + 1);
    if (page.length < 5000) break;
    cursor = page[page.length - 1]?.id;
  }
  return {
    prompts: { total, complete, untouched, inProgress: total - complete - untouched },
    judgments,
    labellers: labellers.length,
    judgmentsPerDay: [...perDay.entries()].map(([day, count]) => ({ day, count })),
    skipReasons: skips.map((s) => ({ reason: s.reason, count: s._count._all })),
  };
}
