// Projects whose candidate buffer the worker should top up now: active, with an active policy, fewer
// ready comparisons of the current round than the buffer asks for, and a prompt still to generate.
import { getDb } from "../../db";

export async function findGeneratingProjects(): Promise<string[]> {
  const db = getDb();
  const projects = await db.project.findMany({
    where: { status: "active", policyVersionId: { not: null } },
    select: { id: true, currentRound: true, overlap: true, candidateBuffer: true },
  });
  const due: string[] = [];
  for (const p of projects) {
    const waiting = await db.comparison.count({
      where: { projectId: p.id, round: p.currentRound, status: "open", judgmentCount: { lt: p.overlap } },
    });
    if (waiting >= p.candidateBuffer) continue;
    const todo = await db.prompt.findFirst({
      where: {
        projectId: p.id,
        generationError: null,
        comparisons: { none: { round: p.currentRound } },
        OR: [{ importId: null }, { import: { status: "done" } }],
      },
      select: { id: true },
    });
    if (todo) due.push(p.id);
  }
  return due;
}
