// The online part of RLOO and GRPO: for a micro-batch of prompts, sample K completions from the current policy,
// score them with a reward model, score the sampled tokens under the policy and the reference, compute the
// advantages, and return the step graph's feeds. Not the update (trainer.ts) nor the loss (losses/).
import { tensor } from "../ir";
import { generate } from "../generate/generate";
import { CausalLM, type TLoraParams } from "../model";
import type { SessionConfig } from "../runtime";
import { batchTensors, rightPadBatch } from "./data/batch";
import type { TPromptExample } from "./data/tokenize";
import type { TFeedBatch } from "./feeds";
import type { TrainableModel } from "./trainable";

export interface TRlOptions {
  readonly kind: "rloo" | "grpo";
  readonly policy: TrainableModel;
  /** The frozen reference (the base model; with LoRA, the adapter off). */
  readonly reference: CausalLM;
  /** Scores prompt + completion rows (a reward model's `reward`). */
  readonly reward: CausalLM;
  readonly numGenerations: number;
  readonly maxNewTokens: number;
  readonly temperature: number;
  /** RLOO: the sequence-level KL coefficient folded into the reward (TRL's `beta`, 0.05). */
  readonly klCoefficient: number;
  readonly padId: number;
  readonly seed: number;
  readonly session?: SessionConfig;
  readonly tokenizerDir: string;
}

/** RLOO: R_i = s_i - beta * kl_i, A_i = R_i - mean of the group's other R_j. */
export function rlooAdvantages(
  scores: readonly number[],
  kl: readonly number[],
  K: number,
  beta: number,
): Float32Array {
  if (K < 2) throw new Error("RLOO needs at least 2 completions per prompt (the baseline leaves one out)");
  const R = scores.map((s, i) => s - beta * (kl[i] ?? 0));
  const out = new Float32Array(R.length);
  for (let g = 0; g < R.length; g += K) {
    const group = R.slice(g, g + K);
    const total = group.reduce((a, b) => a + b, 0);
    group.forEach((r, i) => (out[g + i] = r - (total - r) / (K - 1)));
  }
  return out;
}

/** GRPO: A_i = (s_i - mean_g) / (std_g + 1e-4), std unbiased as torch.std. */
export function grpoAdvantages(scores: readonly number[], K: number): Float32Array {
  if (K < 2)
    throw new Error("GRPO needs at least 2 completions per prompt (advantages are normalised within the group)");
  const out = new Float32Array(scores.length);
  for (let g = 0; g < scores.length; g += K) {
    const group = scores.slice(g, g + K);
    const mean = group.reduce((a, b) => a + b, 0) / group.length;
    const std = Math.sqrt(group.reduce((a, b) => a + (b - mean) ** 2, 0) / (group.length - 1));
    group.forEach((s, i) => (out[g + i] = (s - mean) / (std + 1e-4)));
  }
  return out;
}

/** Generation samples from the model itself: no LoRA dropout (it belongs to the training step). */
function withoutDropout(lora: TLoraParams | null): TLoraParams | null {
  return lora ? { scaling: lora.scaling, tensors: lora.tensors } : null;
}

export interface TRlBatches {
  /** The trainer's `toBatch`: prompts -> sampled completions -> feeds, counts and reward metrics. */
  readonly toBatch: (prompts: readonly TPromptExample[], at: { step: number; micro: number }) => Promise<TFeedBatch>;
  /** Releases the policy's generation sessions. */
  readonly dispose: () => Promise<void>;
}

export function rlBatches(o: TRlOptions): TRlBatches {
  // A LoRA policy generates through one model whose adapter tensors are graph inputs fed from the trained
  // buffers (sessions built once); a fully trained policy is re-merged into a fresh model per micro-batch.
  const policy = o.policy;
  const isLora = policy.spec.body === "lora" && [...policy.tensors.keys()].every((n) => n.includes(".lora_"));
  const live = isLora
    ? new CausalLM(
        o.tokenizerDir,
        policy.config,
        policy.base,
        null,
        o.session ?? {},
        undefined,
        false,
        withoutDropout(policy.graphSource().lora ?? null),
      )
    : null;
  const toBatch = async (
    prompts: readonly TPromptExample[],
    at: { step: number; micro: number },
  ): Promise<TFeedBatch> => {
    const K = o.numGenerations;
    const current = live ?? new CausalLM(o.tokenizerDir, policy.config, policy.mergedWeights(), null, o.session ?? {});
    try {
      const gen = await generate(current, {
        prompts: prompts.map((p) => p.promptIds),
        n: K,
        maxNewTokens: o.maxNewTokens,
        params: { temperature: o.temperature },
        seed: o.seed * 1_000_003 + at.step * 1009 + at.micro,
      });
      const rows = gen.candidates.map((c) => ({
        line: prompts[c.prompt]?.line ?? 0,
        promptIds: gen.promptTokenIds[c.prompt] ?? [],
        completionIds: c.tokenIds,
      }));
      const tb = rightPadBatch(rows, o.padId);
      const { batch, completionMask } = batchTensors(tb);
      const scores = Array.from(await o.reward.reward(batch));
      const old = (await current.score(batch, completionMask, o.temperature)).tokenLogprobs;
      const ref = (await o.reference.score(batch, completionMask, o.temperature)).tokenLogprobs;
      const [B, T] = tb.shape;
      const kl = Array.from({ length: B }, (_, r) => {
        let s = 0;
        for (let t = 0; t < T; t++) s += (old[r * T + t] ?? 0) - (ref[r * T + t] ?? 0);
        return s;
      });
      const advantages = o.kind === "rloo" ? rlooAdvantages(scores, kl, K, o.klCoefficient) : grpoAdvantages(scores, K);
      const tokens = rows.reduce((a, r) => a + r.completionIds.length, 0);
      const feeds = {
        input_ids: batch.inputIds,
        attention_mask: batch.attentionMask,
        position_ids: batch.positionIds,
        completion_mask: completionMask,
        advantages: tensor("float32", [B], advantages),
        ...(o.kind === "grpo"
          ? { old_logps: tensor("float32", [B, T], old), ref_logps: tensor("float32", [B, T], ref) }
          : {}),
      };
      return {
        feeds,
        counts: { tokens, sequences: B, pairs: 0, prompts: prompts.length },
        extra: rlExtraMetrics(
          o.kind,
          scores,
          kl,
          rows.map((r) => r.completionIds.length),
        ),
      };
    } finally {
      if (current !== live) await current.dispose();
    }
  };
  return { toBatch, dispose: async () => live?.dispose() };
}

/**
 * The metrics of a sampled batch computed outside the graph, as sums with their units (the loop divides by the
 * accumulated batch's count): `reward` and `completion_length` per sequence; RLOO's `kl` (the sampled policy's
 * log-ratio to the reference, `kl[i]` summed over sequence i's tokens) per completion token, as TRL 1.x logs it.
 */
export function rlExtraMetrics(
  kind: "rloo" | "grpo",
  scores: readonly number[],
  kl: readonly number[],
  completionLengths: readonly number[],
): NonNullable<TFeedBatch["extra"]> {
  const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
  return {
    reward: { sum: sum(scores), unit: "sequences" },
    completion_length: { sum: sum(completionLengths), unit: "sequences" },
    ...(kind === "rloo" ? { kl: { sum: sum(kl), unit: "tokens" } } : {}),
  };
}
