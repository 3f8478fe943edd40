// Pages through a project's prompts for the admin, with candidates and judgment counts.
import { getDb } from "../../db";

export async function findPrompts(opts: { projectId: string; page: number; pageSize: number }) {
  const db = getDb();
  const where = { projectId: opts.projectId };
  const [total, rows] = await Promise.all([
    db.prompt.count({ where }),
    db.prompt.findMany({
      where,
      orderBy: { seq: "asc" },
      skip: opts.page * opts.pageSize,
      take: opts.pageSize,
      include: {
        candidates: { orderBy: { position: "asc" } },
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
      isComplete: p.isComplete,
      candidates: p.candidates.map((c) => ({ id: c.id, text: c.text, source: c.source })),
      judgments: p._count.judgments,
      skips: p._count.skips,
    })),
  };
}
