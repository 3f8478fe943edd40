// An admin marks a comparison as gold (its expected answer, TGoldAnswer) or clears it. `isGold` mirrors
// `gold != null` in the same write (the queue reads `isGold`). Changing the answer after judgments exist is
// allowed: every judgment of the comparison is re-scored against the new answer in the same transaction (a
// cleared answer clears their results). Pauses already opened or resumed are left as they are; the labeller's
// next gold submission is checked against the re-scored figures.
import { getDb, Prisma } from "../../db";
import { AppError } from "../../errors";
import { ZCandidateFlags, ZTiers, type TGoldAnswer } from "../../domain";
import { recordAudit } from "../audit/record-audit";
import { validateRanking } from "../queue/submit-judgment";
import { scoreGold } from "./score-gold";

/** Checks a gold answer against the comparison's candidates; throws BAD_INPUT saying what is wrong. */
export function validateGoldAnswer(candidateIds: string[], gold: TGoldAnswer): void {
  const ids = new Set(candidateIds);
  if (gold.tiers) {
    try {
      validateRanking(candidateIds, gold.tiers, {});
    } catch (e) {
      if (e instanceof AppError) throw new AppError("BAD_INPUT", `Expected ranking: ${e.message}`);
      throw e;
    }
    if (gold.tiers.length < 2)
      throw new AppError("BAD_INPUT", "Expected ranking: it ties every candidate; give at least two tiers.");
  }
  if (gold.best !== undefined) {
    if (!ids.has(gold.best))
      throw new AppError("BAD_INPUT", `Expected best: ${gold.best} is not a candidate of this comparison.`);
    const first = gold.tiers?.[0];
    if (first && (first.length !== 1 || first[0] !== gold.best))
      throw new AppError(
        "BAD_INPUT",
        `Expected best: ${gold.best} must be alone in the expected ranking's first tier (or leave one of the two out).`,
      );
  }
  const seen = new Set<string>();
  for (const id of gold.mustFlag ?? []) {
    if (!ids.has(id)) throw new AppError("BAD_INPUT", `Must flag: ${id} is not a candidate of this comparison.`);
    if (seen.has(id)) throw new AppError("BAD_INPUT", `Must flag: ${id} is listed twice.`);
    seen.add(id);
  }
  if (gold.best !== undefined && seen.has(gold.best))
    throw new AppError("BAD_INPUT", `Must flag: ${gold.best} is also the expected best candidate.`);
}

export async function setGold(opts: {
  actorId: string;
  projectId: string;
  comparisonId: string;
  gold: TGoldAnswer | null;
}) {
  const db = getDb();
  const c = await db.comparison.findFirst({
    where: { id: opts.comparisonId, projectId: opts.projectId },
    select: {
      id: true,
      isGold: true,
      round: true,
      prompt: { select: { seq: true } },
      candidates: { select: { id: true } },
    },
  });
  if (!c) throw new AppError("NOT_FOUND", `No comparison ${opts.comparisonId} in this project.`);
  if (opts.gold)
    validateGoldAnswer(
      c.candidates.map((k) => k.id),
      opts.gold,
    );
  const gold = opts.gold;
  return db.$transaction(async (tx) => {
    await tx.comparison.update({
      where: { id: c.id },
      data: { gold: gold ?? Prisma.DbNull, isGold: gold !== null },
    });
    const judgments = await tx.judgment.findMany({
      where: { comparisonId: c.id },
      select: { id: true, tiers: true, flags: true },
    });
    let misses = 0;
    for (const j of judgments) {
      const scored = gold ? scoreGold(gold, ZTiers.parse(j.tiers), ZCandidateFlags.parse(j.flags)) : null;
      if (scored?.isMiss) misses++;
      await tx.judgment.update({
        where: { id: j.id },
        data: { goldResult: scored ? scored.result : Prisma.DbNull, isGoldMiss: scored?.isMiss ?? false },
      });
    }
    await recordAudit(
      {
        actorId: opts.actorId,
        action: gold ? "comparison.gold-set" : "comparison.gold-clear",
        targetType: "project",
        targetId: opts.projectId,
        details: {
          comparisonId: c.id,
          promptSeq: c.prompt.seq,
          round: c.round,
          ...(gold ? { gold } : {}),
          wasGold: c.isGold,
          rescored: judgments.length,
          ...(gold ? { misses } : {}),
        },
      },
      tx,
    );
    return { comparisonId: c.id, isGold: gold !== null, rescored: judgments.length, misses };
  });
}
