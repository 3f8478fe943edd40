// Per-comparison agreement (Comparison.agreement): for each unordered candidate pair, the share of pairs of
// judgments that give it the same value (a above b, b above a, tie); then the mean over candidate pairs. 1 when
// every judgment orders every pair alike, 0 when no two judgments agree on any pair. Null below two judgments.
import { pairPreferences, type PairValue, type Tiers } from "./rankings";

export function comparisonAgreement(rankings: readonly Tiers[]): number | null {
  if (rankings.length < 2) return null;
  // Per candidate pair, how many judgments gave it each value.
  const counts = new Map<string, Record<PairValue, number>>();
  for (const tiers of rankings) {
    for (const [pair, value] of pairPreferences(tiers)) {
      const c = counts.get(pair) ?? { ">": 0, "<": 0, "=": 0 };
      c[value] += 1;
      counts.set(pair, c);
    }
  }
  let sum = 0;
  let pairs = 0;
  for (const c of counts.values()) {
    const m = c[">"] + c["<"] + c["="];
    // A pair that only one judgment ranked (none today: a ranking is a partition) has no judgment pairs.
    if (m < 2) continue;
    const agreeing = [c[">"], c["<"], c["="]].reduce((s, n) => s + (n * (n - 1)) / 2, 0);
    sum += agreeing / ((m * (m - 1)) / 2);
    pairs += 1;
  }
  return pairs === 0 ? null : sum / pairs;
}
