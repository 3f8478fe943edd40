// Expands a tiered ranking (best tier first) into chosen/rejected pairs for pairwise preference training.
export type TTierPair = { chosen: string; rejected: string; margin: number };

/**
 * Every two ids in different tiers make a pair, the better tier's id chosen; ids in the same tier are tied and
 * make none. margin is the tier distance (1 for adjacent tiers). Order: chosen tier, rejected tier, then the
 * ids' positions inside their tiers, so the same ranking always exports the same rows.
 */
export function pairsFromTiers(tiers: string[][]): TTierPair[] {
  const seen = new Set<string>();
  for (const id of tiers.flat()) {
    // A candidate in two tiers would be both better and worse than itself.
    if (seen.has(id)) throw new Error(`candidate "${id}" appears more than once in the ranking`);
    seen.add(id);
  }
  const pairs: TTierPair[] = [];
  tiers.forEach((better, i) => {
    tiers.slice(i + 1).forEach((worse, offset) => {
      for (const chosen of better) {
        for (const rejected of worse) pairs.push({ chosen, rejected, margin: offset + 1 });
      }
    });
  });
  return pairs;
}
