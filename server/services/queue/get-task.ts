// The labeller's view of one leased comparison: conversation, candidates in the shown order, lease and guidelines.
import { z } from "zod";
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { ZMessage } from "../../domain";

const ZShownOrder = z.array(z.string());

export async function getTask(opts: { assignmentId: string; userId: string }) {
  const db = getDb();
  const a = await db.assignment.findUnique({
    where: { id: opts.assignmentId },
    include: { prompt: true, comparison: { include: { candidates: true } }, project: true },
  });
  if (!a || a.userId !== opts.userId) throw new AppError("NOT_FOUND", "This task is not yours or no longer exists.");
  const byId = new Map(a.comparison.candidates.map((c) => [c.id, c]));
  const order = ZShownOrder.parse(a.shownOrder);
  return {
    assignmentId: a.id,
    projectSlug: a.project.slug,
    projectName: a.project.name,
    promptId: a.promptId,
    comparisonId: a.comparisonId,
    messages: z.array(ZMessage).parse(a.prompt.messages),
    candidates: order.map((id) => {
      const c = byId.get(id);
      if (!c) throw new AppError("CONFLICT", `Candidate ${id} of this task was deleted.`);
      return { id: c.id, text: c.text };
    }),
    leasedAt: a.leasedAt,
    expiresAt: a.expiresAt,
    guidelineVersion: a.guidelineVersion,
    /** The labeller says how much better each tier is than the next (label.submit then needs `strengths`). */
    strengthOfPreference: a.project.strengthOfPreference,
    /** The reward model's order of the candidates (best first), when the project shows it; null otherwise. */
    suggestedOrder: a.suggestedOrder === null ? null : ZShownOrder.parse(a.suggestedOrder),
  };
}
export type TTask = Awaited<ReturnType<typeof getTask>>;
