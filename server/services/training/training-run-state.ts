// A training run's life in the database: started (the data cut-off is fixed), finished (the new policy
// version is registered with its lineage and metrics, and promoted when the evaluation says it is
// better), or failed (the active version stays as it was).
import { getDb, type DbTx } from "../../db";
import { AppError } from "../../errors";
import type { Prisma } from "../../../generated/sqlite/client";
import { recordAudit } from "../audit/record-audit";
import { ZRoundHyperParams, type TRoundHyperParams } from "./request-training-run";

export type TStartedRun = {
  runId: string;
  number: number;
  projectId: string;
  projectSlug: string;
  /** The policy step, fixed when the run was requested (the project's setting then). */
  objective: string;
  dataCutoff: Date;
  parent: { id: string; name: string; path: string };
  /** Hyper-parameters asked for this round (they override the worker's defaults). */
  requested: TRoundHyperParams;
};

export async function startTrainingRun(runId: string): Promise<TStartedRun | null> {
  const db = getDb();
  const run = await db.trainingRun.findUnique({
    where: { id: runId },
    include: { project: true, parentVersion: true },
  });
  if (!run) throw new AppError("NOT_FOUND", `No training run ${runId}.`);
  if (run.status === "done" || run.status === "failed") return null; // a re-delivered job: nothing to do
  if (!run.parentVersion) throw new AppError("CONFLICT", `Training run ${run.number} has no policy to start from.`);
  // A re-run after a crash keeps the first run's cut-off, so it trains on the same judgments.
  const dataCutoff = run.dataCutoff ?? new Date();
  await db.trainingRun.update({
    where: { id: run.id },
    data: { status: "running", startedAt: new Date(), dataCutoff, error: null },
  });
  return {
    runId: run.id,
    number: run.number,
    projectId: run.projectId,
    projectSlug: run.project.slug,
    objective: run.objective,
    dataCutoff,
    parent: { id: run.parentVersion.id, name: run.parentVersion.name, path: run.parentVersion.path },
    requested: ZRoundHyperParams.parse(run.hyperParams ?? {}),
  };
}

/** The round's reward model, registered with the policy (a failed round registers neither). */
export type TRewardModelResult = {
  modelPath: string;
  hyperParams: Prisma.InputJsonValue & { seed: number };
  /** The loss curve: [{ step, loss, accuracy, ... }]. */
  steps: Record<string, number>[];
  /** Held-out `eval_accuracy`, `eval_loss`, `eval_margin` (empty without a split). */
  evaluation: Record<string, number>;
};

/** The name of a round's reward model version. */
export const rewardVersionName = (projectSlug: string, round: number) => `${projectSlug}-round-${round}-reward`;

export async function finishTrainingRun(o: {
  runId: string;
  reward: TRewardModelResult;
  modelPath: string;
  judgments: number;
  pairs: number;
  hyperParams: Prisma.InputJsonValue;
  metrics: Prisma.InputJsonValue;
  evaluation: Record<string, number>;
  /** Promote when the evaluation clears the bar (see shouldPromote). */
  promote: boolean;
}): Promise<{ versionId: string; rewardVersionId: string; isPromoted: boolean }> {
  const db = getDb();
  return db.$transaction(async (tx) => {
    const run = await tx.trainingRun.findUniqueOrThrow({ where: { id: o.runId }, include: { project: true } });
    const reward = await tx.modelVersion.create({
      data: {
        name: rewardVersionName(run.project.slug, run.number),
        kind: "reward",
        // The policy its body was initialised from.
        parentId: run.parentVersionId,
        path: o.reward.modelPath,
        metadata: {
          projectId: run.projectId,
          trainingRunId: run.id,
          dataCutoff: run.dataCutoff?.toISOString() ?? null,
          judgments: o.judgments,
          pairs: o.pairs,
          hyperParams: o.reward.hyperParams,
          seed: o.reward.hyperParams.seed,
          evaluation: o.reward.evaluation,
          losses: o.reward.steps.map((s) => ({ step: s.step ?? 0, loss: s.loss ?? null })),
        },
      },
    });
    const version = await tx.modelVersion.create({
      data: {
        name: `${run.project.slug}-round-${run.number}`,
        kind: "policy",
        parentId: run.parentVersionId,
        path: o.modelPath,
        metadata: {
          projectId: run.projectId,
          trainingRunId: run.id,
          objective: run.objective,
          dataCutoff: run.dataCutoff?.toISOString() ?? null,
          judgments: o.judgments,
          pairs: o.pairs,
          hyperParams: o.hyperParams,
          evaluation: o.evaluation,
          rewardVersionId: reward.id,
        },
      },
    });
    // Promote only if the project still runs the policy this round started from (an admin may have
    // switched meanwhile).
    const isPromoted = o.promote && run.project.policyVersionId === run.parentVersionId;
    if (isPromoted) {
      await tx.project.update({
        where: { id: run.projectId },
        data: { policyVersionId: version.id, currentRound: { increment: 1 } },
      });
      await retireUnstartedComparisons(tx, run.projectId);
    }
    await tx.trainingRun.update({
      where: { id: run.id },
      data: {
        status: "done",
        policyVersionId: version.id,
        rewardVersionId: reward.id,
        judgments: o.judgments,
        pairs: o.pairs,
        hyperParams: o.hyperParams,
        metrics: o.metrics,
        evaluation: o.evaluation,
        isPromoted,
        finishedAt: new Date(),
      },
    });
    return { versionId: version.id, rewardVersionId: reward.id, isPromoted };
  });
}

export async function failTrainingRun(runId: string, error: string): Promise<void> {
  await getDb().trainingRun.updateMany({
    where: { id: runId, status: { in: ["queued", "running"] } },
    data: { status: "failed", error: error.slice(0, 2000), finishedAt: new Date() },
  });
}

/**
 * The promotion bar. With a new-vs-current evaluation (held-out prompts, scored by the round's reward model):
 * the new policy's answers win more than half of the prompts (ties count half) and every number is finite.
 * Without one (too few judgments for a held-out split): DPO's held-out implicit-reward accuracy of at least 0.5
 * when there is one, else a finite run. DPO's accuracy is reported either way; an admin can always promote.
 */
export function shouldPromote(evaluation: Record<string, number>): boolean {
  if (Object.values(evaluation).some((v) => !Number.isFinite(v))) return false;
  const winRate = evaluation.eval_win_rate;
  if (winRate !== undefined) return winRate > 0.5;
  const acc = evaluation["eval_rewards/accuracies"];
  return acc === undefined ? true : acc >= 0.5;
}

/** Makes `versionId` the project's active policy (promotion by hand, or rollback to an earlier version). */
export async function activatePolicy(o: { projectId: string; versionId: string; actorId: string }): Promise<void> {
  const db = getDb();
  const version = await db.modelVersion.findUnique({ where: { id: o.versionId } });
  if (!version || version.kind !== "policy") throw new AppError("NOT_FOUND", "No such policy version.");
  await db.$transaction(async (tx) => {
    const project = await tx.project.findUnique({ where: { id: o.projectId } });
    if (!project) throw new AppError("NOT_FOUND", "No such project.");
    if (project.policyVersionId === version.id) return;
    await tx.project.update({
      where: { id: project.id },
      data: { policyVersionId: version.id, currentRound: { increment: 1 } },
    });
    await retireUnstartedComparisons(tx, project.id);
    await recordAudit(
      {
        actorId: o.actorId,
        action: "project.policy",
        targetType: "project",
        targetId: project.id,
        details: { from: project.policyVersionId, to: version.id },
      },
      tx,
    );
  });
}

/**
 * A new active policy: generated comparisons of earlier rounds that nobody has judged or holds are
 * retired, so labellers rank the new policy's answers next (imported ones and gold ones are never retired: a
 * gold comparison is an admin's reference, kept whoever generated it).
 */
function retireUnstartedComparisons(tx: DbTx, projectId: string) {
  return tx.comparison.updateMany({
    where: {
      projectId,
      status: "open",
      isGold: false,
      policyVersionId: { not: null },
      judgmentCount: 0,
      assignments: { none: {} },
    },
    data: { status: "retired" },
  });
}
