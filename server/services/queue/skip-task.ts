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
}) {
  const db = getDb();
  const a = await db.assignment.findUnique({ where: { id: opts.assignmentId } });
  if (!a || a.userId !== opts.userId)
    throw new AppError("GONE", "Your lease on this prompt ended. Load the next task.");
  if (a.status !== "active") throw new AppError("CONFLICT", "You already submitted this task.");
  if (opts.reason === "other" && opts.note.trim() === "")
    throw new AppError("BAD_INPUT", 'note: say why you skip when the reason is "other".');
  await db.$transaction(async (tx) => {
    await tx.skip.create({
      data: {
        projectId: a.projectId,
        promptId: a.promptId,
        userId: a.userId,
        reason: opts.reason,
        note: opts.note.trim(),
        totalMs: Math.max(0, opts.totalMs),
      },
    });
    await tx.assignment.delete({ where: { id: a.id } });
  });
}
