// The `train.round` job, on the project's judgments up to the run's data cut-off: (1) a reward model, (2) the
// project's policy objective from the active policy (DPO, RLOO against that reward model, or DPO then RLOO),
// each in a child process running the engine's `npm run train`; then both versions are
// registered with their lineage, per-step metrics and held-out evaluation, and the policy is promoted when it
// clears the bar. A failed run (a non-finite loss stops the trainer) registers nothing and leaves the active
// version unchanged.
import fs from "node:fs";
import path from "node:path";
import type { TJobHandler } from "../../server/jobs/job-runner";
import { exportLines } from "../../server/services/export/export-lines";
import {
  failTrainingRun,
  finishTrainingRun,
  shouldPromote,
  startTrainingRun,
} from "../../server/services/training/training-run-state";
import { policyDir } from "../generation/generate-job";
import { ZPolicyObjective } from "../../server/domain";
import { evaluateStep } from "./evaluate-step";
import { trainRewardStep } from "./reward-step";
import { trainRlooStep, writePromptRows, type RLOO_HYPER_PARAMS } from "./rloo-step";
import { runTrainCli, stepsAndEvaluation, threadArgs } from "./train-child";

/** Where trained versions live: every worker and web server of one database must see the same folder. */
export const modelsDir = () => path.resolve(process.env.PREFLOOP_MODELS_DIR ?? "data/models");

/** The round's hyper-parameters (the bench:loop settings that moved the built-in model's preferences). */
export const DPO_HYPER_PARAMS = {
  lr: 1e-4,
  epochs: 2,
  batchSize: 8,
  beta: 0.1,
  seed: 42,
  evalSplit: 0.2,
} as const;

/** Fewest judgments for a held-out evaluation of a round. */
export const MIN_EVAL_JUDGMENTS = 20;

export const trainRound: TJobHandler<"train.round"> = {
  run: async ({ runId }, ctx) => {
    const run = await startTrainingRun(runId);
    if (!run) return { skipped: "the run already ended" };
    const dir = path.join(modelsDir(), `${run.projectSlug}-round-${run.number}-${run.runId}`);
    fs.rmSync(dir, { recursive: true, force: true }); // a re-run starts clean
    fs.mkdirSync(dir, { recursive: true });
    const data = path.join(dir, "judgments.jsonl");
    const out = fs.createWriteStream(data);
    let judgments = 0;
    let pairs = 0;
    for await (const line of exportLines({ projectId: run.projectId, format: "judgments", until: run.dataCutoff })) {
      const row = JSON.parse(line) as { tiers: string[][] };
      judgments++;
      // Pairs across tiers: what DPO trains on (ties give none).
      for (let i = 0; i < row.tiers.length; i++)
        for (let j = i + 1; j < row.tiers.length; j++) pairs += row.tiers[i]!.length * row.tiers[j]!.length;
      out.write(line);
    }
    await new Promise<void>((r, e) => out.end((err?: Error | null) => (err ? e(err) : r())));
    if (pairs === 0) throw new Error(`no preference pairs in ${judgments} judgment(s): every ranking was one tier`);
    ctx.signal.throwIfAborted();
    const base = policyDir(run.parent.path);
    const context = (
      JSON.parse(fs.readFileSync(path.join(base, "config.json"), "utf8")) as { max_position_embeddings: number }
    ).max_position_embeddings;
    const reward = await trainRewardStep({ base, data, dir, judgments, maxLength: context, signal: ctx.signal });
    ctx.signal.throwIfAborted();
    const objective = ZPolicyObjective.catch("dpo").parse(run.objective);
    const hp = { ...DPO_HYPER_PARAMS, ...run.requested, maxLength: context };
    let modelPath = "";
    let steps: Record<string, number>[] = [];
    let policyEvaluation: Record<string, number> = {};
    let rlooHyperParams: (typeof RLOO_HYPER_PARAMS & { from: "dpo" | "parent" }) | null = null;
    if (objective === "dpo" || objective === "dpo_rloo") {
      const trainOut = path.join(dir, "dpo");
      await runTrainCli(
        [
          ...["--kind", "dpo", "--model", base, "--data", data, "--out", trainOut, "--merge"],
          ...["--lr", String(hp.lr), "--epochs", String(hp.epochs), "--batch-size", String(hp.batchSize)],
          ...["--beta", String(hp.beta), "--seed", String(hp.seed), "--max-length", String(hp.maxLength)],
          // Below 20 judgments a held-out split is a prompt or two: noise, so none (the bar is then a finite run).
          ...["--eval-split", judgments >= MIN_EVAL_JUDGMENTS ? String(hp.evalSplit) : "0"],
          ...["--precompute-ref", "--quiet", ...threadArgs()],
        ],
        path.join(dir, "train.log"),
        ctx.signal,
      );
      const dpo = stepsAndEvaluation(path.join(trainOut, "metrics.jsonl"));
      modelPath = path.join(trainOut, "model");
      steps = dpo.steps;
      policyEvaluation = dpo.evaluation;
      ctx.signal.throwIfAborted();
    }
    if (objective === "rloo" || objective === "dpo_rloo") {
      const prompts = path.join(dir, "prompts.jsonl");
      writePromptRows(data, prompts);
      const rloo = await trainRlooStep({
        base: objective === "dpo_rloo" ? modelPath : base, // after DPO, RLOO starts from (and keeps its KL to) the DPO policy
        rewardModel: reward.modelPath,
        prompts,
        out: path.join(dir, "rloo"),
        maxLength: context,
        logFile: path.join(dir, "rloo.log"),
        signal: ctx.signal,
      });
      modelPath = rloo.modelPath;
      // One loss curve: RLOO's steps continue DPO's numbering.
      steps = [...steps, ...rloo.steps.map((e) => ({ ...e, step: (e.step ?? 0) + steps.length }))];
      policyEvaluation = { ...policyEvaluation, ...rloo.evaluation };
      rlooHyperParams = { ...rloo.hyperParams, from: objective === "dpo_rloo" ? "dpo" : "parent" };
    }
    // Step 3: new vs current on the reward model's held-out prompts (none below its split's minimum).
    const versus = reward.hyperParams.heldOut
      ? await evaluateStep({
          newModel: modelPath,
          currentModel: base,
          rewardModel: reward.modelPath,
          data,
          evalSplit: reward.hyperParams.evalSplit,
          dir,
          signal: ctx.signal,
        })
      : {};
    // The run's evaluation: the policy's numbers, new vs current, and the reward model's as `reward_eval_*`.
    const evaluation = {
      ...policyEvaluation,
      ...versus,
      ...Object.fromEntries(Object.entries(reward.evaluation).map(([k, v]) => [`reward_${k}`, v])),
    };
    const result = await finishTrainingRun({
      runId,
      reward: {
        modelPath: reward.modelPath,
        hyperParams: reward.hyperParams,
        steps: reward.steps,
        evaluation: reward.evaluation,
      },
      modelPath,
      judgments,
      pairs,
      hyperParams: {
        objective,
        ...(objective === "rloo" ? {} : { ...hp, loraR: 16, loraAlpha: 32 }),
        ...(rlooHyperParams ? { rloo: rlooHyperParams } : {}),
        parent: run.parent.name,
        reward: reward.hyperParams,
      },
      metrics: steps,
      evaluation,
      promote: shouldPromote(evaluation),
    });
    return { ...result, judgments, pairs, evaluation };
  },
  onFailed: ({ runId }, reason) => failTrainingRun(runId, reason),
};
