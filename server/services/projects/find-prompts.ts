// Pages through a project's prompts for the admin, with candidates and judgment counts.
import { getDb } from "../../db";

export async function findPrompts(opts: { projectId: string; page: number; pageSize: number }) {
  const db = getDb();
  const project = await db.project.findUniqueOrThrow({ where: { id: opts.projectId }, select: { overlap: true } });
  const where = { projectId: opts.projectId };
  const [total, rows] = await Promise.all([
    db.prompt.count({ where }),
    db.prompt.findMany({
      where,
      orderBy: { seq: "asc" },
      skip: opts.page * opts.pageSize,
      take: opts.pageSize,
      include: {
        comparisons: { select: { round: true, status: true, judgmentCount: true } },
        candidates: { orderBy: [{ comparison: { round: "asc" } }, { position: "asc" }] },
        _count: { select: { judgments: true, skips: true, assignments: true } },
      },
    }),
  ]);
  return {
    total,
    items: rows.map((p) => ({
      id: p.id,
      seq: p.seq,
      messages: p.messages,
      externalId: p.externalId,
      source: p.source,
      isComplete:
        p.comparisons.length > 0 &&
        p.comparisons.every((c) => c.status === "retired" || c.judgmentCount >= project.overlap),
      rounds: p.comparisons.length,
      generationError: p.generationError,
      candidates: p.candidates.map((c) => ({ id: c.id, text: c.text, source: c.source })),
      judgments: p._count.judgments,
      skips: p._count.skips,
    })),
  };
}
