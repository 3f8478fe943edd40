// What a generation job should do for a project now: which prompts need candidates of the current
// round from the active policy, so that `candidateBuffer` ready comparisons wait ahead of the
// labellers. Prompts that cannot be generated (too long for the model) are left out; each prompt is
// asked at most once per round.
import { createHash } from "node:crypto";
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
  /** The reward model that scores new candidates: the one of the project's latest finished round, if any. */
  reward: { id: string; name: string; path: string } | null;
  /** The version the active policy was trained from: head-to-head prompts get half their candidates from it. */
  rival: { id: string; name: string; path: string } | null;
  /** `headToHead`: this prompt's comparison mixes the active policy and the rival (see isHeadToHead). */
  prompts: { id: string; seq: number; messages: TMessage[]; headToHead: boolean }[];
};

type TRoundOf = { id: string; currentRound: number; overlap: number };

/**
 * Open comparisons of the current round still short of the overlap: the buffer ahead of the labellers. Gold ones
 * are served past the overlap at their own rate, so they do not stand in for fresh candidates.
 */
export function countReadyComparisons(p: TRoundOf): Promise<number> {
  return getDb().comparison.count({
    where: { projectId: p.id, round: p.currentRound, status: "open", isGold: false, judgmentCount: { lt: p.overlap } },
  });
}

/** Prompts still without a comparison of the current round that can be generated. */
export function promptsToGenerate(p: Pick<TRoundOf, "id" | "currentRound">) {
  return {
    projectId: p.id,
    generationError: null,
    comparisons: { none: { round: p.currentRound } },
    // An import still writing may remove its prompts again.
    OR: [{ importId: null }, { import: { status: "done" } }],
  };
}

/**
 * Whether a prompt's comparison of a round mixes two versions: a fixed draw from (prompt, round), so a job that
 * runs again decides the same, at the project's share.
 */
export function isHeadToHead(promptId: string, round: number, share: number): boolean {
  if (share <= 0) return false;
  const u = createHash("sha256").update(`${promptId}:${round}:h2h`).digest().readUInt32BE(0) / 2 ** 32;
  return u < share;
}

export async function planGeneration(o: { projectId: string; maxPrompts: number }): Promise<TGenerationPlan | null> {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: o.projectId }, include: { policyVersion: true } });
  if (!project || project.status !== "active" || !project.policyVersion) return null;
  const parentId = project.policyVersion.parentId;
  const [waiting, lastRound, parent] = await Promise.all([
    countReadyComparisons(project),
    db.trainingRun.findFirst({
      where: { projectId: project.id, status: "done", rewardVersionId: { not: null } },
      orderBy: { number: "desc" },
      select: { rewardVersion: { select: { id: true, name: true, path: true } } },
    }),
    parentId ? db.modelVersion.findUnique({ where: { id: parentId } }) : Promise.resolve(null),
  ]);
  const want = Math.min(o.maxPrompts, project.candidateBuffer - waiting);
  const base = {
    projectId: project.id,
    round: project.currentRound,
    k: project.candidatesPerPrompt,
    sampling: project.samplingParams ? ZProjectSampling.parse(project.samplingParams) : DEFAULT_PROJECT_SAMPLING,
    policy: { id: project.policyVersion.id, name: project.policyVersion.name, path: project.policyVersion.path },
    reward: lastRound?.rewardVersion ?? null,
    rival: rivalOf(parent, project.candidatesPerPrompt),
  };
  if (want <= 0) return { ...base, prompts: [] };
  const prompts = await db.prompt.findMany({
    where: promptsToGenerate(project),
    orderBy: { seq: "asc" },
    take: want,
    select: { id: true, seq: true, messages: true },
  });
  const share = base.rival ? project.headToHeadShare : 0;
  return {
    ...base,
    prompts: prompts.map((p) => ({
      ...p,
      messages: z.array(ZMessage).parse(p.messages),
      headToHead: isHeadToHead(p.id, base.round, share),
    })),
  };
}

/** A parent policy version can answer beside its child when it is a policy and K leaves each at least one. */
function rivalOf(parent: { id: string; name: string; path: string; kind: string } | null, k: number) {
  if (!parent || parent.kind !== "policy" || k < 2) return null;
  return { id: parent.id, name: parent.name, path: parent.path };
}
