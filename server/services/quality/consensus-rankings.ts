// Per comparison, the consensus ranking weighted by labeller reliability (stats/consensus.ts: weighted Borda), or
// unweighted, streamed over the project's judgments. A labeller without a reliability score (no comparison shared
// with anyone) weighs the median score of the others.
import { computeQuality, scoresAsWeights } from "./compute-quality";
import { consensusRanking, type Consensus } from "./stats/consensus";
import { scanComparisonGroups } from "./scan-judgments";

export type TWeighting = "reliability" | "equal";

export async function reliabilityWeights(projectId: string): Promise<Map<string, number>> {
  return scoresAsWeights((await computeQuality({ projectId })).labellers);
}

/** Calls back once per comparison with its consensus (until the callback returns false); returns how many it saw. */
export async function forEachConsensus(
  opts: { projectId: string; weighting: TWeighting; weights?: Map<string, number> },
  onComparison: (
    c: { comparisonId: string; judgments: number } & Consensus,
  ) => void | boolean | Promise<void | boolean>,
): Promise<number> {
  const weights =
    opts.weighting === "reliability" ? (opts.weights ?? (await reliabilityWeights(opts.projectId))) : null;
  let n = 0;
  for await (const group of scanComparisonGroups(opts.projectId)) {
    const c = consensusRanking(
      group.judgments.map((j) => ({ tiers: j.tiers, weight: weights ? (weights.get(j.userId) ?? 1) : 1 })),
    );
    n++;
    if ((await onComparison({ comparisonId: group.comparisonId, judgments: group.judgments.length, ...c })) === false)
      break; // the caller has seen enough
  }
  return n;
}

/** The first `take` comparisons' consensus (prompt order is the comparison id order here), for the dashboard. */
export async function sampleConsensus(opts: { projectId: string; weighting: TWeighting; take: number }) {
  const out: ({ comparisonId: string; judgments: number } & Consensus)[] = [];
  await forEachConsensus(opts, (c) => {
    out.push(c);
    return out.length < opts.take;
  });
  return out;
}
