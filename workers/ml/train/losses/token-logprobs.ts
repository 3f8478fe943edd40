// Per-token log-probabilities of a batch under its own logits (position t - 1 predicts token t), zero where not
// scored, and the token entropy as a metric. Not a loss.
//
// NOTE: the logits are never sliced: the targets are rolled left by one (`next[t] = ids[t + 1]`), gathered
// from the full log-softmax, and the picked values rolled back right, so no [B, T-1, V] copy is made and the
// GatherElements(LogSoftmax) pair keeps autodiff's fused softmax-cross-entropy rule.
import type { GraphBuilder, Value } from "../../ir";
import * as op from "../../ops";
import { asFloat, scalar, sumAll } from "./common";

const TO_END = 2 ** 31 - 1;

/** ids [B, T] rolled by `shift` along time (1: left, -1: right). */
function roll(b: GraphBuilder, x: Value, left: boolean): Value {
  const [a, c] = left
    ? [
        op.slice(b, x, { starts: [1], ends: [TO_END], axes: [1] }),
        op.slice(b, x, { starts: [0], ends: [1], axes: [1] }),
      ]
    : [
        op.slice(b, x, { starts: [-1], ends: [TO_END], axes: [1] }),
        op.slice(b, x, { starts: [0], ends: [-1], axes: [1] }),
      ];
  return op.concat(b, [a, c], { axis: 1 });
}

/** scored [B, T] bool: `mask` (int64, 1 = candidate) and t > 0 (nothing predicts the first token). */
export function scoredMask(b: GraphBuilder, mask: Value): Value {
  const position = op.range(b, 0, op.gather(b, op.shape(b, mask), op.int64Scalar(b, 1)), 1); // [T]
  return op.and(b, op.cast(b, mask, "bool"), op.greater(b, op.unsqueeze(b, position, [0]), op.int64Scalar(b, 0)));
}

export interface TTokenLogprobs {
  /** [B, T]: log p(ids[t] | ids[< t]) where scored, else 0. */
  readonly logprobs: Value;
  /** [B, T] float: 1 where scored. */
  readonly weight: Value;
  /** log-softmax of the (tempered) logits, [B, T, V]: what metrics such as entropy read. */
  readonly logSoftmax: Value;
}

/** logits [B, T, V], ids [B, T] int64, scored [B, T] bool, temperature (a number, or a float scalar input). */
export function tokenLogprobs(
  b: GraphBuilder,
  logits: Value,
  ids: Value,
  scored: Value,
  temperature: number | Value = 1,
): TTokenLogprobs {
  return b.scope("token_logprobs", () => {
    const tempered =
      typeof temperature === "number" && temperature === 1
        ? logits
        : op.div(b, logits, typeof temperature === "number" ? scalar(b, temperature) : temperature);
    const logSoftmax = op.logSoftmax(b, tempered, { axis: -1 }); // [B, T, V]
    const picked = op.squeeze(
      b,
      op.gatherElements(b, logSoftmax, op.unsqueeze(b, roll(b, ids, true), [2]), { axis: 2 }),
      [2],
    ); // [B, T]
    const logprobs = op.where(b, scored, roll(b, picked, false), scalar(b, 0)); // [B, T]
    let weight: Value | null = null; // built on first use: a graph may not need it, and unused nodes are errors
    return {
      logprobs,
      logSoftmax,
      get weight(): Value {
        weight ??= b.scope("token_logprobs", () => asFloat(b, scored));
        return weight;
      },
    };
  });
}

/** Sum over scored tokens of the entropy -sum_v p log p of the distribution that predicted them (a metric). */
export function entropySum(b: GraphBuilder, t: TTokenLogprobs): Value {
  return b.scope("entropy", () => {
    const perPosition = op.neg(
      b,
      op.reduceSum(b, op.mul(b, op.exp(b, t.logSoftmax), t.logSoftmax), [2], { keepdims: 0 }),
    ); // [B, T], position t predicts t + 1
    return sumAll(b, op.mul(b, roll(b, perPosition, false), t.weight));
  });
}
