// Next-token cross-entropy: pre-training (every real token) and SFT (completion tokens only). Not the masks'
// construction from data (train/data).
import type { GraphBuilder, Value } from "../../ir";
import * as op from "../../ops";
import { sumAll } from "./common";
import type { TLossOut } from "./types";
import { entropySum, scoredMask, tokenLogprobs } from "./token-logprobs";

/** loss_sum = -sum of scored token log-probs; count = scored tokens. `mask`: attention_mask (pre-training) or
 *  completion_mask (SFT), int64 [B, T]. */
export function crossEntropy(b: GraphBuilder, logits: Value, ids: Value, mask: Value): TLossOut {
  return b.scope("cross_entropy", () => {
    const t = tokenLogprobs(b, logits, ids, scoredMask(b, mask));
    return { lossSum: op.neg(b, sumAll(b, t.logprobs)), metrics: { entropy: entropySum(b, t) } };
  });
}
