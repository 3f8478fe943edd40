// Streams a project's judgments grouped by comparison, in pages of about a thousand comparisons, selecting only
// the columns quality control reads. Memory stays at one page, whatever the size of the project.
import { getDb } from "../../db";

export type ScannedJudgment = {
  userId: string;
  tiers: string[][];
  shownOrder: string[];
  activeMs: number;
  createdAt: Date;
};
export type ComparisonGroup = { comparisonId: string; judgments: ScannedJudgment[] };

const PAGE = 5000;

function asTiers(v: unknown): string[][] {
  return Array.isArray(v)
    ? v.filter(Array.isArray).map((t) => t.filter((id): id is string => typeof id === "string"))
    : [];
}
function asIds(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((id): id is string => typeof id === "string") : [];
}

/**
 * Comparisons with judgments are read in keyset pages of ids (`pageSize / 5` at a time), then their judgments
 * through the `(comparisonId, userId)` unique index. Ordering the project's judgments themselves would sort all
 * of them again for every page (no index leads with the project and the comparison).
 */
export async function* scanComparisonGroups(projectId: string, pageSize = PAGE): AsyncGenerator<ComparisonGroup> {
  const db = getDb();
  const perPage = Math.max(1, Math.floor(pageSize / 5));
  let after: string | null = null;
  for (;;) {
    const comparisons: { id: string }[] = await db.comparison.findMany({
      where: { projectId, judgmentCount: { gt: 0 }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true },
      orderBy: { id: "asc" },
      take: perPage,
    });
    if (comparisons.length === 0) break;
    const rows = await db.judgment.findMany({
      // A range of the unique index rather than an IN list (databases cap the number of query parameters); no
      // project filter, so that SQLite's planner keeps to that index. Other projects' rows in the range are dropped.
      where: { comparisonId: { gte: comparisons[0]!.id, lte: comparisons[comparisons.length - 1]!.id } },
      select: { comparisonId: true, userId: true, tiers: true, shownOrder: true, activeMs: true, createdAt: true },
      orderBy: [{ comparisonId: "asc" }, { userId: "asc" }],
    });
    const mine = new Set(comparisons.map((c) => c.id));
    let current: ComparisonGroup | null = null;
    for (const row of rows) {
      if (!mine.has(row.comparisonId)) continue;
      if (current && current.comparisonId !== row.comparisonId) {
        yield current;
        current = null;
      }
      current ??= { comparisonId: row.comparisonId, judgments: [] };
      current.judgments.push({
        userId: row.userId,
        tiers: asTiers(row.tiers),
        shownOrder: asIds(row.shownOrder),
        activeMs: row.activeMs,
        createdAt: row.createdAt,
      });
    }
    if (current) yield current;
    if (comparisons.length < perPage) break;
    after = comparisons[comparisons.length - 1]!.id;
  }
}
