// Small numeric building blocks the losses share (stable log-sigmoid, relu, scalar constants, masked sums).
// Not a loss itself.
import { fromNumbers, type GraphBuilder, type Value } from "../../ir";
import * as op from "../../ops";

/** A float32 scalar constant. */
export function scalar(b: GraphBuilder, v: number, name?: string): Value {
  return b.constant(fromNumbers("float32", [], [v]), name);
}

/** log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)): finite for any finite x (log(sigmoid) underflows to -inf
 *  below about -88 in float32). At x = 0 the Min and |x| subgradients split ties equally, giving 1/2 = sigmoid(0). */
export function logSigmoid(b: GraphBuilder, x: Value): Value {
  return b.scope("log_sigmoid", () => {
    const abs = op.max(b, [x, op.neg(b, x)]);
    const soft = op.log(b, op.add(b, scalar(b, 1), op.exp(b, op.neg(b, abs))));
    return op.sub(b, op.min(b, [x, scalar(b, 0)]), soft);
  });
}

export function relu(b: GraphBuilder, x: Value): Value {
  return op.max(b, [x, scalar(b, 0)]);
}

/** Sum of every element, as a scalar []. */
export function sumAll(b: GraphBuilder, x: Value, name?: string): Value {
  return op.reduceSum(b, x, null, { keepdims: 0 }, name === undefined ? undefined : { name });
}

/** 1.0 where `mask` (bool) holds, else 0.0. */
export function asFloat(b: GraphBuilder, mask: Value): Value {
  return op.cast(b, mask, "float32");
}
