// Labeller pauses on gold accuracy. After each gold judgment (submit-judgment.ts) the labeller's gold
// judgments in the project since their last resume are averaged; with at least `goldMinJudgments` of them and
// a mean score below `goldPauseBelow`, a LabellerPause opens (one open pause at most) with the reason in words.
// A paused labeller gets the pause instead of a task from label.next (a lease already held may still be
// renewed and submitted). An admin resumes them; only gold judgments made after the resume count from then on,
// so the misses that paused them cannot pause them again at once.
import { getDb, type DbTx } from "../../db";
import { AppError } from "../../errors";
import { ZGoldResult } from "../../domain";
import { recordAudit } from "../audit/record-audit";

const percent = (x: number) => `${Math.round(x * 100)}%`;
const ZStoredResult = ZGoldResult.nullable();

export type TPauseAnswer = { pause: { reason: string; since: Date } };

/** The labeller's open pause in the project (found by slug), if any. */
export async function findOpenPause(opts: { userId: string; projectSlug: string }) {
  return getDb().labellerPause.findFirst({
    where: { userId: opts.userId, resumedAt: null, project: { slug: opts.projectSlug } },
    select: { id: true, reason: true, createdAt: true },
  });
}

/** The gold scores that count for a pause: the labeller's gold judgments since their last resume. */
async function countedGoldScores(tx: DbTx, projectId: string, userId: string): Promise<number[]> {
  const lastResume = await tx.labellerPause.findFirst({
    where: { projectId, userId, resumedAt: { not: null } },
    orderBy: { resumedAt: "desc" },
    select: { resumedAt: true },
  });
  const rows = await tx.judgment.findMany({
    where: {
      projectId,
      userId,
      comparison: { isGold: true },
      ...(lastResume?.resumedAt ? { createdAt: { gt: lastResume.resumedAt } } : {}),
    },
    select: { goldResult: true },
  });
  return rows.map((r) => ZStoredResult.parse(r.goldResult ?? null)?.score).filter((s): s is number => s !== undefined);
}

/** Opens a pause when the labeller's gold accuracy is below the project's threshold; returns it if opened. */
export async function pauseIfBelowGold(opts: { projectId: string; userId: string; now?: Date }) {
  const db = getDb();
  const project = await db.project.findUnique({
    where: { id: opts.projectId },
    select: { goldPauseBelow: true, goldMinJudgments: true },
  });
  if (!project || project.goldPauseBelow === null) return null;
  const threshold = project.goldPauseBelow;
  return db.$transaction(async (tx) => {
    const open = await tx.labellerPause.findFirst({
      where: { projectId: opts.projectId, userId: opts.userId, resumedAt: null },
      select: { id: true },
    });
    if (open) return null;
    const scores = await countedGoldScores(tx, opts.projectId, opts.userId);
    if (scores.length < project.goldMinJudgments) return null;
    const mean = scores.reduce((s, x) => s + x, 0) / scores.length;
    if (mean >= threshold) return null;
    const reason =
      `Your agreement with the reference answers is ${percent(mean)} over ${scores.length} ${scores.length === 1 ? "check" : "checks"}; ` +
      `the project asks for ${percent(threshold)}. An admin will review and resume you.`;
    return tx.labellerPause.create({
      data: { projectId: opts.projectId, userId: opts.userId, reason, ...(opts.now ? { createdAt: opts.now } : {}) },
    });
  });
}

/** Open pauses of a project, for the admin's Quality tab. */
export async function findOpenPauses(opts: { projectId: string }) {
  const rows = await getDb().labellerPause.findMany({
    where: { projectId: opts.projectId, resumedAt: null },
    orderBy: { createdAt: "asc" },
    take: 500,
    select: {
      id: true,
      reason: true,
      createdAt: true,
      user: { select: { id: true, name: true, email: true } },
    },
  });
  return rows;
}

/** An admin resumes a paused labeller (audited). Gold judgments before now no longer count for a pause. */
export async function resumeLabeller(opts: { actorId: string; projectId: string; userId: string; now?: Date }) {
  const now = opts.now ?? new Date();
  return getDb().$transaction(async (tx) => {
    const pause = await tx.labellerPause.findFirst({
      where: { projectId: opts.projectId, userId: opts.userId, resumedAt: null },
      include: { user: { select: { email: true } } },
    });
    if (!pause) throw new AppError("CONFLICT", "This labeller is not paused in this project.");
    // Every open pause of the labeller here (normally one), so a resume always lets them label again.
    const { count } = await tx.labellerPause.updateMany({
      where: { projectId: opts.projectId, userId: opts.userId, resumedAt: null },
      data: { resumedAt: now, resumedById: opts.actorId },
    });
    if (count === 0) throw new AppError("CONFLICT", "This labeller was resumed already.");
    await recordAudit(
      {
        actorId: opts.actorId,
        action: "labeller.resume",
        targetType: "project",
        targetId: opts.projectId,
        details: { userId: opts.userId, email: pause.user.email, pauseId: pause.id, reason: pause.reason },
      },
      tx,
    );
    return { resumedAt: now };
  });
}
