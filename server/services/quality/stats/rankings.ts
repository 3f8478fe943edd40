// How a ranking with ties (tiers of candidate ids, best first) becomes the numbers the statistics read.
//
// - Ranks: a candidate's rank is the mid-rank of its tier (1-based; a tie of the 2nd and 3rd place is 2.5 each).
// - Pairwise items (Krippendorff's alpha): each unordered pair {a, b} of a comparison's candidates, a < b by id,
//   is one unit; a labeller's value for it is ">" (a above b), "<" (b above a) or "=" (same tier).
//   Candidates a ranking leaves out (none today: a ranking is a partition) are simply absent.

export type Tiers = readonly (readonly string[])[];

export function midRanks(tiers: Tiers): Map<string, number> {
  const ranks = new Map<string, number>();
  let before = 0;
  for (const tier of tiers) {
    const rank = before + (tier.length + 1) / 2;
    for (const id of tier) ranks.set(id, rank);
    before += tier.length;
  }
  return ranks;
}

export type PairValue = ">" | "<" | "=";

/** The pairwise preferences of one ranking: key `${a}|${b}` with a < b. */
export function pairPreferences(tiers: Tiers): Map<string, PairValue> {
  const tierOf = new Map<string, number>();
  tiers.forEach((tier, i) => tier.forEach((id) => tierOf.set(id, i)));
  const ids = [...tierOf.keys()].sort();
  const out = new Map<string, PairValue>();
  for (let i = 0; i < ids.length; i++) {
    for (let j = i + 1; j < ids.length; j++) {
      const ta = tierOf.get(ids[i]!)!;
      const tb = tierOf.get(ids[j]!)!;
      out.set(`${ids[i]}|${ids[j]}`, ta < tb ? ">" : ta > tb ? "<" : "=");
    }
  }
  return out;
}
