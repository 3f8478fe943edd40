// RLOO as a round's policy step (the engine's `--kind rloo`): K completions per prompt sampled from the
// policy, scored by the round's reward model, REINFORCE with the leave-one-out baseline and the KL to the
// starting model in the reward. It trains on the prompts of the judgments (no held-out split: the policy's
// held-out numbers are the round's evaluation).
import fs from "node:fs";
import path from "node:path";
import { runTrainCli, stepsAndEvaluation, threadArgs } from "./train-child";

export const RLOO_HYPER_PARAMS = {
  lr: 5e-5,
  epochs: 1,
  batchSize: 8,
  numGenerations: 4,
  maxNewTokens: 32,
  beta: 0.05,
  temperature: 1,
  seed: 42,
} as const;

/** The prompt-only rows RLOO samples from: each prompt of the judgments file once, in file order. */
export function writePromptRows(judgmentsFile: string, out: string): number {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const line of fs.readFileSync(judgmentsFile, "utf8").split("\n")) {
    if (line.trim() === "") continue;
    const row = JSON.parse(line) as { prompt_id: string; messages: { role: string; content: string }[] };
    if (seen.has(row.prompt_id)) continue;
    seen.add(row.prompt_id);
    lines.push(JSON.stringify({ prompt: row.messages }));
  }
  fs.writeFileSync(out, lines.join("\n") + "\n");
  return lines.length;
}

export async function trainRlooStep(o: {
  /** The model RLOO starts from (and keeps its KL to). */
  base: string;
  rewardModel: string;
  prompts: string;
  out: string;
  maxLength: number;
  logFile: string;
  signal: AbortSignal;
}) {
  const hp = RLOO_HYPER_PARAMS;
  await runTrainCli(
    [
      ...["--kind", "rloo", "--model", o.base, "--data", o.prompts, "--out", o.out, "--merge"],
      ...["--reward-model", o.rewardModel, "--num-generations", String(hp.numGenerations)],
      ...["--max-new-tokens", String(hp.maxNewTokens), "--temperature", String(hp.temperature)],
      ...["--lr", String(hp.lr), "--epochs", String(hp.epochs), "--batch-size", String(hp.batchSize)],
      ...["--beta", String(hp.beta), "--seed", String(hp.seed), "--max-length", String(o.maxLength)],
      ...["--eval-split", "0", "--quiet", ...threadArgs()],
    ],
    o.logFile,
    o.signal,
  );
  const { steps } = stepsAndEvaluation(path.join(o.out, "metrics.jsonl"));
  const last = steps.at(-1) ?? {};
  // The last step's mean reward-model score of the samples and per-token KL to the starting model.
  const evaluation: Record<string, number> = {};
  if (last.reward !== undefined) evaluation.rloo_reward = last.reward;
  if (last.kl !== undefined) evaluation.rloo_kl = last.kl;
  return { modelPath: path.join(o.out, "model"), steps, evaluation, hyperParams: hp };
}
