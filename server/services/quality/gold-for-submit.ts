// What submit-judgment.ts writes for a gold comparison: the ranking scored against the comparison's expected
// answer (Judgment.goldResult and isGoldMiss, in the judgment's own insert), and after the submit the pause
// check. A non-gold comparison costs one indexed read.
import { getDb } from "../../db";
import { ZGoldAnswer, type TCandidateFlags, type TGoldResult, type TTiers } from "../../domain";
import { scoreGold } from "./score-gold";

export type TGoldScore = { goldResult: TGoldResult; isGoldMiss: boolean };

export async function scoreForSubmit(comparisonId: string, tiers: TTiers, flags: TCandidateFlags) {
  const c = await getDb().comparison.findUnique({ where: { id: comparisonId }, select: { gold: true } });
  const gold = ZGoldAnswer.safeParse(c?.gold ?? undefined);
  if (!c?.gold || !gold.success) return null;
  const { result, isMiss } = scoreGold(gold.data, tiers, flags);
  return { goldResult: result, isGoldMiss: isMiss } satisfies TGoldScore;
}
