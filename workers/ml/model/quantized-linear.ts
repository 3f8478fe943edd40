// Linear layers over block-quantized weights: onnxruntime's `com.microsoft.MatMulNBits` (a contrib op of its
// CPU build; dequantizes block by block inside the product, so no float32 copy of the weight exists).
// Not the packing (quantize.ts), not the float32 path (linear.ts, the reference).
import { tensor, type GraphBuilder, type Value } from "../ir";
import * as op from "../ops";
import { quantizeMatrix, type TQuantizedMatrix, type TQuantizeSource } from "./quantize";
import type { TModelWeights } from "./weights";

export const CONTRIB_DOMAIN = "com.microsoft";

/** x [..., K] @ dequant(q)^T -> [..., N]: one MatMulNBits node over the packed initializers. */
export function matMulNBits(
  b: GraphBuilder,
  x: Value,
  q: TQuantizedMatrix,
  accuracyLevel: number,
  name = "MatMulNBits",
): Value {
  const shape = x.type.shape;
  if (x.type.dtype !== "float32") throw new Error(`MatMulNBits: A must be float32, got ${x.type.dtype}`);
  if (shape[shape.length - 1] !== q.k)
    throw new Error(`MatMulNBits: A's last dim ${String(shape[shape.length - 1])} is not K = ${q.k}`);
  const blob = (q.blockSize * q.bits) / 8;
  const packed = b.constant(tensor("uint8", [q.n, q.nBlocks, blob], q.packed), `${name}.weight_q`);
  const scales = b.constant(tensor("float32", [q.n * q.nBlocks], q.scales), `${name}.weight_scales`);
  const node = b.addNode({
    opType: "MatMulNBits",
    domain: CONTRIB_DOMAIN,
    inputs: [x, packed, scales],
    outputs: [{ type: { dtype: "float32", shape: [...shape.slice(0, -1), q.n] } }],
    attributes: {
      K: { kind: "int", value: q.k },
      N: { kind: "int", value: q.n },
      bits: { kind: "int", value: q.bits },
      block_size: { kind: "int", value: q.blockSize },
      accuracy_level: { kind: "int", value: accuracyLevel },
    },
    name,
  });
  const y = node.outputs[0];
  if (!y) throw new Error("unreachable: MatMulNBits has one output");
  return y;
}

/** The row-stacked [sum(out), in] matrix of `names` (full state-dict names), quantized once per source. */
function packedFor(source: TQuantizeSource, weights: TModelWeights, names: readonly string[]): TQuantizedMatrix {
  const key = names.join("|");
  const hit = source.cache.get(key);
  if (hit) return hit;
  const ts = names.map((n) => {
    const t = weights.get(n);
    if (!t) throw new Error(`model weights have no '${n}'`);
    return t;
  });
  const k = ts[0]?.shape[1] ?? 0;
  const rows = ts.reduce((s, t) => s + (t.shape[0] ?? 0), 0);
  const stacked = ts.length === 1 ? (ts[0]?.data as Float32Array) : new Float32Array(rows * k);
  if (ts.length > 1) {
    let off = 0;
    for (const t of ts) {
      stacked.set(t.data, off);
      off += t.data.length;
    }
  }
  const q = quantizeMatrix(stacked, rows, k, source.scheme.bits, source.scheme.blockSize);
  source.cache.set(key, q);
  return q;
}

/**
 * x [..., in] through the frozen projections `weightNames` (full state-dict names), quantized: one
 * MatMulNBits over the row-stacked weights (+ the stacked biases) -> [..., sum(out)].
 */
export function quantizedLinear(
  b: GraphBuilder,
  source: TQuantizeSource,
  weights: TModelWeights,
  x: Value,
  weightNames: readonly string[],
  biases: readonly Value[],
): Value {
  const q = packedFor(source, weights, weightNames);
  const y = matMulNBits(b, x, q, source.scheme.accuracyLevel);
  if (biases.length === 0) return y;
  return op.add(b, y, biases.length === 1 ? (biases[0] as Value) : op.concat(b, biases, { axis: 0 }, { name: "bias" }));
}

/** hidden [B, T', H] -> logits [B, T', V] through the quantized LM head `w` ([V, H], tied or not). */
export function quantizedLmHead(
  b: GraphBuilder,
  source: TQuantizeSource,
  weights: TModelWeights,
  hidden: Value,
  weightName: string,
): Value {
  const q = packedFor(source, weights, [weightName]);
  return matMulNBits(b, hidden, q, source.scheme.accuracyLevel, "lm_head");
}
