// Records a labeller's ranking for their leased comparison. Judgments are immutable: this is the only
// write, and (comparisonId, userId) plus the assignment's unique link forbid a second one. The
// comparison's judgmentCount is raised by one atomic increment in the same transaction: completion
// (judgmentCount >= overlap) is derived from it and never lost to parallel submits.
// On PostgreSQL the three writes are one statement: an interactive transaction held the comparison's row lock
// across four round trips to a busy web process, and other submits of that comparison queued behind it.
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { dbProvider, getDb, Prisma, type DbTx } from "../../db";
import { AppError } from "../../errors";
import type { TCandidateFlags, TStrengths, TTiers } from "../../domain";
import { isUniqueViolation } from "./is-unique-violation";
import { checkStrengths } from "./check-strengths";
import { scoreForSubmit, type TGoldScore } from "../quality/gold-for-submit";
import { pauseIfBelowGold } from "../quality/labeller-pause";
import { refreshAgreement } from "../quality/refresh-agreement";

export type TSubmitJudgment = {
  userId: string;
  assignmentId: string;
  tiers: TTiers;
  noneAcceptable: boolean;
  flags: TCandidateFlags;
  /** How much better each tier is than the next: required when the project asks for it, refused otherwise. */
  strengths?: TStrengths;
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
  const a = await db.assignment.findUnique({
    where: { id: input.assignmentId },
    include: { project: { select: { strengthOfPreference: true } } },
  });
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
  const strengths = checkStrengths(a.project.strengthOfPreference, input.tiers, input.strengths);
  // Client timers can be wrong or tampered with; the lease's age bounds them.
  const elapsed = now.getTime() - a.leasedAt.getTime();
  const totalMs = Math.max(0, Math.min(input.totalMs, elapsed));
  const activeMs = Math.max(0, Math.min(input.activeMs, totalMs));
  const judgment = {
    tiers: input.tiers,
    noneAcceptable: input.noneAcceptable,
    flags: input.flags,
    rationale: input.rationale.trim(),
    shownOrder,
    totalMs,
    activeMs,
    strengths,
  };
  // A gold comparison's judgment carries its score in the same insert; the pause check follows the submit.
  const gold = await scoreForSubmit(a.comparisonId, input.tiers, input.flags);
  const submitted = await submitRows(a, { ...judgment, gold }, now);
  if (gold) await pauseIfBelowGold({ projectId: a.projectId, userId: a.userId, now });
  return submitted;
}

async function submitRows(
  a: {
    id: string;
    projectId: string;
    promptId: string;
    comparisonId: string;
    userId: string;
    guidelineVersion: number;
  },
  { gold, ...judgment }: TJudgmentFields,
  now: Date,
) {
  const db = getDb();
  try {
    if (dbProvider(db) === "postgres") {
      const submitted = await submitInOneStatement(a.id, { ...judgment, gold }, now);
      // After the statement (its row lock released): converges under parallel submits, see refresh-agreement.ts.
      await refreshAgreement(db, a.comparisonId);
      return submitted;
    }
    return await db.$transaction(async (tx) => {
      const { count } = await tx.assignment.updateMany({
        where: { id: a.id, status: "active", expiresAt: { gt: now } },
        data: { status: "submitted", finishedAt: now },
      });
      if (count !== 1) throw await notSubmittable(tx, a.id);
      // How the task was picked and the order suggested, as the lease recorded them.
      const lease = await tx.assignment.findUniqueOrThrow({
        where: { id: a.id },
        select: { selection: true, suggestedOrder: true },
      });
      const created = await tx.judgment.create({
        data: {
          ...judgment,
          strengths: judgment.strengths ?? undefined,
          projectId: a.projectId,
          promptId: a.promptId,
          comparisonId: a.comparisonId,
          userId: a.userId,
          assignmentId: a.id,
          guidelineVersion: a.guidelineVersion,
          createdAt: now,
          selection: lease.selection,
          suggestedOrder: lease.suggestedOrder ?? undefined,
          ...(gold ? gold : {}),
        },
      });
      await tx.comparison.update({ where: { id: a.comparisonId }, data: { judgmentCount: { increment: 1 } } });
      await refreshAgreement(tx, a.comparisonId);
      return { judgmentId: created.id };
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError("CONFLICT", "You already judged this prompt.");
    throw e;
  }
}

type TJudgmentFields = Pick<
  Prisma.JudgmentUncheckedCreateInput,
  "noneAcceptable" | "rationale" | "totalMs" | "activeMs"
> & {
  tiers: TTiers;
  flags: TCandidateFlags;
  shownOrder: string[];
  strengths: TStrengths | null;
  gold: TGoldScore | null;
};

/**
 * PostgreSQL: the lease's close, the judgment and the count's increment in one statement (one implicit
 * transaction; the comparison's row is locked only while it runs). The assignment's own columns (project,
 * prompt, comparison, guideline version) are taken from the row it updates, so a guideline acknowledgement
 * that landed after this request read the lease is still the version recorded.
 */
async function submitInOneStatement(
  assignmentId: string,
  j: TJudgmentFields,
  now: Date,
): Promise<{ judgmentId: string }> {
  const db = getDb();
  const id = randomUUID();
  const at = Prisma.sql`${now.toISOString().replace("Z", "")}::timestamp(3)`;
  const json = (v: unknown) => Prisma.sql`${JSON.stringify(v)}::jsonb`;
  // SQL NULL (not JSON null) when the project does not ask, as the SQLite path stores it.
  const strengths = j.strengths ? json(j.strengths) : Prisma.sql`NULL::jsonb`;
  const rows = await db.$queryRaw<{ id: string }[]>`WITH a AS (
      UPDATE "Assignment" SET "status" = 'submitted', "finishedAt" = ${at}
      WHERE "id" = ${assignmentId} AND "status" = 'active' AND "expiresAt" > ${at}
      RETURNING "id", "projectId", "promptId", "comparisonId", "userId", "guidelineVersion", "selection",
        "suggestedOrder"
    ),
    j AS (
      INSERT INTO "Judgment" ("id", "projectId", "promptId", "comparisonId", "userId", "assignmentId", "tiers",
        "noneAcceptable", "flags", "rationale", "shownOrder", "totalMs", "activeMs", "strengths", "guidelineVersion",
        "createdAt", "goldResult", "isGoldMiss", "selection", "suggestedOrder")
      SELECT ${id}, a."projectId", a."promptId", a."comparisonId", a."userId", a."id", ${json(j.tiers)},
        ${j.noneAcceptable}, ${json(j.flags)}, ${j.rationale}, ${json(j.shownOrder)}, ${j.totalMs}, ${j.activeMs},
        ${strengths}, a."guidelineVersion", ${at}, ${j.gold ? json(j.gold.goldResult) : Prisma.sql`NULL::jsonb`},
        ${j.gold?.isGoldMiss ?? false}, a."selection", a."suggestedOrder"
      FROM a
      RETURNING "id", "comparisonId"
    ),
    c AS (
      UPDATE "Comparison" SET "judgmentCount" = "judgmentCount" + 1 WHERE "id" IN (SELECT "comparisonId" FROM j)
      RETURNING "id"
    )
    SELECT j."id" FROM j JOIN c ON c."id" = j."comparisonId"`;
  if (rows.length !== 1) throw await notSubmittable(db, assignmentId);
  return { judgmentId: rows[0]!.id };
}

/** Why a lease that looked open could not be closed: submitted meanwhile (another tab), or expired. */
async function notSubmittable(db: DbTx, assignmentId: string): Promise<AppError> {
  const current = await db.assignment.findUnique({ where: { id: assignmentId }, select: { status: true } });
  if (current?.status === "submitted") return new AppError("CONFLICT", "You already submitted this task.");
  return new AppError(
    "GONE",
    "Your lease on this prompt ended (it expired and went back to the queue). Load the next task.",
  );
}
