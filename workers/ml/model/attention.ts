// Grouped-query self-attention of one decoder layer, with its KV cache; the variants come from config fields.
// Legend: B batch, T new tokens, P past tokens, S = P + T, H hidden, NH query heads, KV key/value heads,
// G = NH / KV queries per key/value head, D head_dim.
//
// GQA without repeating keys: the G query heads of a group are laid out as rows (t*G + r) of one matrix per
// group, so each group runs one [T*G, D] @ [D, S] product against its own keys (HF's repeat_kv gives the same
// numbers while copying the cache G times).
import type { GraphBuilder, Value } from "../ir";
import { fromNumbers } from "../ir";
import * as op from "../ops";
import type { TModelConfig } from "./config";
import { fusedLinear } from "./linear";
import { rmsNorm } from "./rms-norm";
import { applyRope, type TRopeFactors } from "./rope";
import { param, type TParams } from "./weights";

/** One layer's keys and values, [B, KV, S, D] (Optimum's past_key_values / present layout). */
export interface TKeyValue {
  readonly key: Value;
  readonly value: Value;
}

export interface TAttentionContext {
  readonly rope: TRopeFactors;
  /** Additive bias [B, 1, T*G, S] (mask.ts). */
  readonly bias: Value;
}

/** q_norm and k_norm (Qwen3) as one [NH + KV, D] weight, so q and k are normalised by one node. */
function qkNormWeight(b: GraphBuilder, c: TModelConfig, params: TParams): Value {
  const q = op.expand(b, param(b, params, "q_norm.weight"), [c.numAttentionHeads, 1]); // [NH, D]
  const k = op.expand(b, param(b, params, "k_norm.weight"), [c.numKeyValueHeads, 1]); // [KV, D]
  return op.concat(b, [q, k], { axis: 0 }, { name: "qk_norm.weight" }); // [NH + KV, D]
}

/** Attention over x [B, T, H] (already normalised); `past` null means no cache (P = 0). */
export function selfAttention(
  b: GraphBuilder,
  c: TModelConfig,
  params: TParams,
  x: Value,
  ctx: TAttentionContext,
  past: TKeyValue | null,
): { out: Value; present: TKeyValue } {
  const [NH, KV, D] = [c.numAttentionHeads, c.numKeyValueHeads, c.headDim];
  const G = NH / KV;
  const qkv = fusedLinear(b, params, x, ["q_proj", "k_proj", "v_proj"], c.hasQkvBias, "qkv_proj"); // [B, T, (NH+2KV)*D]
  const heads = op.reshape(b, qkv, [0, 0, NH + 2 * KV, D]); // [B, T, NH+2KV, D]
  const [qkRaw, v] = op.split(b, heads, [NH + KV, KV], { axis: 2 }) as [Value, Value]; // [B, T, NH+KV, D], [B, T, KV, D]
  const qkNormed = c.hasQkNorm ? rmsNorm(b, qkRaw, qkNormWeight(b, c, params), c.rmsNormEps, "qk_norm") : qkRaw; // over D, before RoPE
  const qk = applyRope(b, qkNormed, ctx.rope, D); // [B, T, NH+KV, D]
  const [q, k] = op.split(b, qk, [NH, KV], { axis: 2 }) as [Value, Value]; // [B, T, NH, D], [B, T, KV, D]

  const kNew = op.transpose(b, k, { perm: [0, 2, 1, 3] }); // [B, KV, T, D]
  const vNew = op.transpose(b, v, { perm: [0, 2, 1, 3] }); // [B, KV, T, D]
  const key = past ? op.concat(b, [past.key, kNew], { axis: 2 }) : kNew; // [B, KV, S, D]
  const value = past ? op.concat(b, [past.value, vNew], { axis: 2 }) : vNew; // [B, KV, S, D]

  const qGrouped = op.reshape(b, op.transpose(b, op.reshape(b, q, [0, 0, KV, G, D]), { perm: [0, 2, 1, 3, 4] }), [
    0,
    KV,
    -1,
    D,
  ]); // [B, KV, T*G, D]
  const scale = b.constant(fromNumbers("float32", [], [1 / Math.sqrt(D)]), "scale");
  const scores = op.mul(b, op.matMul(b, qGrouped, op.transpose(b, key, { perm: [0, 1, 3, 2] })), scale); // [B, KV, T*G, S]
  const probs = op.softmax(b, op.add(b, scores, ctx.bias), { axis: -1 }); // [B, KV, T*G, S]
  const mixed = op.matMul(b, probs, value); // [B, KV, T*G, D]
  const merged = op.reshape(b, op.transpose(b, op.reshape(b, mixed, [0, KV, -1, G, D]), { perm: [0, 2, 1, 3, 4] }), [
    0,
    0,
    NH * D,
  ]); // [B, T, NH*D]
  const out = fusedLinear(b, params, merged, ["o_proj"], c.hasOBias, "o_proj"); // [B, T, H]
  return { out, present: { key, value } };
}
