// A labeller passes on a leased prompt with a reason: the lease is freed and the prompt is never
// offered to them again.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import type { TSkipReason } from "../../domain";

export async function skipTask(opts: {
  userId: string;
  assignmentId: string;
  reason: TSkipReason;
  note: string;
  totalMs: number;
  now?: Date;
}) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const a = await db.assignment.findUnique({ where: { id: opts.assignmentId } });
  if (!a || a.userId !== opts.userId || (a.status === "active" && a.expiresAt <= now))
    throw new AppError("GONE", "Your lease on this prompt ended. Load the next task.");
  if (a.status !== "active") throw new AppError("CONFLICT", "You already submitted this task.");
  if (opts.reason === "other" && opts.note.trim() === "")
    throw new AppError("BAD_INPUT", 'note: say why you skip when the reason is "other".');
  await db.$transaction(async (tx) => {
    await tx.skip.create({
      data: {
        projectId: a.projectId,
        promptId: a.promptId,
        comparisonId: a.comparisonId,
        userId: a.userId,
        reason: opts.reason,
        note: opts.note.trim(),
        totalMs: Math.max(0, opts.totalMs),
        createdAt: now,
      },
    });
    const { count } = await tx.assignment.deleteMany({ where: { id: a.id, status: "active", expiresAt: { gt: now } } });
    if (count !== 1) throw new AppError("GONE", "Your lease on this prompt ended. Load the next task.");
  });
}
