// Records a labeller's ranking for their leased comparison. Judgments are immutable: this is the only
// write, and (comparisonId, userId) plus the assignment's unique link forbid a second one. The
// comparison's judgmentCount is raised by one atomic increment in the same transaction: completion
// (judgmentCount >= overlap) is derived from it and never lost to parallel submits.
import { z } from "zod";
import { getDb } from "../../db";
import { AppError } from "../../errors";
import type { TCandidateFlags, TTiers } from "../../domain";
import { isUniqueViolation } from "./is-unique-violation";

export type TSubmitJudgment = {
  userId: string;
  assignmentId: string;
  tiers: TTiers;
  noneAcceptable: boolean;
  flags: TCandidateFlags;
  rationale: string;
  totalMs: number;
  activeMs: number;
  now?: Date;
};

export function validateRanking(candidateIds: string[], tiers: TTiers, flags: TCandidateFlags): void {
  const expected = new Set(candidateIds);
  const seen = new Set<string>();
  tiers.forEach((tier, t) =>
    tier.forEach((id) => {
      if (!expected.has(id)) throw new AppError("BAD_INPUT", `tiers[${t}]: ${id} is not a candidate of this prompt.`);
      if (seen.has(id)) throw new AppError("BAD_INPUT", `tiers[${t}]: ${id} appears twice in the ranking.`);
      seen.add(id);
    }),
  );
  const missing = candidateIds.filter((id) => !seen.has(id));
  if (missing.length > 0)
    throw new AppError("BAD_INPUT", `The ranking leaves out ${missing.length} candidate(s): ${missing.join(", ")}.`);
  for (const [id, flag] of Object.entries(flags)) {
    if (!expected.has(id)) throw new AppError("BAD_INPUT", `flags.${id}: not a candidate of this prompt.`);
    if (flag.kinds.includes("other") && flag.note.trim() === "")
      throw new AppError("BAD_INPUT", `flags.${id}: the flag "other" needs a note.`);
  }
}

export async function submitJudgment(input: TSubmitJudgment) {
  const db = getDb();
  const now = input.now ?? new Date();
  const a = await db.assignment.findUnique({ where: { id: input.assignmentId } });
  // A lease that ran out is gone, whether or not a request has reclaimed it yet: its slot may be
  // handed to someone else at any moment.
  if (!a || a.userId !== input.userId || (a.status === "active" && a.expiresAt <= now)) {
    throw new AppError(
      "GONE",
      "Your lease on this prompt ended (it expired and went back to the queue). Load the next task.",
    );
  }
  if (a.status !== "active") throw new AppError("CONFLICT", "You already submitted this task.");
  const shownOrder = z.array(z.string()).parse(a.shownOrder);
  validateRanking(shownOrder, input.tiers, input.flags);
  // Client timers can be wrong or tampered with; the lease's age bounds them.
  const elapsed = now.getTime() - a.leasedAt.getTime();
  const totalMs = Math.max(0, Math.min(input.totalMs, elapsed));
  const activeMs = Math.max(0, Math.min(input.activeMs, totalMs));
  try {
    return await db.$transaction(async (tx) => {
      const { count } = await tx.assignment.updateMany({
        where: { id: a.id, status: "active", expiresAt: { gt: now } },
        data: { status: "submitted", finishedAt: now },
      });
      if (count !== 1) {
        const current = await tx.assignment.findUnique({ where: { id: a.id }, select: { status: true } });
        if (current?.status === "submitted") throw new AppError("CONFLICT", "You already submitted this task.");
        throw new AppError(
          "GONE",
          "Your lease on this prompt ended (it expired and went back to the queue). Load the next task.",
        );
      }
      const judgment = await tx.judgment.create({
        data: {
          projectId: a.projectId,
          promptId: a.promptId,
          comparisonId: a.comparisonId,
          userId: a.userId,
          assignmentId: a.id,
          tiers: input.tiers,
          noneAcceptable: input.noneAcceptable,
          flags: input.flags,
          rationale: input.rationale.trim(),
          shownOrder,
          totalMs,
          activeMs,
          guidelineVersion: a.guidelineVersion,
          createdAt: now,
        },
      });
      await tx.comparison.update({ where: { id: a.comparisonId }, data: { judgmentCount: { increment: 1 } } });
      return { judgmentId: judgment.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "You already judged this prompt.");
    throw e;
  }
}
