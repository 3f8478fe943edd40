// RL losses on sampled completions: RLOO (REINFORCE with a leave-one-out baseline) and GRPO (clipped ratio,
// group-normalised advantages, optional k3 KL). Not the advantages, which are computed from rewards outside
// the graph (../rl.ts): no gradient flows through them.
import type { GraphBuilder, Value } from "../../ir";
import * as op from "../../ops";
import { asFloat, scalar, sumAll } from "./common";
import type { TTokenLogprobs } from "./token-logprobs";
import type { TLossOut } from "./types";

/** RLOO: -sum_i A_i * log p(completion_i); `advantages` [B]. */
export function rloo(b: GraphBuilder, t: TTokenLogprobs, advantages: Value): TLossOut {
  return b.scope("rloo", () => {
    const seq = op.reduceSum(b, t.logprobs, [1], { keepdims: 0 }); // [B]
    return { lossSum: op.neg(b, sumAll(b, op.mul(b, advantages, seq))), metrics: {} };
  });
}

/**
 * TRL's GRPO loss aggregations (`GRPOConfig.loss_type`; TRL 1.x defaults to "dapo"). Over the accumulated batch:
 * "grpo": the mean over sequences of each one's token mean; "dapo": the mean over every completion token;
 * "bnpo": each micro-batch's token mean, averaged over micro-batches (TRL divides each by the accumulation steps);
 * "dr_grpo": the token sum over (sequences * max_completion_length).
 */
export const GRPO_LOSS_TYPES = ["dapo", "grpo", "bnpo", "dr_grpo"] as const;
export type TGrpoLossType = (typeof GRPO_LOSS_TYPES)[number];

export interface TGrpoConfig {
  readonly epsilon: number;
  readonly beta: number;
  readonly lossType: TGrpoLossType;
  /** dr_grpo's constant: the sampling's max_new_tokens (TRL's max_completion_length). */
  readonly maxCompletionLength?: number;
}

export interface TGrpoInputs {
  readonly advantages: Value; // [B]
  readonly oldLogprobs: Value; // [B, T], the sampling policy's token log-probs (0 where not scored)
  readonly refLogprobs: Value; // [B, T], the reference's
}

/** GRPO: per token -min(ratio A, clip(ratio) A) + beta k3, aggregated as `c.lossType` says (the sum here; the
 *  loop divides by `lossUnitOf`'s count: sequences, or tokens for dapo). Metrics (sums over scored tokens): kl
 *  (k3), clip_ratio. */
export function grpo(b: GraphBuilder, t: TTokenLogprobs, inputs: TGrpoInputs, c: TGrpoConfig): TLossOut {
  return b.scope("grpo", () => {
    const A = op.unsqueeze(b, inputs.advantages, [1]); // [B, 1]
    const ratio = op.exp(b, op.sub(b, t.logprobs, inputs.oldLogprobs)); // [B, T]
    const clipped = op.max(b, [op.min(b, [ratio, scalar(b, 1 + c.epsilon)]), scalar(b, 1 - c.epsilon)]);
    let perToken = op.neg(b, op.min(b, [op.mul(b, ratio, A), op.mul(b, clipped, A)])); // [B, T]
    const delta = op.sub(b, inputs.refLogprobs, t.logprobs);
    const k3 = op.sub(b, op.sub(b, op.exp(b, delta), delta), scalar(b, 1)); // [B, T]
    if (c.beta !== 0) perToken = op.add(b, perToken, op.mul(b, scalar(b, c.beta), k3));
    const tokenSums = op.reduceSum(b, op.mul(b, perToken, t.weight), [1], { keepdims: 0 }); // [B]
    const isClipped = op.less(b, op.mul(b, clipped, A), op.mul(b, ratio, A)); // the clipped branch is the min
    return {
      lossSum: grpoLossSum(b, tokenSums, t.weight, c),
      metrics: {
        kl: sumAll(b, op.mul(b, k3, t.weight)),
        clip_ratio: sumAll(b, op.mul(b, asFloat(b, isClipped), t.weight)),
      },
    };
  });
}

/** The micro-batch's loss sum for each aggregation; `tokenSums` [B] are the per-sequence sums of token losses. */
function grpoLossSum(b: GraphBuilder, tokenSums: Value, weight: Value, c: TGrpoConfig): Value {
  switch (c.lossType) {
    case "grpo": {
      const counts = op.max(b, [op.reduceSum(b, weight, [1], { keepdims: 0 }), scalar(b, 1)]); // [B]
      return sumAll(b, op.div(b, tokenSums, counts)); // / sequences
    }
    case "dapo":
      return sumAll(b, tokenSums); // / tokens
    case "bnpo": {
      // B * (this micro-batch's token mean): divided by the accumulated sequences, that is the mean over
      // micro-batches of their token means when micro-batches have equal sizes (TRL's loss / accumulation steps).
      const rows = op.max(b, [op.reduceSum(b, weight, [1], { keepdims: 0 }), scalar(b, 1)]); // [B], >= 1
      const B = sumAll(b, op.div(b, rows, rows)); // the batch size as a float (no Shape node in the loss)
      const tokens = op.max(b, [sumAll(b, weight), scalar(b, 1)]);
      return op.mul(b, B, op.div(b, sumAll(b, tokenSums), tokens)); // / sequences
    }
    case "dr_grpo": {
      const L = c.maxCompletionLength;
      if (L === undefined || !(L >= 1)) throw new RangeError("grpo: loss type dr_grpo needs maxCompletionLength >= 1");
      return op.div(b, sumAll(b, tokenSums), scalar(b, L)); // / sequences
    }
  }
}
