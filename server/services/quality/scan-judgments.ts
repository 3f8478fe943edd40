// Streams a project's judgments grouped by comparison, in pages of a few thousand rows selecting only the
// columns quality control reads, in the order of the (comparisonId, userId) unique index (keyset pagination).
// Memory stays at one page plus one comparison's judgments, whatever the size of the project.
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

export async function* scanComparisonGroups(projectId: string, pageSize = PAGE): AsyncGenerator<ComparisonGroup> {
  const db = getDb();
  let after: { comparisonId: string; userId: string } | null = null;
  let current: ComparisonGroup | null = null;
  for (;;) {
    const page: {
      comparisonId: string;
      userId: string;
      tiers: unknown;
      shownOrder: unknown;
      activeMs: number;
      createdAt: Date;
    }[] = await db.judgment.findMany({
      where: {
        projectId,
        ...(after
          ? {
              OR: [
                { comparisonId: { gt: after.comparisonId } },
                { comparisonId: after.comparisonId, userId: { gt: after.userId } },
              ],
            }
          : {}),
      },
      select: { comparisonId: true, userId: true, tiers: true, shownOrder: true, activeMs: true, createdAt: true },
      orderBy: [{ comparisonId: "asc" }, { userId: "asc" }],
      take: pageSize,
    });
    for (const row of page) {
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
    const last = page[page.length - 1];
    if (!last || page.length < pageSize) break;
    after = { comparisonId: last.comparisonId, userId: last.userId };
  }
  if (current) yield current;
}
