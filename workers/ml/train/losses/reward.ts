// Reward-model losses over per-candidate rewards: Bradley-Terry over all pairs of different tiers (InstructGPT,
// TRL's RewardTrainer for two candidates) and Plackett-Luce over a ranking with ties. Not the pair and term
// indices, which come from the data (../feeds.ts, ../data/batch.ts).
import { fromNumbers, type GraphBuilder, type Value } from "../../ir";
import * as op from "../../ops";
import { asFloat, logSigmoid, scalar, sumAll } from "./common";
import type { TLossOut } from "./types";

export interface TPairInputs {
  readonly better: Value; // int64 [P]: row of the better candidate
  readonly worse: Value; // int64 [P]
  readonly weight: Value; // float [P]: 1 / (pairs of this pair's prompt)
  readonly margin: Value; // float [P]
}

/** sum_p w_p * (-logsigmoid(r_better - r_worse - margin_p) + c * (r_better + r_worse)^2); metrics per prompt. */
export function bradleyTerry(b: GraphBuilder, rewards: Value, pairs: TPairInputs, centerCoefficient: number): TLossOut {
  return b.scope("bradley_terry", () => {
    const ri = op.gather(b, rewards, pairs.better); // [P]
    const rj = op.gather(b, rewards, pairs.worse); // [P]
    const diff = op.sub(b, ri, rj);
    const nll = op.neg(b, logSigmoid(b, op.sub(b, diff, pairs.margin))); // [P]
    let perPair = nll;
    if (centerCoefficient !== 0) {
      const sum = op.add(b, ri, rj);
      perPair = op.add(b, nll, op.mul(b, scalar(b, centerCoefficient), op.mul(b, sum, sum)));
    }
    return {
      lossSum: sumAll(b, op.mul(b, perPair, pairs.weight)),
      metrics: {
        accuracy: sumAll(b, op.mul(b, asFloat(b, op.greater(b, ri, rj)), pairs.weight)),
        margin: sumAll(b, op.mul(b, diff, pairs.weight)),
      },
    };
  });
}

export interface TRankingTerms {
  readonly item: Value; // int64 [Q]: the candidate placed by this term
  readonly risk: Value; // bool [Q, N]: candidates still unplaced (tier >= the item's tier), the item included
  readonly weight: Value; // float [Q]: 1 / (terms of this term's prompt)
}

/** Plackett-Luce: sum_q w_q * (logsumexp_{j in risk_q} r_j - r_item_q); metric `accuracy` is the share of terms
 *  whose item has the top reward of its risk set. */
export function plackettLuce(b: GraphBuilder, rewards: Value, terms: TRankingTerms): TLossOut {
  return b.scope("plackett_luce", () => {
    const lowest = b.constant(fromNumbers("float32", [], [-3.4028234663852886e38]), "lowest");
    const masked = op.where(b, terms.risk, op.unsqueeze(b, rewards, [0]), lowest); // [Q, N]
    const top = op.reduceMax(b, masked, [1], { keepdims: 1 }); // [Q, 1]
    const lse = op.add(b, op.log(b, op.reduceSum(b, op.exp(b, op.sub(b, masked, top)), [1], { keepdims: 1 })), top); // [Q, 1]
    const picked = op.gather(b, rewards, terms.item); // [Q]
    const nll = op.sub(b, op.squeeze(b, lse, [1]), picked); // [Q]
    const isTop = op.equal(b, picked, op.squeeze(b, top, [1]));
    return {
      lossSum: sumAll(b, op.mul(b, nll, terms.weight)),
      metrics: { accuracy: sumAll(b, op.mul(b, asFloat(b, isTop), terms.weight)) },
    };
  });
}
