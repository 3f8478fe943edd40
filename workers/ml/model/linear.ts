// Linear layers over Hugging Face [out, in] weights, several projections of one input fused into one MatMul.
// Not the weights' loading (weights.ts).
//
// NOTE: y = x @ concat(W_1 .. W_n)^T (+ concat(b_1 .. b_n)). The Concat and Transpose read only initializers,
// so onnxruntime's constant folding turns them into one pre-transposed [in, sum(out)] matrix when the session
// is created: the time goes to one large MatMul per group instead of n small ones.
import { fromNumbers, type GraphBuilder, type Value } from "../ir";
import * as op from "../ops";
import { quantizedLinear } from "./quantized-linear";
import { param, type TParams } from "./weights";

/** The graph input `training_mode` (bool []): LoRA dropout is active when it is true (training) and off in
 *  evaluation. One per graph. */
export const TRAINING_MODE_INPUT = "training_mode";
const trainingModes = new WeakMap<GraphBuilder, Value>();
function trainingModeInput(b: GraphBuilder): Value {
  let v = trainingModes.get(b);
  if (!v) {
    v = b.input(TRAINING_MODE_INPUT, "bool", []);
    trainingModes.set(b, v);
  }
  return v;
}

/** A per-module seed for onnxruntime's Dropout generator (FNV-1a of the module path, mixed with the run's seed). */
function dropoutSeed(seed: number, modulePath: string): number {
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < modulePath.length; i++) h = Math.imul(h ^ modulePath.charCodeAt(i), 0x01000193) >>> 0;
  return h & 0x7fffffff;
}

/**
 * The LoRA updates of the adapted projections among `names`: scaling * B_i (A_i x) for each adapted i, with the
 * A_i stacked so that x is read once: [..., in] -> [..., n*r] -> n slices of r -> [..., out_i]. Null entries
 * are projections without an adapter; null overall when none has one.
 */
function loraDeltas(
  b: GraphBuilder,
  params: TParams,
  x: Value,
  names: readonly string[],
  name: string,
): (Value | null)[] | null {
  const lora = params.lora;
  if (!lora) return null;
  const adapted = names.filter((n) => lora.tensors.has(b.scoped(`${n}.lora_A.weight`)));
  if (adapted.length === 0) return null;
  const as = adapted.map((n) => param(b, params, `${n}.lora_A.weight`)); // [r, in]
  const bs = adapted.map((n) => param(b, params, `${n}.lora_B.weight`)); // [out_i, r]
  const p = lora.dropout ?? 0;
  if (p > 0) {
    // PEFT drops each module's input independently, so the A_i cannot share one product with x.
    return b.scope(`${name}_lora`, () => {
      const scaling = b.constant(fromNumbers("float32", [], [lora.scaling]), "scaling");
      const ups = adapted.map((n, i) => {
        const seed = dropoutSeed(lora.dropoutSeed ?? 0, b.scoped(n));
        const dropped = op.dropout(
          b,
          x,
          { ratio: p, trainingMode: trainingModeInput(b) },
          { seed },
          { name: `${n}_dropout` },
        ).output;
        const down = op.matMul(b, dropped, op.transpose(b, as[i] as Value, { perm: [1, 0] }), { name: `${n}_down` }); // [..., r]
        return op.mul(
          b,
          op.matMul(b, down, op.transpose(b, bs[i] as Value, { perm: [1, 0] }), { name: `${n}_up` }),
          scaling,
        ); // [..., out_i]
      });
      return names.map((n) => {
        const i = adapted.indexOf(n);
        return i < 0 ? null : (ups[i] as Value);
      });
    });
  }
  return b.scope(`${name}_lora`, () => {
    const a = as.length === 1 ? (as[0] as Value) : op.concat(b, as, { axis: 0 }); // [n*r, in]
    const u = op.matMul(b, x, op.transpose(b, a, { perm: [1, 0] }), { name: "down" }); // [..., n*r]
    const rank = (as[0] as Value).type.shape[0];
    if (typeof rank !== "number") throw new Error("LoRA rank must be static");
    const parts =
      as.length === 1
        ? [u]
        : op.split(
            b,
            u,
            as.map(() => rank),
            { axis: -1 },
          ); // [..., r] each
    const scaling = b.constant(fromNumbers("float32", [], [lora.scaling]), "scaling");
    const ups = parts.map((p, i) =>
      op.mul(b, op.matMul(b, p, op.transpose(b, bs[i] as Value, { perm: [1, 0] }), { name: `up_${i}` }), scaling),
    ); // [..., out_i]
    return names.map((n) => {
      const i = adapted.indexOf(n);
      return i < 0 ? null : (ups[i] as Value);
    });
  });
}

/**
 * x [..., in] @ W^T for weights that are graph inputs (trained): one Gemm per weight with transB = 1 on x
 * flattened to [N, in], so neither the forward nor the backward pass transposes or concatenates a weight at
 * run time (Gemm's gradient gives dW in W's [out, in] layout). Frozen weights take the folded path instead.
 */
export function trainedLinear(b: GraphBuilder, x: Value, ws: readonly Value[], bs: readonly Value[]): Value {
  const inF = (ws[0] as Value).type.shape[1];
  if (typeof inF !== "number") throw new Error("a linear layer's input size must be static");
  const outs = ws.map((w) => w.type.shape[0] as number);
  const lead = op.shape(b, x, { end: -1 }); // [rank - 1]: the leading dims
  const x2 = op.reshape(b, x, [-1, inF]); // [N, in]
  const ys = ws.map((w, i) => op.gemm(b, x2, w, bs[i] ?? null, { transB: 1 })); // [N, out_i]
  const y2 = ys.length === 1 ? (ys[0] as Value) : op.concat(b, ys, { axis: 1 }); // [N, out]
  return op.reshape(b, y2, op.concat(b, [lead, op.int64s(b, [outs.reduce((a, o) => a + o, 0)])], { axis: 0 })); // [..., out]
}

/** x [..., in] through the projections `names` (state-dict module names in the current scope) -> [..., sum(out)]. */
export function fusedLinear(
  b: GraphBuilder,
  params: TParams,
  x: Value,
  names: readonly string[],
  hasBias: boolean,
  name: string,
): Value {
  const weightNames = names.map((n) => b.scoped(`${n}.weight`));
  const quantize =
    params.quantize && !weightNames.some((n) => params.trainable?.has(n) === true) ? params.quantize : null;
  const sizes = weightNames.map((n) => params.weights.get(n)?.shape[0] ?? 0); // out_i
  const ws = quantize ? [] : names.map((n) => param(b, params, `${n}.weight`)); // [out_i, in]
  const bs = hasBias ? names.map((n) => param(b, params, `${n}.bias`)) : []; // [out_i]
  const deltas = loraDeltas(b, params, x, names, name); // per projection [..., out_i] or null
  const isTrained = ws.some((w) => w.kind === "input");
  return b.scope(name, () => {
    let biased: Value;
    if (quantize) biased = quantizedLinear(b, quantize, params.weights, x, weightNames, bs);
    else if (isTrained) biased = trainedLinear(b, x, ws, bs);
    else {
      const w = ws.length === 1 ? (ws[0] as Value) : op.concat(b, ws, { axis: 0 }, { name: "weight" }); // [out, in]
      const wT = op.transpose(b, w, { perm: [1, 0] }, { name: "weight_t" }); // [in, out]
      const y = op.matMul(b, x, wT); // [..., out]
      biased = hasBias
        ? op.add(b, y, bs.length === 1 ? (bs[0] as Value) : op.concat(b, bs, { axis: 0 }, { name: "bias" }))
        : y;
    }
    if (!deltas) return biased;
    if (deltas.every((d) => d !== null)) {
      const delta = deltas.length === 1 ? (deltas[0] as Value) : op.concat(b, deltas, { axis: -1 }); // [..., out]
      return op.add(b, biased, delta, { name: "plus_lora" });
    }
    // Some projections of the group are not adapted (e.g. q and v only): add to the adapted slices alone.
    const parts = op.split(b, biased, sizes, { axis: -1 }); // [..., out_i]
    return op.concat(
      b,
      parts.map((p, i) => (deltas[i] ? op.add(b, p, deltas[i]) : p)),
      { axis: -1 },
      { name: "plus_lora" },
    );
  });
}
