// Rotary position embeddings, half-split (`rotate_half`) form: the cos/sin tables and the graph helpers.
// Not attention itself (attention.ts). Legend: B batch, T new tokens, N heads, D head_dim, P table rows.
//
// NOTE: the angles are computed here once, in float64 (`pos * inv_freq`, `inv_freq_i = theta^(-2i/D)`, then
// HF's rope_scaling rule for linear / dynamic / llama3), and
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

type TRopeConfig = Pick<TModelConfig, "headDim" | "ropeTheta" | "maxPositionEmbeddings" | "ropeScaling">;

/**
 * inv_freq [D/2] in float64 as Hugging Face's `modeling_rope_utils` computes it for `c.ropeScaling`
 * (`_compute_default/linear_scaling/dynamic_ntk/llama3_parameters`); `seqLen` is read by "dynamic" only.
 * Every type here has attention factor 1 (the cos/sin are not rescaled).
 */
export function ropeInvFreq(c: TRopeConfig, seqLen = 0): Float64Array {
  const D = c.headDim;
  const s = c.ropeScaling;
  let base = c.ropeTheta;
  if (s?.type === "dynamic") {
    const L = Math.max(seqLen, s.originalMaxPositionEmbeddings);
    base *= ((s.factor * L) / s.originalMaxPositionEmbeddings - (s.factor - 1)) ** (D / (D - 2));
  }
  const invFreq = Float64Array.from({ length: D / 2 }, (_, i) => 1 / base ** ((2 * i) / D));
  if (s?.type === "linear") return invFreq.map((f) => f / s.factor);
  if (s?.type !== "llama3") return invFreq;
  const old = s.originalMaxPositionEmbeddings;
  const lowFreqWavelen = old / s.lowFreqFactor;
  const highFreqWavelen = old / s.highFreqFactor;
  return invFreq.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highFreqWavelen) return f; // high frequencies: kept
    if (wavelen > lowFreqWavelen) return f / s.factor; // low frequencies: interpolated
    const smooth = (old / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
    return (1 - smooth) * (f / s.factor) + smooth * f;
  });
}

/**
 * Tables for positions 0 .. max_position_embeddings - 1. For "dynamic" scaling, row p holds the angles HF
 * uses when position p is the newest token (inv_freq at seq_len = p + 1, the original frequencies up to
 * the original context): exactly HF's token-by-token decoding, and HF's single forward pass for sequences
 * within the original context. A single forward longer than that is where HF differs (it rotates every
 * position with inv_freq(seq_len), so the table would depend on the batch), as it does between its own
 * prefill and decode.
 */
export function ropeTables(c: TRopeConfig): TRopeTables {
  if (c.headDim % 2 !== 0) throw new Error(`RoPE needs an even head_dim, got ${c.headDim}`);
  const half = c.headDim / 2;
  const rows = c.maxPositionEmbeddings;
  const fixed = ropeInvFreq(c);
  const dynamicFrom = c.ropeScaling?.type === "dynamic" ? c.ropeScaling.originalMaxPositionEmbeddings : Infinity;
  const cos = new Float32Array(rows * half);
  const sin = new Float32Array(rows * half);
  for (let p = 0; p < rows; p++) {
    const invFreq = p + 1 > dynamicFrom ? ropeInvFreq(c, p + 1) : fixed;
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
