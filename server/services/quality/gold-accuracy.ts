// Each labeller's accuracy on a project's gold comparisons, from the scores written at submit (Judgment.goldResult):
// judgments n, mean tau-b against the expected rankings, top-1 hit rate, flag recall and mean gold score, each
// over the judgments whose gold answer asked for that part (null when none did). Gold judgments are few (gold
// comparisons x labellers), so two columns of them are read at once.
import { getDb } from "../../db";
import { ZGoldResult } from "../../domain";

export type TGoldAccuracy = {
  judgments: number;
  misses: number;
  meanTau: number | null;
  top1Rate: number | null;
  flagRecall: number | null;
  meanScore: number;
};

const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : null);

export async function goldAccuracyByLabeller(projectId: string): Promise<Map<string, TGoldAccuracy>> {
  const rows = await getDb().judgment.findMany({
    where: { projectId, comparison: { isGold: true } },
    select: { userId: true, goldResult: true, isGoldMiss: true },
  });
  const byUser = new Map<
    string,
    { tau: number[]; top1: number[]; recall: number[]; score: number[]; misses: number }
  >();
  for (const r of rows) {
    const g = ZGoldResult.safeParse(r.goldResult);
    if (!g.success) continue;
    let acc = byUser.get(r.userId);
    if (!acc) byUser.set(r.userId, (acc = { tau: [], top1: [], recall: [], score: [], misses: 0 }));
    if (g.data.tau !== null) acc.tau.push(g.data.tau);
    if (g.data.top1 !== null) acc.top1.push(g.data.top1 ? 1 : 0);
    if (g.data.flagRecall !== null) acc.recall.push(g.data.flagRecall);
    acc.score.push(g.data.score);
    if (r.isGoldMiss) acc.misses++;
  }
  return new Map(
    [...byUser.entries()].map(([userId, a]) => [
      userId,
      {
        judgments: a.score.length,
        misses: a.misses,
        meanTau: mean(a.tau),
        top1Rate: mean(a.top1),
        flagRecall: mean(a.recall),
        meanScore: mean(a.score)!,
      },
    ]),
  );
}
