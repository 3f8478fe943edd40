// RMSNorm as graph nodes: weight * x / sqrt(mean(x^2) + eps) over the last axis; not its weights.
// NOTE: float32 throughout, written as Pow -> ReduceMean -> Add -> Sqrt -> Div -> Mul, the pattern
// onnxruntime's SimplifiedLayerNormFusion rewrites into one SimplifiedLayerNormalization kernel.
import { fromNumbers, type GraphBuilder, type Value } from "../ir";
import * as op from "../ops";

/** RMSNorm of `x` [..., C] with `weight` [C] (or any shape broadcasting against x's trailing dims); nodes
 *  under scope `name` (the state-dict module name). */
export function rmsNorm(b: GraphBuilder, x: Value, weight: Value, eps: number, name: string): Value {
  return b.scope(name, () => {
    const two = b.constant(fromNumbers("float32", [], [2]), "two");
    const epsilon = b.constant(fromNumbers("float32", [], [eps]), "eps");
    const meanSquare = op.reduceMean(b, op.pow(b, x, two), [-1], { keepdims: 1 }); // [..., 1]
    const rms = op.sqrt(b, op.add(b, meanSquare, epsilon)); // [..., 1]
    return op.mul(b, op.div(b, x, rms), weight); // [..., C]
  });
}
