// The training benchmark's three workloads (LoRA DPO, reward model, full pre-training): their shapes, the
// seeded token ids and initial trained tensors both sides read, and the result both child processes print.
// Not the measurement itself (engine-train.ts, torch_train.py) nor the tables (train-report.ts).
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { writeSafetensors } from "../checkpoint/safetensors-write";
import { createRng } from "../generate/rng";
import type { Tensor } from "../ir";
import { initScoreHead, type TModelConfig } from "../model";
import { lmBatch, preferenceBatch, rankingBatch, scoredTokenCount } from "../train/data/batch";
import { initLora, loraModules, parseLoraConfig, type TLoraConfig } from "../train/lora";
import { rankingPairs } from "../train/feeds";
import type { TObjective } from "../train/step-graph";
import { DEFAULT_TRAINING_ARGS } from "../train/trainer";
import type { TBenchConfigName } from "./bench-configs";

export const WORKLOAD_NAMES = ["lora-dpo", "reward-model", "full-pretrain"] as const;
export type TWorkloadName = (typeof WORKLOAD_NAMES)[number];

export interface TWorkload {
  readonly name: TWorkloadName;
  readonly label: string;
  readonly objective: TObjective;
  readonly body: "lora" | "full";
  /** The reward head `score.weight` trains too. */
  readonly head: boolean;
  /** Pairs (DPO, reward model: two rows each) or sequences (pre-training). */
  readonly items: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

export const WORKLOADS: Record<TWorkloadName, TWorkload> = {
  "lora-dpo": {
    name: "lora-dpo",
    label: "LoRA DPO (sigmoid, beta 0.1)",
    objective: { kind: "dpo", lossType: "sigmoid", beta: 0.1, labelSmoothing: 0 },
    body: "lora",
    head: false,
    items: 8,
    promptTokens: 128,
    completionTokens: 128,
  },
  "reward-model": {
    name: "reward-model",
    label: "reward model (Bradley-Terry, LoRA + score head)",
    objective: { kind: "rm", loss: "bradley_terry", centerCoefficient: 0 },
    body: "lora",
    head: true,
    items: 8,
    promptTokens: 128,
    completionTokens: 128,
  },
  "full-pretrain": {
    name: "full-pretrain",
    label: "full pre-training (cross-entropy, every weight)",
    objective: { kind: "pretrain" },
    body: "full",
    head: false,
    items: 8,
    promptTokens: 0,
    completionTokens: 256,
  },
};

/** r 16, alpha 32, dropout 0, all seven projections (PEFT names; the product's defaults). */
export const BENCH_LORA: TLoraConfig = parseLoraConfig({ r: 16, alpha: 32 });
export const LORA_SEED = 42;

/** Rows of one step's batch and the tokens it processes (every row is full length: no padding). */
export function rowsOf(w: TWorkload): number {
  return w.body === "full" ? w.items : 2 * w.items;
}
export function tokensPerStep(w: TWorkload): number {
  return rowsOf(w) * (w.promptTokens + w.completionTokens);
}

/**
 * Items (pairs, or rows for pre-training) per micro-batch; an optimiser step accumulates the gradients of
 * every micro-batch of its batch, as the trainer does with gradient_accumulation_steps (the same on both
 * sides). NOTE: the SmolLM2 shape cannot take its batches whole on this 23.5 GB machine: in float32, 16 rows
 * of 256 tokens need ~21-23 GB of activations on either side (measured: reward model, engine 21.2 GB and
 * PyTorch 22.3 GB peak; DPO, the engine was killed at 23 GB), and the engine's pre-training step on 8 rows
 * passed 16.5 GB at its second step (at a97ac17, with onnxruntime's arena and memory pattern on). So it runs
 * 8 rows per micro-batch for DPO and the reward model (2 micro-batches of 4 pairs) and 4 rows for
 * pre-training (2 micro-batches).
 */
export function microBatchItems(config: TBenchConfigName, w: TWorkload): number {
  if (config === "small-5m") return w.items;
  return 4;
}

/** Timed steps after the warm-up step: the 135M-parameter full pre-training step takes tens of seconds. */
export function timedSteps(config: TBenchConfigName, w: TWorkloadName, isQuick: boolean): number {
  if (isQuick) return 1;
  if (config === "small-5m") return 7;
  return w === "full-pretrain" ? 2 : 3;
}

/** Everything both sides read: the examples, the batch as the engine lays it out, the optimiser settings. */
export const ZTrainInputs = z.object({
  config: z.string(),
  workload: z.enum(WORKLOAD_NAMES),
  /** Pairs for DPO and the reward model, token rows for pre-training. */
  pairs: z.array(
    z.object({
      prompt: z.array(z.number().int()),
      chosen: z.array(z.number().int()),
      rejected: z.array(z.number().int()),
    }),
  ),
  texts: z.array(z.array(z.number().int())),
  /** Items (pairs or texts) per micro-batch. */
  microItems: z.number().int(),
  /** The micro-batches as the engine lays them out (DPO: chosen rows then rejected rows; reward model: chosen,
   *  rejected per prompt), with their row pairs: DPO (chosen, rejected), Bradley-Terry (better, worse). */
  micro: z.array(
    z.object({
      inputIds: z.array(z.array(z.number().int())),
      completionMask: z.array(z.array(z.number().int())),
      better: z.array(z.number().int()),
      worse: z.array(z.number().int()),
    }),
  ),
  /** What the loss sum of the whole batch is divided by: pairs (DPO), prompts (reward model), scored tokens. */
  count: z.number().int(),
  lora: z.object({ r: z.number(), alpha: z.number(), targets: z.array(z.string()) }).nullable(),
  /** Safetensors of the initial trained tensors besides full weights: LoRA A (seeded) and B (zeros), the score head. */
  initFile: z.string().nullable(),
  optimizer: z.object({
    lr: z.number(),
    betas: z.tuple([z.number(), z.number()]),
    eps: z.number(),
    weightDecay: z.number(),
    maxGradNorm: z.number(),
  }),
  beta: z.number(),
  warmupSteps: z.number().int(),
  timedSteps: z.number().int(),
});
export type TTrainInputs = z.infer<typeof ZTrainInputs>;

function tokens(rng: ReturnType<typeof createRng>, n: number, vocab: number): number[] {
  // Ids in [1, vocab): 0 is these configs' BOS/EOS/pad, and no row is padded.
  return Array.from({ length: n }, () => 1 + (rng.nextUint32() % (vocab - 1)));
}

type TPair = TTrainInputs["pairs"][number];

/** One micro-batch through the data/batch.ts functions the feeds use, as plain arrays for PyTorch. */
function microBatch(
  w: TWorkload,
  pairs: readonly TPair[],
  texts: readonly number[][],
): TTrainInputs["micro"][number] & { count: number } {
  const examples = pairs.map((p, i) => ({
    line: i + 1,
    promptIds: p.prompt,
    chosenIds: p.chosen,
    rejectedIds: p.rejected,
  }));
  let batch;
  let better: number[] = [];
  let worse: number[] = [];
  let count: number;
  if (w.objective.kind === "dpo") {
    batch = preferenceBatch(examples, 0).batch;
    better = pairs.map((_, i) => i);
    worse = pairs.map((_, i) => pairs.length + i);
    count = pairs.length;
  } else if (w.objective.kind === "rm") {
    const rb = rankingBatch(
      examples.map((e) => ({
        line: e.line,
        promptIds: e.promptIds,
        completions: [e.chosenIds, e.rejectedIds],
        tiers: [0, 1],
      })),
      0,
    );
    batch = rb.batch;
    const p = rankingPairs(rb.groups, []);
    better = p.better;
    worse = p.worse;
    count = p.prompts;
  } else {
    batch = lmBatch(
      texts.map((ids, i) => ({ line: i + 1, ids })),
      0,
    );
    count = scoredTokenCount(batch);
  }
  const [B, T] = batch.shape;
  const rows = (a: BigInt64Array) =>
    Array.from({ length: B }, (_, r) => Array.from(a.subarray(r * T, (r + 1) * T), Number));
  return { inputIds: rows(batch.inputIds), completionMask: rows(batch.completionMask), better, worse, count };
}

/** Writes `inputs.json` (and the init safetensors for LoRA / the head) under `dir`; returns the JSON's path. */
export function writeTrainInputs(
  dir: string,
  config: TBenchConfigName,
  model: TModelConfig,
  w: TWorkload,
  o: { seed: number; timedSteps: number },
): string {
  const rng = createRng(o.seed).fork(WORKLOAD_NAMES.indexOf(w.name));
  const V = model.vocabSize;
  const pairs =
    w.body === "full"
      ? []
      : Array.from({ length: w.items }, () => ({
          prompt: tokens(rng, w.promptTokens, V),
          chosen: tokens(rng, w.completionTokens, V),
          rejected: tokens(rng, w.completionTokens, V),
        }));
  const texts = w.body === "full" ? Array.from({ length: w.items }, () => tokens(rng, w.completionTokens, V)) : [];
  const microItems = microBatchItems(config, w);
  const micro = [];
  for (let i = 0; i < w.items; i += microItems)
    micro.push(microBatch(w, pairs.slice(i, i + microItems), texts.slice(i, i + microItems)));
  let initFile: string | null = null;
  if (w.body === "lora" || w.head) {
    initFile = path.join(dir, `${config}-${w.name}-init.safetensors`);
    const init =
      w.body === "lora"
        ? initLora(loraModules(model, BENCH_LORA), BENCH_LORA, LORA_SEED)
        : new Map<string, Tensor<"float32">>();
    if (w.head) init.set("score.weight", initScoreHead(model.hiddenSize)); // what loadModelWeights gives a checkpoint without one
    writeSafetensors(
      initFile,
      [...init].map(([name, t]) => ({ name, shape: t.shape, dtype: "F32" as const, data: t.data })),
    );
  }
  const a = DEFAULT_TRAINING_ARGS;
  const inputs: TTrainInputs = {
    config,
    workload: w.name,
    pairs,
    texts,
    microItems,
    micro: micro.map(({ count: _, ...m }) => m),
    count: micro.reduce((n, m) => n + m.count, 0),
    lora:
      w.body === "lora" ? { r: BENCH_LORA.r, alpha: BENCH_LORA.alpha, targets: [...BENCH_LORA.targetModules] } : null,
    initFile,
    optimizer: {
      lr: a.learningRate,
      betas: [a.adamBeta1, a.adamBeta2],
      eps: a.adamEpsilon,
      weightDecay: a.weightDecay,
      maxGradNorm: a.maxGradNorm,
    },
    beta: w.objective.kind === "dpo" ? w.objective.beta : 0,
    warmupSteps: 1,
    timedSteps: o.timedSteps,
  };
  const file = path.join(dir, `${config}-${w.name}.json`);
  fs.writeFileSync(file, JSON.stringify(inputs));
  return file;
}
