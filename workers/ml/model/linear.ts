// Linear layers over Hugging Face [out, in] weights, several projections of one input fused into one MatMul.
// Not the weights' loading (weights.ts).
//
// NOTE: y = x @ concat(W_1 .. W_n)^T (+ concat(b_1 .. b_n)). The Concat and Transpose read only initializers,
// so onnxruntime's constant folding turns them into one pre-transposed [in, sum(out)] matrix when the session
// is created: the time goes to one large MatMul per group instead of n small ones.
import { fromNumbers, type GraphBuilder, type Value } from "../ir";
import * as op from "../ops";
import { param, type TParams } from "./weights";

/** The LoRA update of the projections `names` (all adapted, or null): scaling * concat_i(B_i (A_i x)), with the
 *  A_i stacked so that x is read once: [..., in] -> [..., n*r] -> n slices of r -> [..., sum(out)]. */
function loraDelta(b: GraphBuilder, params: TParams, x: Value, names: readonly string[], name: string): Value | null {
  const lora = params.lora;
  if (!lora) return null;
  const adapted = names.filter((n) => lora.tensors.has(b.scoped(`${n}.lora_A.weight`)));
  if (adapted.length === 0) return null;
  if (adapted.length !== names.length) throw new Error(`LoRA adapts ${adapted.join(", ")} but not all of the fused projections ${names.join(", ")} in ${b.scoped("")}`);
  const as = names.map((n) => param(b, params, `${n}.lora_A.weight`)); // [r, in]
  const bs = names.map((n) => param(b, params, `${n}.lora_B.weight`)); // [out_i, r]
  return b.scope(`${name}_lora`, () => {
    const a = as.length === 1 ? (as[0] as Value) : op.concat(b, as, { axis: 0 }); // [n*r, in]
    const u = op.matMul(b, x, op.transpose(b, a, { perm: [1, 0] }), { name: "down" }); // [..., n*r]
    const rank = (as[0] as Value).type.shape[0];
    if (typeof rank !== "number") throw new Error("LoRA rank must be static");
    const parts = as.length === 1 ? [u] : op.split(b, u, as.map(() => rank), { axis: -1 }); // [..., r] each
    const ups = parts.map((p, i) => op.matMul(b, p, op.transpose(b, bs[i] as Value, { perm: [1, 0] }), { name: `up_${i}` })); // [..., out_i]
    const delta = ups.length === 1 ? (ups[0] as Value) : op.concat(b, ups, { axis: -1 }); // [..., sum(out)]
    return op.mul(b, delta, b.constant(fromNumbers("float32", [], [lora.scaling]), "scaling"));
  });
}

/** x [..., in] through the projections `names` (state-dict module names in the current scope) -> [..., sum(out)]. */
export function fusedLinear(b: GraphBuilder, params: TParams, x: Value, names: readonly string[], hasBias: boolean, name: string): Value {
  const ws = names.map((n) => param(b, params, `${n}.weight`)); // [out_i, in]
  const bs = hasBias ? names.map((n) => param(b, params, `${n}.bias`)) : []; // [out_i]
  const delta = loraDelta(b, params, x, names, name); // [..., out] or null
  return b.scope(name, () => {
    const w = ws.length === 1 ? (ws[0] as Value) : op.concat(b, ws, { axis: 0 }, { name: "weight" }); // [out, in]
    const wT = op.transpose(b, w, { perm: [1, 0] }, { name: "weight_t" }); // [in, out]
    const y = op.matMul(b, x, wT); // [..., out]
    const biased = hasBias ? op.add(b, y, bs.length === 1 ? (bs[0] as Value) : op.concat(b, bs, { axis: 0 }, { name: "bias" })) : y;
    return delta ? op.add(b, biased, delta, { name: "plus_lora" }) : biased;
  });
}
