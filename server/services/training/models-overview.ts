// What the admin's Models tab shows for a project: the active policy and round, candidate generation
// (ready comparisons per round, prompts waiting, prompts too long for the model), the training runs
// with their metrics and evaluation, and the policy versions with their lineage.
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { promptsToGenerate } from "../generation/plan-generation";

type TStep = { step: number; loss: number; [k: string]: number };

export async function getModelsOverview(o: { projectId: string }) {
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: o.projectId }, include: { policyVersion: true } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  const [runs, byRound, tooLong, waiting] = await Promise.all([
    db.trainingRun.findMany({
      where: { projectId: project.id },
      orderBy: { number: "desc" },
      take: 50,
      include: {
        policyVersion: { select: { name: true } },
        parentVersion: { select: { name: true } },
        rewardVersion: { select: { name: true } },
      },
    }),
    db.comparison.groupBy({
      by: ["round"],
      where: { projectId: project.id },
      _count: { _all: true },
      _sum: { judgmentCount: true },
    }),
    db.prompt.findMany({
      where: { projectId: project.id, generationError: { not: null } },
      select: { id: true, seq: true, generationError: true },
      orderBy: { seq: "asc" },
      take: 20,
    }),
    project.policyVersionId ? db.prompt.count({ where: promptsToGenerate(project) }) : Promise.resolve(0),
  ]);
  // Versions of this project: the ones its runs produced or started from, and the active one.
  const ids = new Set<string>();
  if (project.policyVersionId) ids.add(project.policyVersionId);
  for (const r of runs) {
    if (r.parentVersionId) ids.add(r.parentVersionId);
    if (r.policyVersionId) ids.add(r.policyVersionId);
  }
  const rewardIds = runs.flatMap((r) => (r.rewardVersionId ? [r.rewardVersionId] : []));
  const [versions, rewardModels] = await Promise.all([
    db.modelVersion.findMany({ where: { id: { in: [...ids] } }, orderBy: { createdAt: "asc" } }),
    // A project's reward models are the ones its runs trained (TrainingRun.rewardVersionId); runs finished
    // before that column existed name theirs in the version's metadata (projectId, trainingRunId).
    db.modelVersion.findMany({
      where: {
        kind: "reward",
        OR: [{ id: { in: rewardIds } }, { name: { startsWith: `${project.slug}-round-` } }],
      },
      orderBy: { createdAt: "desc" },
      take: 50,
    }),
  ]);
  const nameOf = new Map(versions.map((v) => [v.id, v.name]));
  const lastCutoff = runs.find((r) => r.status === "done")?.dataCutoff ?? null;
  const judgmentsSinceRun = await db.judgment.count({
    where: { projectId: project.id, ...(lastCutoff ? { createdAt: { gt: lastCutoff } } : {}) },
  });
  return {
    activePolicy: project.policyVersion ? { id: project.policyVersion.id, name: project.policyVersion.name } : null,
    currentRound: project.currentRound,
    trainEvery: project.trainEvery,
    judgmentsSinceRun,
    generation: {
      promptsWaiting: waiting,
      tooLong,
      rounds: byRound
        .map((r) => ({ round: r.round, comparisons: r._count._all, judgments: r._sum.judgmentCount ?? 0 }))
        .sort((a, b) => a.round - b.round),
    },
    runs: runs.map((r) => ({
      id: r.id,
      number: r.number,
      status: r.status,
      trigger: r.trigger,
      objective: r.objective,
      parent: r.parentVersion?.name ?? null,
      result: r.policyVersion?.name ?? null,
      rewardModel: r.rewardVersion?.name ?? null,
      judgments: r.judgments,
      pairs: r.pairs,
      isPromoted: r.isPromoted,
      error: r.error,
      evaluation: (r.evaluation ?? {}) as Record<string, number>,
      losses: ((r.metrics ?? []) as TStep[]).map((s) => ({ step: s.step, loss: s.loss })),
      createdAt: r.createdAt,
      finishedAt: r.finishedAt,
    })),
    versions: versions.map((v) => ({
      id: v.id,
      name: v.name,
      parent: v.parentId ? (nameOf.get(v.parentId) ?? v.parentId) : null,
      createdAt: v.createdAt,
      isActive: v.id === project.policyVersionId,
      // The built-in model ships with the code; trained versions can be downloaded.
      isDownloadable: !v.path.startsWith("builtin:"),
    })),
    rewardModels: rewardModels.flatMap((v) => {
      const meta = (v.metadata ?? {}) as {
        projectId?: string;
        trainingRunId?: string;
        dataCutoff?: string | null;
        judgments?: number;
        evaluation?: Record<string, number>;
        losses?: { step: number; loss: number }[];
      };
      const run = runs.find((r) => r.rewardVersionId === v.id) ?? runs.find((r) => r.id === meta.trainingRunId);
      // The name prefix can match another project whose slug extends this one's ("a" and "a-round-2").
      if (!run && meta.projectId !== project.id) return [];
      return {
        id: v.id,
        name: v.name,
        parent: v.parentId ? (nameOf.get(v.parentId) ?? v.parentId) : null,
        round: run?.number ?? null,
        dataCutoff: meta.dataCutoff ?? null,
        judgments: meta.judgments ?? 0,
        heldOutAccuracy: meta.evaluation?.eval_accuracy ?? null,
        finalLoss: meta.losses?.at(-1)?.loss ?? null,
        createdAt: v.createdAt,
      };
    }),
  };
}
export type TModelsOverview = Awaited<ReturnType<typeof getModelsOverview>>;
