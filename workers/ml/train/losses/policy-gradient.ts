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

export interface TGrpoConfig {
  readonly epsilon: number;
  readonly beta: number;
}

export interface TGrpoInputs {
  readonly advantages: Value; // [B]
  readonly oldLogprobs: Value; // [B, T], the sampling policy's token log-probs (0 where not scored)
  readonly refLogprobs: Value; // [B, T], the reference's
}

/** GRPO: per token -min(ratio A, clip(ratio) A) + beta k3, mean over each completion's tokens, summed over
 *  completions. Metrics (sums over scored tokens): kl (k3), clip_ratio. */
export function grpo(b: GraphBuilder, t: TTokenLogprobs, inputs: TGrpoInputs, c: TGrpoConfig): TLossOut {
  return b.scope("grpo", () => {
    const A = op.unsqueeze(b, inputs.advantages, [1]); // [B, 1]
    const ratio = op.exp(b, op.sub(b, t.logprobs, inputs.oldLogprobs)); // [B, T]
    const clipped = op.max(b, [op.min(b, [ratio, scalar(b, 1 + c.epsilon)]), scalar(b, 1 - c.epsilon)]);
    let perToken = op.neg(b, op.min(b, [op.mul(b, ratio, A), op.mul(b, clipped, A)])); // [B, T]
    const delta = op.sub(b, inputs.refLogprobs, t.logprobs);
    const k3 = op.sub(b, op.sub(b, op.exp(b, delta), delta), scalar(b, 1)); // [B, T]
    if (c.beta !== 0) perToken = op.add(b, perToken, op.mul(b, scalar(b, c.beta), k3));
    const counts = op.max(b, [op.reduceSum(b, t.weight, [1], { keepdims: 0 }), scalar(b, 1)]); // [B]
    const perSequence = op.div(b, op.reduceSum(b, op.mul(b, perToken, t.weight), [1], { keepdims: 0 }), counts); // [B]
    const isClipped = op.less(b, op.mul(b, clipped, A), op.mul(b, ratio, A)); // the clipped branch is the min
    return {
      lossSum: sumAll(b, perSequence),
      metrics: {
        kl: sumAll(b, op.mul(b, k3, t.weight)),
        clip_ratio: sumAll(b, op.mul(b, asFloat(b, isClipped), t.weight)),
      },
    };
  });
}
