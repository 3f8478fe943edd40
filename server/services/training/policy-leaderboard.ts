// A leaderboard of a project's policy versions from the human judgments (Bradley-Terry with bootstrap
// intervals, `bradley-terry.ts`). Only head-to-head evidence counts: two candidates of different
// versions ranked in one judgment (one beats the other, or a tie). From round 1, a share of each round's
// generated comparisons (Project.headToHeadShare) mixes the active policy with the version it was trained
// from, and imported comparisons may name versions too; without such judgments the board says so and shows
// each version's judgments without ratings, rather than comparing versions judged on different prompts.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { ZTiers } from "../../domain";
import { bradleyTerry, type TOutcome } from "./bradley-terry";

/** The newest judgments read (an admin view: bounded work per load). */
const MAX_JUDGMENTS = 20_000;

export async function getPolicyLeaderboard(o: { projectId: string; rounds?: number }) {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: o.projectId }, select: { id: true } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const judgments = await db.judgment.findMany({
    where: { projectId: project.id },
    orderBy: { createdAt: "desc" },
    take: MAX_JUDGMENTS,
    select: { tiers: true, comparison: { select: { candidates: { select: { id: true, modelVersionId: true } } } } },
  });
  const judged = new Map<string, number>();
  const groups: TOutcome[][] = [];
  for (const j of judgments) {
    const versionOf = new Map(j.comparison.candidates.map((c) => [c.id, c.modelVersionId]));
    for (const v of new Set(versionOf.values())) if (v) judged.set(v, (judged.get(v) ?? 0) + 1);
    const tiers = ZTiers.safeParse(j.tiers);
    if (!tiers.success) continue;
    const outcomes = headToHead(tiers.data, versionOf);
    if (outcomes.length > 0) groups.push(outcomes);
  }
  const names = new Map(
    (
      await db.modelVersion.findMany({ where: { id: { in: [...judged.keys()] } }, select: { id: true, name: true } })
    ).map((v) => [v.id, v.name]),
  );
  const ratings = bradleyTerry(groups, { rounds: o.rounds ?? 200, seed: 1 });
  return {
    judgmentsRead: judgments.length,
    headToHeadJudgments: groups.length,
    isConnected: isConnected(groups),
    ratings: ratings.map((r) => ({ ...r, versionId: r.player, name: names.get(r.player) ?? r.player })),
    versions: [...judged.entries()]
      .map(([id, count]) => ({ versionId: id, name: names.get(id) ?? id, judgments: count }))
      .sort((a, b) => b.judgments - a.judgments || a.name.localeCompare(b.name)),
  };
}

/** The cross-version outcomes of one ranking: every pair of candidates of two different versions. */
export function headToHead(tiers: string[][], versionOf: Map<string, string | null>): TOutcome[] {
  const out: TOutcome[] = [];
  const flat = tiers.flatMap((tier, rank) => tier.map((id) => ({ rank, version: versionOf.get(id) ?? null })));
  for (let i = 0; i < flat.length; i++) {
    for (let k = i + 1; k < flat.length; k++) {
      const x = flat[i]!;
      const y = flat[k]!;
      if (!x.version || !y.version || x.version === y.version) continue;
      out.push({ a: x.version, b: y.version, score: x.rank === y.rank ? 0.5 : x.rank < y.rank ? 1 : 0 });
    }
  }
  return out;
}

/** Whether every version met every other through some chain of head-to-head judgments. */
function isConnected(groups: TOutcome[][]): boolean {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  for (const o of groups.flat()) parent.set(find(o.a), find(o.b));
  return new Set([...new Set(groups.flat().flatMap((o) => [o.a, o.b]))].map(find)).size <= 1;
}
