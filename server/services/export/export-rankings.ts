// What an export's rows are made from: every judgment (raw), or one ranking per comparison: the
// reliability-weighted consensus of its judgments, the reviewer's adjudicated ranking, or the adjudicated one where
// a reviewer made one and the consensus elsewhere ("final"). A per-comparison ranking is a TSourceJudgment with
// `rankingSource` saying which, so every format writes it as it writes a judgment.
import type { TCandidateFlags, TExportSource, TTiers } from "../../domain";
import { ZTiers } from "../../domain";
import { getDb } from "../../db";
import { consensusRanking } from "../quality/stats/consensus";
import { reliabilityWeights } from "../quality/consensus-rankings";
import { sourceJudgments, type TExportFilters, type TSourceJudgment } from "./export-source";

type TAdjudicated = { tiers: TTiers; note: string; reviewerId: string; createdAt: Date };

/** The latest adjudication of each comparison of the project (reviews are few: one read). */
async function latestAdjudications(projectId: string): Promise<Map<string, TAdjudicated>> {
  const rows = await getDb().adjudication.findMany({
    where: { projectId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: { comparisonId: true, tiers: true, note: true, reviewerId: true, createdAt: true },
  });
  const out = new Map<string, TAdjudicated>();
  for (const r of rows) out.set(r.comparisonId, { ...r, tiers: ZTiers.parse(r.tiers) });
  return out;
}

/** Flags kept in a per-comparison ranking: a candidate flagged by at least half the judgments, with every kind given. */
function majorityFlags(group: TSourceJudgment[]): TCandidateFlags {
  const counts = new Map<string, { n: number; kinds: Set<string> }>();
  for (const j of group)
    for (const [id, f] of Object.entries(j.flags)) {
      const c = counts.get(id) ?? { n: 0, kinds: new Set() };
      c.n++;
      for (const k of f.kinds) c.kinds.add(k);
      counts.set(id, c);
    }
  const out: TCandidateFlags = {};
  for (const [id, c] of counts)
    if (c.n * 2 >= group.length) out[id] = { kinds: [...c.kinds].sort() as never, note: "" };
  return out;
}

function perComparison(
  group: TSourceJudgment[],
  source: "consensus" | "adjudicated",
  tiers: TTiers,
  extra: { userId: string; rationale: string; createdAt: Date },
): TSourceJudgment {
  const first = group[0]!;
  return {
    ...first,
    judgmentId: `${source}:${first.comparisonId}`,
    rankingSource: source,
    userId: extra.userId,
    labellerImportedFrom: null, // a reviewer, or no one
    tiers,
    noneAcceptable: group.filter((j) => j.noneAcceptable).length * 2 > group.length,
    flags: majorityFlags(group),
    strengths: null, // strengths belong to one labeller's tiers; a combined ranking has none
    rationale: extra.rationale,
    shownOrder: [], // no one was shown an order
    totalMs: 0,
    activeMs: 0,
    guidelineVersion: Math.max(...group.map((j) => j.guidelineVersion)),
    createdAt: extra.createdAt,
    judgments: group.length,
    labellerIds: group.map((j) => j.userId),
  };
}

/** Groups the (comparison-ordered) judgment stream into one array per comparison. */
async function* byComparison(it: AsyncIterable<TSourceJudgment>): AsyncGenerator<TSourceJudgment[]> {
  let group: TSourceJudgment[] = [];
  for await (const j of it) {
    if (group.length && group[0]!.comparisonId !== j.comparisonId) {
      yield group;
      group = [];
    }
    group.push(j);
  }
  if (group.length) yield group;
}

/**
 * The rankings an export is made of. Consensus weights are the project's labeller reliability scores (all its
 * judgments), applied to the judgments the filters let through; comparisons without an adjudication are left out of
 * "adjudicated".
 */
export async function* exportRankings(f: TExportFilters & { source?: TExportSource }): AsyncGenerator<TSourceJudgment> {
  const source = f.source ?? "raw";
  if (source === "raw") {
    yield* sourceJudgments(f);
    return;
  }
  const adjudicated = source === "consensus" ? new Map<string, TAdjudicated>() : await latestAdjudications(f.projectId);
  const weights = source === "adjudicated" ? new Map<string, number>() : await reliabilityWeights(f.projectId);
  for await (const group of byComparison(sourceJudgments(f))) {
    const adj = adjudicated.get(group[0]!.comparisonId);
    if (adj) {
      yield perComparison(group, "adjudicated", adj.tiers, {
        userId: adj.reviewerId,
        rationale: adj.note,
        createdAt: adj.createdAt,
      });
    } else if (source !== "adjudicated") {
      const c = consensusRanking(group.map((j) => ({ tiers: j.tiers, weight: weights.get(j.userId) ?? 1 })));
      yield perComparison(group, "consensus", c.tiers, {
        userId: "consensus",
        rationale: "",
        createdAt: group.reduce((d, j) => (j.createdAt > d ? j.createdAt : d), group[0]!.createdAt),
      });
    }
  }
}
