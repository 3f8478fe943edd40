// DPO and its variants (TRL's DPOTrainer loss_type sigmoid, ipo, hinge, robust) on sequence log-probabilities.
// Not the reference model: its log-probabilities are an input, scored once before the step.
import type { GraphBuilder, Value } from "../../ir";
import * as op from "../../ops";
import { asFloat, logSigmoid, relu, scalar, sumAll } from "./common";
import type { TLossOut } from "./types";

export const DPO_LOSS_TYPES = ["sigmoid", "ipo", "hinge", "robust"] as const;
export type TDpoLossType = (typeof DPO_LOSS_TYPES)[number];

export interface TDpoConfig {
  readonly lossType: TDpoLossType;
  readonly beta: number;
  readonly labelSmoothing: number;
}

/**
 * `policy` and `reference`: sequence log-probs [2P], the P chosen rows first, then the P rejected rows (for
 * IPO, token means). Returns sum over pairs of the loss, and metric sums over pairs.
 */
export function dpo(b: GraphBuilder, policy: Value, reference: Value, c: TDpoConfig): TLossOut {
  return b.scope("dpo", () => {
    const [pc, pr] = op
      .split(b, op.reshape(b, policy, [2, -1]), null, { axis: 0, num_outputs: 2 })
      .map((v) => op.squeeze(b, v, [0])) as [Value, Value]; // [P]
    const [rc, rr] = op
      .split(b, op.reshape(b, reference, [2, -1]), null, { axis: 0, num_outputs: 2 })
      .map((v) => op.squeeze(b, v, [0])) as [Value, Value];
    const logits = op.sub(b, op.sub(b, pc, pr), op.sub(b, rc, rr)); // [P]
    const scaled = c.lossType === "ipo" ? logits : op.mul(b, scalar(b, c.beta), logits); // IPO reads the logits unscaled
    const ls = c.labelSmoothing;
    let losses: Value;
    switch (c.lossType) {
      case "sigmoid": {
        const pos = op.mul(b, op.neg(b, logSigmoid(b, scaled)), scalar(b, 1 - ls));
        losses = ls === 0 ? pos : op.sub(b, pos, op.mul(b, logSigmoid(b, op.neg(b, scaled)), scalar(b, ls)));
        break;
      }
      case "robust": {
        const pos = op.mul(b, op.neg(b, logSigmoid(b, scaled)), scalar(b, 1 - ls));
        const both = ls === 0 ? pos : op.add(b, pos, op.mul(b, logSigmoid(b, op.neg(b, scaled)), scalar(b, ls)));
        losses = op.div(b, both, scalar(b, 1 - 2 * ls));
        break;
      }
      case "hinge":
        losses = relu(b, op.sub(b, scalar(b, 1), scaled));
        break;
      case "ipo": {
        const d = op.sub(b, logits, scalar(b, 1 / (2 * c.beta)));
        losses = op.mul(b, d, d);
        break;
      }
    }
    const chosenReward = op.mul(b, scalar(b, c.beta), op.sub(b, pc, rc));
    const rejectedReward = op.mul(b, scalar(b, c.beta), op.sub(b, pr, rr));
    return {
      lossSum: sumAll(b, losses),
      metrics: {
        "rewards/chosen": sumAll(b, chosenReward),
        "rewards/rejected": sumAll(b, rejectedReward),
        "rewards/accuracies": sumAll(b, asFloat(b, op.greater(b, chosenReward, rejectedReward))),
        "rewards/margins": sumAll(b, op.sub(b, chosenReward, rejectedReward)),
        "logps/chosen": sumAll(b, pc),
        "logps/rejected": sumAll(b, pr),
      },
    };
  });
}
