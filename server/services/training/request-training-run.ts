// Starts a training round of a project: a TrainingRun row (numbered within the project) and its
// `train.round` job, in that order; one unfinished run per project at a time.
import { z } from "zod";
import { getDb } from "../../db";
import { AppError } from "../../errors";
import { enqueueJob } from "../../jobs/job-queue";
import { recordAudit } from "../audit/record-audit";
import { isUniqueViolation } from "../queue/is-unique-violation";

/** Hyper-parameters an admin may set for one round (the rest are the worker's defaults). */
export const ZRoundHyperParams = z
  .object({
    lr: z.number().positive().max(1e30),
    epochs: z.number().int().min(1).max(20),
    beta: z.number().positive().max(10),
  })
  .partial()
  .strict();
export type TRoundHyperParams = z.infer<typeof ZRoundHyperParams>;

export async function requestTrainingRun(o: {
  projectId: string;
  trigger: "admin" | "schedule";
  actorId?: string;
  hyperParams?: TRoundHyperParams;
}): Promise<{ runId: string; number: number }> {
  const hyperParams = ZRoundHyperParams.parse(o.hyperParams ?? {});
  const db = getDb();
  const project = await db.project.findUnique({ where: { id: o.projectId } });
  if (!project) throw new AppError("NOT_FOUND", "No such project.");
  if (!project.policyVersionId)
    throw new AppError(
      "CONFLICT",
      `The project "${project.name}" has no policy to train (its candidates are imported).`,
    );
  const busy = await db.trainingRun.findFirst({
    where: { projectId: project.id, status: { in: ["queued", "running"] } },
  });
  if (busy)
    throw new AppError(
      "CONFLICT",
      `Training round ${busy.number} of this project is ${busy.status}; wait for it to end.`,
    );
  const judged = await db.judgment.count({ where: { projectId: project.id } });
  if (judged < 2)
    throw new AppError("CONFLICT", `The project has ${judged} judgment(s); a training round needs at least 2.`);
  let run;
  try {
    run = await db.$transaction(async (tx) => {
      const last = await tx.trainingRun.aggregate({ where: { projectId: project.id }, _max: { number: true } });
      return tx.trainingRun.create({
        data: {
          projectId: project.id,
          number: (last._max.number ?? 0) + 1,
          trigger: o.trigger,
          objective: project.policyObjective,
          parentVersionId: project.policyVersionId,
          hyperParams,
        },
      });
    });
  } catch (e) {
    if (isUniqueViolation(e))
      throw new AppError("CONFLICT", "Another training round was requested at the same moment.");
    throw e;
  }
  await enqueueJob({
    id: `train.round@${run.id}`,
    kind: "train.round",
    payload: { runId: run.id },
    concurrencyKey: project.id,
  });
  if (o.actorId)
    await recordAudit({
      actorId: o.actorId,
      action: "project.train",
      targetType: "project",
      targetId: project.id,
      details: { runId: run.id, number: run.number },
    });
  return { runId: run.id, number: run.number };
}

/** Projects whose schedule asks for a round: `trainEvery` new judgments since the last run's cut-off, none unfinished. */
export async function findProjectsDueForTraining(): Promise<string[]> {
  const db = getDb();
  const projects = await db.project.findMany({
    where: { status: "active", policyVersionId: { not: null }, trainEvery: { gt: 0 } },
    select: { id: true, trainEvery: true },
  });
  const due: string[] = [];
  for (const p of projects) {
    const runs = await db.trainingRun.findMany({
      where: { projectId: p.id },
      orderBy: { number: "desc" },
      take: 1,
      select: { status: true, dataCutoff: true, createdAt: true },
    });
    const last = runs[0];
    if (last && (last.status === "queued" || last.status === "running")) continue;
    const since = last ? (last.dataCutoff ?? last.createdAt) : undefined;
    const fresh = await db.judgment.count({
      where: { projectId: p.id, ...(since ? { createdAt: { gt: since } } : {}) },
    });
    if (fresh >= p.trainEvery) due.push(p.id);
  }
  return due;
}
