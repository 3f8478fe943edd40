// A labeller's own gold misses in one project, when the project gives gold feedback (Project.goldFeedback):
// the conversation, the candidates as they were shown to them, their ranking and flags, the expected answer and
// the admin's note. Off: nothing is returned but the fact that it is off. Never another labeller's judgments.
import { z } from "zod";
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { ZCandidateFlags, ZGoldAnswer, ZGoldResult, ZMessage, ZTiers } from "../../domain";

/** The latest misses shown. */
const MAX_MISSES = 50;
const ZIds = z.array(z.string());

export async function findGoldFeedback(opts: { userId: string; projectSlug: string }) {
  const db = getDb();
  const project = await db.project.findUnique({
    where: { slug: opts.projectSlug },
    select: { id: true, name: true, goldFeedback: true },
  });
  if (!project) throw new AppError("NOT_FOUND", `No project "${opts.projectSlug}".`);
  if (!project.goldFeedback) return { projectName: project.name, enabled: false as const, misses: [] };
  const rows = await db.judgment.findMany({
    where: { projectId: project.id, userId: opts.userId, isGoldMiss: true, comparison: { isGold: true } },
    orderBy: { createdAt: "desc" },
    take: MAX_MISSES,
    select: {
      id: true,
      tiers: true,
      flags: true,
      shownOrder: true,
      goldResult: true,
      createdAt: true,
      prompt: { select: { messages: true } },
      comparison: { select: { gold: true, candidates: { select: { id: true, text: true } } } },
    },
  });
  const misses = rows.flatMap((j) => {
    const gold = ZGoldAnswer.safeParse(j.comparison.gold);
    const result = ZGoldResult.safeParse(j.goldResult);
    if (!gold.success || !result.success) return [];
    const byId = new Map(j.comparison.candidates.map((c) => [c.id, c.text]));
    const shown = ZIds.parse(j.shownOrder);
    return [
      {
        judgmentId: j.id,
        createdAt: j.createdAt,
        messages: z.array(ZMessage).parse(j.prompt.messages),
        // In the order this labeller saw them; their ranking and the expected one name these ids.
        candidates: shown.map((id) => ({ id, text: byId.get(id) ?? "" })),
        tiers: ZTiers.parse(j.tiers),
        flagged: Object.keys(ZCandidateFlags.parse(j.flags)),
        expected: { tiers: gold.data.tiers ?? null, best: gold.data.best ?? null, mustFlag: gold.data.mustFlag ?? [] },
        note: gold.data.note,
        result: result.data,
      },
    ];
  });
  return { projectName: project.name, enabled: true as const, misses };
}
