// Step 1 of a round: a reward model (LoRA + the score head, merged into a Hugging Face checkpoint with
// `score.weight`) trained on every judgment up to the cut-off, with a held-out split by prompt; its held-out
// pairwise accuracy is the share of held-out pairs (different tiers) it orders as the labellers did.
import path from "node:path";
import { runTrainCli, stepsAndEvaluation, threadArgs } from "./train-child";

/** The reward model's hyper-parameters (Bradley-Terry over every pair of a ranking, as InstructGPT). */
export const REWARD_HYPER_PARAMS = {
  lr: 3e-3,
  epochs: 4,
  batchSize: 8,
  seed: 42,
  evalSplit: 0.2,
  loraR: 16,
  loraAlpha: 32,
} as const;

/**
 * Fewest judgments for the reward model's held-out split. Its accuracy is reported, never a promotion bar, so a
 * small split (a few prompts, noisy) is still worth showing; below this there would be no prompt to hold out.
 */
export const MIN_REWARD_EVAL_JUDGMENTS = 10;

export type TRewardStep = {
  /** The merged checkpoint: what RL and the evaluation load (`--reward-model`). */
  modelPath: string;
  hyperParams: { [K in keyof typeof REWARD_HYPER_PARAMS]: number } & { maxLength: number; heldOut: boolean };
  steps: Record<string, number>[];
  /** `eval_accuracy`, `eval_loss`, `eval_margin` over the held-out prompts (empty without a split). */
  evaluation: Record<string, number>;
};

export async function trainRewardStep(o: {
  base: string;
  data: string;
  dir: string;
  judgments: number;
  maxLength: number;
  signal: AbortSignal;
  /** Overrides (tests: a learning rate of 0 keeps the head as it was initialised). */
  override?: { lr?: number; epochs?: number };
}): Promise<TRewardStep> {
  const hp = { ...REWARD_HYPER_PARAMS, ...o.override };
  const heldOut = o.judgments >= MIN_REWARD_EVAL_JUDGMENTS;
  const out = path.join(o.dir, "reward");
  await runTrainCli(
    [
      ...["--kind", "rm", "--model", o.base, "--data", o.data, "--out", out, "--merge"],
      ...["--lr", String(hp.lr), "--epochs", String(hp.epochs), "--batch-size", String(hp.batchSize)],
      ...["--lora-r", String(hp.loraR), "--lora-alpha", String(hp.loraAlpha)],
      ...["--seed", String(hp.seed), "--max-length", String(o.maxLength)],
      ...["--eval-split", heldOut ? String(hp.evalSplit) : "0", "--quiet", ...threadArgs()],
    ],
    path.join(o.dir, "reward.log"),
    o.signal,
  );
  const { steps, evaluation } = stepsAndEvaluation(path.join(out, "metrics.jsonl"));
  return {
    modelPath: path.join(out, "model"),
    hyperParams: { ...REWARD_HYPER_PARAMS, ...o.override, maxLength: o.maxLength, heldOut },
    steps,
    evaluation,
  };
}
