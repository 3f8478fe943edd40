// Linear layers over Hugging Face [out, in] weights, several projections of one input fused into one MatMul.
// Not the weights' loading (weights.ts).
//
// NOTE: y = x @ concat(W_1 .. W_n)^T (+ concat(b_1 .. b_n)). The Concat and Transpose read only initializers,
// so onnxruntime's constant folding turns them into one pre-transposed [in, sum(out)] matrix when the session
// is created: the time goes to one large MatMul per group instead of n small ones.
import type { GraphBuilder, Value } from "../ir";
import * as op from "../ops";
import { param, type TModelWeights } from "./weights";

/** x [..., in] through the projections `names` (state-dict module names in the current scope) -> [..., sum(out)]. */
export function fusedLinear(b: GraphBuilder, weights: TModelWeights, x: Value, names: readonly string[], hasBias: boolean, name: string): Value {
  const ws = names.map((n) => param(b, weights, `${n}.weight`)); // [out_i, in]
  const bs = hasBias ? names.map((n) => param(b, weights, `${n}.bias`)) : []; // [out_i]
  return b.scope(name, () => {
    const w = ws.length === 1 ? (ws[0] as Value) : op.concat(b, ws, { axis: 0 }, { name: "weight" }); // [out, in]
    const wT = op.transpose(b, w, { perm: [1, 0] }, { name: "weight_t" }); // [in, out]
    const y = op.matMul(b, x, wT); // [..., out]
    if (!hasBias) return y;
    const bias = bs.length === 1 ? (bs[0] as Value) : op.concat(b, bs, { axis: 0 }, { name: "bias" }); // [out]
    return op.add(b, y, bias);
  });
}
