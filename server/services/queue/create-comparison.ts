// Adds a comparison (a prompt with one set of candidates, of one round) in one transaction: the
// comparison and all its candidates, or nothing. Rounds are unique per prompt.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import type { Prisma } from "../../../generated/sqlite/client";
import type { TCandidateSource } from "../../domain";
import { isUniqueViolation } from "./is-unique-violation";

export type TNewCandidate = {
  text: string;
  source: TCandidateSource;
  modelVersionId?: string | null;
  generationParams?: Prisma.InputJsonValue;
  authorId?: string | null;
  /** The reward model's score of it, and which reward model version gave it. */
  rewardScore?: number | null;
  rewardVersionId?: string | null;
};

/** The smallest gap between two candidates' reward scores; null unless every candidate has one. */
export function rewardMargin(scores: readonly (number | null | undefined)[]): number | null {
  if (scores.length < 2 || scores.some((s) => s === null || s === undefined || !Number.isFinite(s))) return null;
  const sorted = (scores as number[]).slice().sort((a, b) => a - b);
  let min = Infinity;
  for (let i = 1; i < sorted.length; i++) min = Math.min(min, sorted[i]! - sorted[i - 1]!);
  return min;
}

export async function createComparison(o: {
  promptId: string;
  round: number;
  policyVersionId?: string | null;
  status?: "pending" | "open";
  candidates: TNewCandidate[];
}): Promise<{ comparisonId: string; candidateIds: string[] }> {
  if (o.candidates.length < 2)
    throw new AppError("BAD_INPUT", `candidates: a comparison needs at least 2, got ${o.candidates.length}.`);
  const db = getDb();
  try {
    return await db.$transaction(async (tx) => {
      const prompt = await tx.prompt.findUnique({ where: { id: o.promptId }, select: { projectId: true, seq: true } });
      if (!prompt) throw new AppError("NOT_FOUND", `No prompt ${o.promptId}.`);
      const comparison = await tx.comparison.create({
        data: {
          projectId: prompt.projectId,
          promptId: o.promptId,
          promptSeq: prompt.seq,
          round: o.round,
          policyVersionId: o.policyVersionId ?? null,
          status: o.status ?? "open",
          rewardMargin: rewardMargin(o.candidates.map((c) => c.rewardScore)),
        },
      });
      const candidateIds: string[] = [];
      for (const [position, c] of o.candidates.entries()) {
        const row = await tx.candidate.create({
          data: {
            promptId: o.promptId,
            comparisonId: comparison.id,
            position,
            text: c.text,
            source: c.source,
            modelVersionId: c.modelVersionId ?? null,
            generationParams: c.generationParams,
            authorId: c.authorId ?? null,
            rewardScore: c.rewardScore ?? null,
            rewardVersionId: c.rewardScore === undefined || c.rewardScore === null ? null : (c.rewardVersionId ?? null),
          },
        });
        candidateIds.push(row.id);
      }
      return { comparisonId: comparison.id, candidateIds };
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("CONFLICT", `The prompt already has a comparison of round ${o.round}.`);
    throw e;
  }
}
