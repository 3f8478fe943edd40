// Rotary position embeddings, half-split (`rotate_half`) form: the cos/sin tables and the graph helpers.
// Not attention itself (attention.ts). Legend: B batch, T new tokens, N heads, D head_dim, P table rows.
//
// NOTE: the angles are computed here once, in float64 (`pos * inv_freq`, `inv_freq_i = theta^(-2i/D)`), and
// rounded to float32 tables of half width [P, D/2]; a graph gathers rows by `position_ids` (the op set has
// no Sin/Cos, and a gather of B*T rows costs nothing beside the matmuls). HF computes the same angles in
// float32; float64 angles are the exact ones, which the golden reference also uses.
import { tensor, type GraphBuilder, type Tensor, type Value } from "../ir";
import * as op from "../ops";
import type { TModelConfig } from "./config";

export interface TRopeTables {
  /** cos(pos * inv_freq_i), [P, D/2]. */
  readonly cos: Tensor<"float32">;
  /** sin(pos * inv_freq_i), [P, D/2]. */
  readonly sin: Tensor<"float32">;
}

/** Tables for positions 0 .. max_position_embeddings - 1. */
export function ropeTables(c: Pick<TModelConfig, "headDim" | "ropeTheta" | "maxPositionEmbeddings">): TRopeTables {
  if (c.headDim % 2 !== 0) throw new Error(`RoPE needs an even head_dim, got ${c.headDim}`);
  const half = c.headDim / 2;
  const rows = c.maxPositionEmbeddings;
  const invFreq = Float64Array.from({ length: half }, (_, i) => 1 / c.ropeTheta ** ((2 * i) / c.headDim));
  const cos = new Float32Array(rows * half);
  const sin = new Float32Array(rows * half);
  for (let p = 0; p < rows; p++) {
    for (let i = 0; i < half; i++) {
      const angle = p * (invFreq[i] ?? 0);
      cos[p * half + i] = Math.cos(angle);
      sin[p * half + i] = Math.sin(angle);
    }
  }
  return { cos: tensor("float32", [rows, half], cos), sin: tensor("float32", [rows, half], sin) };
}

export interface TRopeFactors {
  /** [cos, cos] per position, [B, T, 1, D]. */
  readonly cos: Value;
  /** [-sin, sin] per position, [B, T, 1, D]: rotate_half(x) * sin == swap_halves(x) * this. */
  readonly sinSigned: Value;
}

/** Gathers the tables at `positionIds` [B, T] once per graph; every layer reuses the factors. */
export function ropeFactors(b: GraphBuilder, positionIds: Value, tables: TRopeTables): TRopeFactors {
  return b.scope("rotary_emb", () => {
    const cosTable = b.constant(tables.cos, "cos_table"); // [P, D/2]
    const sinTable = b.constant(tables.sin, "sin_table"); // [P, D/2]
    const cosHalf = op.gather(b, cosTable, positionIds); // [B, T, D/2]
    const sinHalf = op.gather(b, sinTable, positionIds); // [B, T, D/2]
    const cos = op.concat(b, [cosHalf, cosHalf], { axis: -1 }); // [B, T, D]
    const sinSigned = op.concat(b, [op.neg(b, sinHalf), sinHalf], { axis: -1 }); // [B, T, D]
    return {
      cos: op.unsqueeze(b, cos, [2], { name: "cos" }),
      sinSigned: op.unsqueeze(b, sinSigned, [2], { name: "sin_signed" }),
    };
  });
}

/** x * cos + rotate_half(x) * sin with rotate_half(x) = [-x2, x1]; x is [B, T, N, D]. */
export function applyRope(b: GraphBuilder, x: Value, f: TRopeFactors, headDim: number): Value {
  const half = headDim / 2;
  const [x1, x2] = op.split(b, x, [half, half], { axis: -1 }) as [Value, Value]; // [B, T, N, D/2] each
  const swapped = op.concat(b, [x2, x1], { axis: -1 }); // [B, T, N, D]
  return op.add(b, op.mul(b, x, f.cos), op.mul(b, swapped, f.sinSigned)); // [B, T, N, D]
}
