// What a generation job should do for a project now: which prompts need candidates of the current
// round from the active policy, so that `candidateBuffer` ready comparisons wait ahead of the
// labellers. Prompts that cannot be generated (too long for the model) are left out; each prompt is
// asked at most once per round.
import { z } from "zod";
import { getDb } from "../../db";
import {
  DEFAULT_PROJECT_SAMPLING,
  ZMessage,
  ZProjectSampling,
  type TMessage,
  type TProjectSampling,
} from "../../domain";

export type TGenerationPlan = {
  projectId: string;
  round: number;
  k: number;
  sampling: TProjectSampling;
  policy: { id: string; name: string; path: string };
  prompts: { id: string; seq: number; messages: TMessage[] }[];
};

export async function planGeneration(o: { projectId: string; maxPrompts: number }): Promise<TGenerationPlan | null> {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: o.projectId }, include: { policyVersion: true } });
  if (!project || project.status !== "active" || !project.policyVersion) return null;
  const waiting = await db.comparison.count({
    where: {
      projectId: project.id,
      round: project.currentRound,
      status: "open",
      judgmentCount: { lt: project.overlap },
    },
  });
  const want = Math.min(o.maxPrompts, project.candidateBuffer - waiting);
  const base = {
    projectId: project.id,
    round: project.currentRound,
    k: project.candidatesPerPrompt,
    sampling: project.samplingParams ? ZProjectSampling.parse(project.samplingParams) : DEFAULT_PROJECT_SAMPLING,
    policy: { id: project.policyVersion.id, name: project.policyVersion.name, path: project.policyVersion.path },
  };
  if (want <= 0) return { ...base, prompts: [] };
  const prompts = await db.prompt.findMany({
    where: {
      projectId: project.id,
      generationError: null,
      comparisons: { none: { round: project.currentRound } },
      // An import still writing may remove its prompts again.
      OR: [{ importId: null }, { import: { status: "done" } }],
    },
    orderBy: { seq: "asc" },
    take: want,
    select: { id: true, seq: true, messages: true },
  });
  return { ...base, prompts: prompts.map((p) => ({ ...p, messages: z.array(ZMessage).parse(p.messages) })) };
}
