// A consensus ranking of one comparison from weighted rankings: weighted Borda on mid-ranks.
// Each candidate's consensus score is the weighted mean of its mid-rank (1 = best) over the judgments; candidates
// are ordered by it, equal scores (within 1e-9) forming a tie. The confidence of a pair (a placed above b) is the
// weighted share of judgments that agree: (W(a above b) + W(tie)/2) / W(all). With all weights zero every
// judgment weighs the same.
import { midRanks, type Tiers } from "./rankings";

export type WeightedRanking = { tiers: Tiers; weight: number };
export type Consensus = { tiers: string[][]; pairs: { above: string; below: string; confidence: number }[] };

export function consensusRanking(rankings: readonly WeightedRanking[]): Consensus {
  const total = rankings.reduce((s, r) => s + Math.max(0, r.weight), 0);
  const ws = rankings.map((r) => (total > 0 ? Math.max(0, r.weight) : 1));
  const wTotal = ws.reduce((s, w) => s + w, 0);
  const ranks = rankings.map((r) => midRanks(r.tiers));
  const ids = [...new Set(ranks.flatMap((m) => [...m.keys()]))].sort();
  const score = new Map(
    ids.map((id) => {
      let s = 0;
      let w = 0;
      ranks.forEach((m, i) => {
        const r = m.get(id);
        if (r !== undefined) {
          s += ws[i]! * r;
          w += ws[i]!;
        }
      });
      return [id, w > 0 ? s / w : Infinity];
    }),
  );
  const ordered = [...ids].sort((a, b) => score.get(a)! - score.get(b)! || a.localeCompare(b));
  const tiers: string[][] = [];
  for (const id of ordered) {
    const last = tiers[tiers.length - 1];
    if (last && Math.abs(score.get(last[0]!)! - score.get(id)!) < 1e-9) last.push(id);
    else tiers.push([id]);
  }
  const pairs: Consensus["pairs"] = [];
  for (let i = 0; i < ordered.length; i++) {
    for (let j = i + 1; j < ordered.length; j++) {
      const [above, below] = [ordered[i]!, ordered[j]!];
      let agree = 0;
      ranks.forEach((m, k) => {
        const ra = m.get(above);
        const rb = m.get(below);
        if (ra === undefined || rb === undefined) return;
        agree += ra < rb ? ws[k]! : ra === rb ? ws[k]! / 2 : 0;
      });
      pairs.push({ above, below, confidence: wTotal > 0 ? agree / wTotal : 0 });
    }
  }
  return { tiers, pairs };
}
