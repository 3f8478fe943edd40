// A labeller acknowledges guidelines that changed while they held a lease: from then on the lease (and the
// judgment submitted on it) records the version they acknowledged, not the one current when it began.
import { getDb } from "../../db";
import { AppError } from "../../errors";

export async function acknowledgeGuidelines(opts: {
  userId: string;
  assignmentId: string;
  version: number;
  now?: Date;
}) {
  const db = getDb();
  const now = opts.now ?? new Date();
  const a = await db.assignment.findUnique({ where: { id: opts.assignmentId }, include: { project: true } });
  if (!a || a.userId !== opts.userId || a.status !== "active" || a.expiresAt <= now)
    throw new AppError("GONE", "Your lease on this prompt ended. Load the next task.");
  if (opts.version > a.project.guidelineVersion)
    throw new AppError("BAD_INPUT", `version: the project's guidelines have no version ${opts.version}.`);
  // Only forward: an older acknowledgement arriving late cannot lower the recorded version.
  await db.assignment.updateMany({
    where: { id: a.id, status: "active", guidelineVersion: { lt: opts.version } },
    data: { guidelineVersion: opts.version },
  });
  const updated = await db.assignment.findUniqueOrThrow({ where: { id: a.id }, select: { guidelineVersion: true } });
  return { guidelineVersion: updated.guidelineVersion };
}
