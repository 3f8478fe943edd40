// Scores one ranking against a gold comparison's expected answer (pure, no database). The parts asked for:
// - tau: Kendall's tau-b between the ranking's mid-ranks and the expected tiers' (asked when tiers are given);
//   a ranking that ties every candidate has no order to compare and counts as tau 0;
// - top1: the ranking's best tier is exactly the expected best candidate alone (`best`, or else the expected
//   first tier as a set); asked when either is given;
// - flagRecall: the share of `mustFlag` candidates the labeller flagged (any kind); asked when there are some.
// score = mean of the asked parts, tau mapped to (tau + 1) / 2, top1 as 1 or 0. A miss is a score below
// GOLD_MISS_BELOW or a missed top-1.
import type { TCandidateFlags, TGoldAnswer, TGoldResult, TTiers } from "../../domain";
import { kendallTauB } from "./stats/kendall";
import { midRanks } from "./stats/rankings";

/** A gold judgment scoring below this is a miss (as is any judgment that misses the expected best). */
export const GOLD_MISS_BELOW = 0.5;

export function scoreGold(
  gold: TGoldAnswer,
  tiers: TTiers,
  flags: TCandidateFlags,
): { result: TGoldResult; isMiss: boolean } {
  const parts: number[] = [];
  let tau: number | null = null;
  if (gold.tiers) {
    const expected = midRanks(gold.tiers);
    const given = midRanks(tiers);
    const ids = [...expected.keys()].sort();
    const t = kendallTauB(
      ids.map((id) => given.get(id) ?? NaN),
      ids.map((id) => expected.get(id)!),
    ).tau;
    tau = Number.isNaN(t) ? 0 : t;
    parts.push((tau + 1) / 2);
  }
  let top1: boolean | null = null;
  const expectedTop = gold.best !== undefined ? [gold.best] : gold.tiers?.[0];
  if (expectedTop) {
    const top = tiers[0] ?? [];
    top1 = top.length === expectedTop.length && expectedTop.every((id) => top.includes(id));
    parts.push(top1 ? 1 : 0);
  }
  let flagRecall: number | null = null;
  if (gold.mustFlag && gold.mustFlag.length > 0) {
    flagRecall = gold.mustFlag.filter((id) => (flags[id]?.kinds.length ?? 0) > 0).length / gold.mustFlag.length;
    parts.push(flagRecall);
  }
  const score = parts.length ? parts.reduce((s, x) => s + x, 0) / parts.length : 1;
  return { result: { tau, top1, flagRecall, score }, isMiss: score < GOLD_MISS_BELOW || top1 === false };
}
