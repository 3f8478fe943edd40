// The training graph of one objective: the model's forward pass, the loss, and the gradient of the loss with
// respect to every trainable tensor, as one ONNX graph (one onnxruntime session serves every step). Not the
// loop (trainer.ts) nor the feeds' construction from data (feeds.ts).
//
// Graph inputs: input_ids, attention_mask, position_ids (int64 [batch, seq], right-padded), the objective's
// own inputs (below), and every trainable tensor under its state-dict / engine name. Outputs: `loss_sum`,
// `metric.<name>` (sums; METRIC_UNITS says what each is summed over) and `grad.<name>` per trainable tensor.
import { fromNumbers, GraphBuilder, type Graph, type Value } from "../ir";
import * as op from "../ops";
import { grad } from "../autodiff";
import { decoder, lmHead, rewardHead, type TGraphSource } from "../model";
import {
  bradleyTerry,
  crossEntropy,
  dpo,
  entropySum,
  GRPO_LOSS_TYPES,
  grpo,
  plackettLuce,
  rloo,
  scoredMask,
  tokenLogprobs,
  type TDpoConfig,
  type TGrpoConfig,
  type TLossOut,
} from "./losses";

export const OBJECTIVE_KINDS = ["pretrain", "sft", "rm", "dpo", "rloo", "grpo"] as const;
export type TObjectiveKind = (typeof OBJECTIVE_KINDS)[number];

export type TObjective =
  | { readonly kind: "pretrain" }
  | { readonly kind: "sft" }
  | { readonly kind: "rm"; readonly loss: "bradley_terry" | "plackett_luce"; readonly centerCoefficient: number }
  | ({ readonly kind: "dpo" } & TDpoConfig)
  | { readonly kind: "rloo"; readonly temperature: number }
  | ({ readonly kind: "grpo"; readonly temperature: number } & TGrpoConfig);

/** What a loss or metric sum is divided by: counted by the loop from the accumulated batch. */
export type TUnit = "tokens" | "sequences" | "pairs" | "prompts";

export const LOSS_UNIT: Readonly<Record<TObjectiveKind, TUnit>> = {
  pretrain: "tokens",
  sft: "tokens",
  rm: "prompts",
  dpo: "pairs",
  rloo: "sequences",
  grpo: "sequences",
};

/** The count a step's loss sum is divided by: the kind's unit, except GRPO's "dapo" (every completion token). */
export function lossUnitOf(o: TObjective): TUnit {
  return o.kind === "grpo" && o.lossType === "dapo" ? "tokens" : LOSS_UNIT[o.kind];
}

/** The unit of each metric sum (TRL's metric names). */
export const METRIC_UNITS: Readonly<Record<string, TUnit>> = {
  entropy: "tokens",
  accuracy: "prompts",
  margin: "prompts",
  "rewards/chosen": "pairs",
  "rewards/rejected": "pairs",
  "rewards/accuracies": "pairs",
  "rewards/margins": "pairs",
  "logps/chosen": "pairs",
  "logps/rejected": "pairs",
  kl: "tokens",
  clip_ratio: "tokens",
};

/** TRL's config checks, for callers of the library (the CLI checks the same at parse time, naming options). */
export function checkObjective(o: TObjective): void {
  const fail = (what: string): never => {
    throw new RangeError(`${o.kind}: ${what}`);
  };
  switch (o.kind) {
    case "rm":
      if (!(o.centerCoefficient >= 0)) fail(`centerCoefficient must be >= 0, got ${o.centerCoefficient}`);
      break;
    case "dpo":
      if (!(o.beta > 0)) fail(`beta must be > 0, got ${o.beta}`);
      if (!(o.labelSmoothing >= 0 && o.labelSmoothing < 0.5))
        fail(`labelSmoothing must be in [0, 0.5), got ${o.labelSmoothing}`);
      break;
    case "rloo":
    case "grpo":
      if (!(o.temperature > 0)) fail(`temperature must be > 0, got ${o.temperature}`);
      if (o.kind === "grpo" && !(o.epsilon > 0 && o.epsilon < 1)) fail(`epsilon must be in (0, 1), got ${o.epsilon}`);
      if (o.kind === "grpo" && !(o.beta >= 0)) fail(`beta must be >= 0, got ${o.beta}`);
      if (o.kind === "grpo" && !(GRPO_LOSS_TYPES as readonly string[]).includes(o.lossType))
        fail(`lossType must be one of ${GRPO_LOSS_TYPES.join(", ")}, got ${o.lossType}`);
      if (o.kind === "grpo" && o.lossType === "dr_grpo" && !((o.maxCompletionLength ?? 0) >= 1))
        fail("loss type dr_grpo needs maxCompletionLength >= 1 (the sampling's max new tokens)");
      break;
  }
}

export interface TStepGraph {
  readonly graph: Graph;
  /** Trainable tensor names, each a graph input and a `grad.<name>` output. */
  readonly trainable: readonly string[];
  readonly metrics: readonly string[];
}

/** The objective's inputs beyond the text batch and its loss. */
function objectiveLoss(
  b: GraphBuilder,
  s: TGraphSource,
  o: TObjective,
  ids: Value,
  mask: Value,
  position: Value,
): TLossOut {
  const c = s.config;
  const out = decoder(b, c, s, s.rope, { inputIds: ids, attentionMask: mask, positionIds: position, past: null });
  if (o.kind === "rm") {
    const rewards = rewardHead(b, s, out.hidden, ids, mask, c.padTokenId); // [N]
    if (o.loss === "bradley_terry") {
      const pairs = {
        better: b.input("pair_better", "int64", ["pairs"]),
        worse: b.input("pair_worse", "int64", ["pairs"]),
        weight: b.input("pair_weight", "float32", ["pairs"]),
        margin: b.input("pair_margin", "float32", ["pairs"]),
      };
      return bradleyTerry(b, rewards, pairs, o.centerCoefficient);
    }
    const terms = {
      item: b.input("term_item", "int64", ["terms"]),
      risk: b.input("term_risk", "bool", ["terms", "batch"]),
      weight: b.input("term_weight", "float32", ["terms"]),
    };
    return plackettLuce(b, rewards, terms);
  }
  const logits = lmHead(b, c, s, out.hidden, out.embedTokens); // [B, T, V]
  if (o.kind === "pretrain") return crossEntropy(b, logits, ids, mask);
  const completion = b.input("completion_mask", "int64", ["batch", "seq"]);
  switch (o.kind) {
    case "sft":
      return crossEntropy(b, logits, ids, completion);
    case "dpo": {
      const t = tokenLogprobs(b, logits, ids, scoredMask(b, completion));
      let seq = op.reduceSum(b, t.logprobs, [1], { keepdims: 0 }); // [2P]
      // IPO compares mean token log-probabilities (TRL), so long and short completions weigh alike.
      if (o.lossType === "ipo")
        seq = op.div(
          b,
          seq,
          op.max(b, [
            op.reduceSum(b, t.weight, [1], { keepdims: 0 }),
            b.constant(fromNumbers("float32", [], [1]), "one"),
          ]),
        );
      return dpo(b, seq, b.input("ref_logps", "float32", ["batch"]), o);
    }
    case "rloo": {
      const t = tokenLogprobs(b, logits, ids, scoredMask(b, completion), o.temperature);
      const loss = rloo(b, t, b.input("advantages", "float32", ["batch"]));
      return { lossSum: loss.lossSum, metrics: { entropy: entropySum(b, t) } };
    }
    case "grpo": {
      const t = tokenLogprobs(b, logits, ids, scoredMask(b, completion), o.temperature);
      const loss = grpo(
        b,
        t,
        {
          advantages: b.input("advantages", "float32", ["batch"]),
          oldLogprobs: b.input("old_logps", "float32", ["batch", "seq"]),
          refLogprobs: b.input("ref_logps", "float32", ["batch", "seq"]),
        },
        o,
      );
      return { lossSum: loss.lossSum, metrics: { ...loss.metrics, entropy: entropySum(b, t) } };
    }
  }
}

/** Builds the training graph; `source.trainable` names the tensors to train (weights, LoRA, score head). With
 *  `gradients` false it is the evaluation graph: the same inputs, the loss and metrics only (onnxruntime runs
 *  every node of a graph whatever outputs are fetched, so evaluation needs a graph without the backward pass). */
export function buildStepGraph(
  source: TGraphSource,
  objective: TObjective,
  options: { gradients?: boolean } = {},
): TStepGraph {
  checkObjective(objective);
  const wanted = source.trainable ?? new Set<string>();
  if (wanted.size === 0) throw new Error("a training graph needs at least one trainable tensor");
  const b = new GraphBuilder(`train_${objective.kind}`);
  const created = new Map<string, Value>();
  const s: TGraphSource = { ...source, onTrainable: (name, v) => created.set(name, v) };
  const ids = b.input("input_ids", "int64", ["batch", "seq"]);
  const mask = b.input("attention_mask", "int64", ["batch", "seq"]);
  const position = b.input("position_ids", "int64", ["batch", "seq"]);
  const loss = objectiveLoss(b, s, objective, ids, mask, position);
  const missing = [...wanted].filter((n) => !created.has(n));
  if (missing.length > 0)
    throw new Error(`the ${objective.kind} graph never reads the trainable tensor(s) ${missing.join(", ")}`);
  const trainable = [...created.keys()];
  b.output(loss.lossSum, "loss_sum");
  const metrics = Object.keys(loss.metrics);
  for (const m of metrics) b.output(loss.metrics[m] as Value, `metric.${m}`);
  if (options.gradients !== false) {
    const grads = grad(
      b,
      loss.lossSum,
      trainable.map((n) => created.get(n) as Value),
    );
    trainable.forEach((n) => b.output(grads.get(created.get(n) as Value) as Value, `grad.${n}`));
  }
  return { graph: b.build(), trainable, metrics };
}
