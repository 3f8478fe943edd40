// Projects whose candidate buffer the worker should top up now: active, with an active policy, fewer
// ready comparisons of the current round than the buffer asks for, and a prompt still to generate.
import { getDb } from "../../db";
import { countReadyComparisons, promptsToGenerate } from "./plan-generation";

export async function findGeneratingProjects(): Promise<string[]> {
  const db = getDb();
  const projects = await db.project.findMany({
    where: { status: "active", policyVersionId: { not: null } },
    select: { id: true, currentRound: true, overlap: true, candidateBuffer: true },
  });
  const due: string[] = [];
  for (const p of projects) {
    if ((await countReadyComparisons(p)) >= p.candidateBuffer) continue;
    if (await db.prompt.findFirst({ where: promptsToGenerate(p), select: { id: true } })) due.push(p.id);
  }
  return due;
}
