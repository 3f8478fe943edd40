// A tiny one-layer decoder built from the ops in this test (not model/): embedding, RMSNorm, RoPE, causal
// attention, SwiGLU, tied head, mean cross-entropy. Every parameter's gradient passes central differences
// (float64 reference) and matches onnxruntime in float32. Legend: B batch, T seq, C 8, NH 2, HS 4, F 12, V 7.
import { describe, expect, it } from "vitest";
import { fromNumbers, type GraphBuilder, type Value } from "../ir";
import * as op from "../ops";
import { checkGradCase } from "./testing/grad-check";
import type { FloatType, GradCase, GradInput } from "./testing/grad-case";

const [C, NH, HS, F, V] = [8, 2, 4, 12, 7];

function rmsNorm(b: GraphBuilder, x: Value, weight: Value, dt: FloatType): Value {
  const ms = op.reduceMean(b, op.pow(b, x, b.constant(fromNumbers(dt, [], [2]))), [-1]); // [B, T, 1]
  const rms = op.sqrt(b, op.add(b, ms, b.constant(fromNumbers(dt, [], [1e-5])))); // [B, T, 1]
  return op.mul(b, op.div(b, x, rms), weight); // [B, T, C]
}

/** x [B, T, NH, HS] rotated by the angles of its positions (rotate_half form). */
function rope(b: GraphBuilder, x: Value, positions: Value, dt: FloatType): Value {
  const angles = Array.from(
    { length: 16 * (HS / 2) },
    (_, i) => Math.floor(i / (HS / 2)) * 10000 ** (-(2 * (i % (HS / 2))) / HS),
  );
  const table = (f: (a: number) => number) => b.constant(fromNumbers(dt, [16, HS / 2], angles.map(f)));
  const [cosH, sinH] = [op.gather(b, table(Math.cos), positions), op.gather(b, table(Math.sin), positions)]; // [T, HS/2]
  const cos = op.unsqueeze(b, op.concat(b, [cosH, cosH], { axis: -1 }), [1]); // [T, 1, HS]
  const sin = op.unsqueeze(b, op.concat(b, [op.neg(b, sinH), sinH], { axis: -1 }), [1]); // [T, 1, HS]
  const [x1, x2] = op.split(b, x, [HS / 2, HS / 2], { axis: -1 }) as [Value, Value];
  return op.add(b, op.mul(b, x, cos), op.mul(b, op.concat(b, [x2, x1], { axis: -1 }), sin)); // [B, T, NH, HS]
}

/** x @ W^T for a Hugging Face [out, in] weight. */
const linear = (b: GraphBuilder, x: Value, w: Value) => op.matMul(b, x, op.transpose(b, w, { perm: [1, 0] }));

function attention(b: GraphBuilder, x: Value, v: (n: string) => Value, positions: Value, dt: FloatType): Value {
  const heads = (w: string) => op.reshape(b, linear(b, x, v(`self_attn.${w}.weight`)), [0, 0, NH, HS]); // [B, T, NH, HS]
  const q = op.transpose(b, rope(b, heads("q_proj"), positions, dt), { perm: [0, 2, 1, 3] }); // [B, NH, T, HS]
  const k = op.transpose(b, rope(b, heads("k_proj"), positions, dt), { perm: [0, 2, 3, 1] }); // [B, NH, HS, T]
  const val = op.transpose(b, heads("v_proj"), { perm: [0, 2, 1, 3] }); // [B, NH, T, HS]
  const t = op.shape(b, positions); // [1] = T
  const lowest = fromNumbers(dt, [1], [-3.4028234663852886e38]);
  const causal = op.trilu(b, op.constantOfShape(b, op.concat(b, [t, t], { axis: 0 }), { value: lowest }), 1); // [T, T]
  const scores = op.add(b, op.mul(b, op.matMul(b, q, k), b.constant(fromNumbers(dt, [], [1 / Math.sqrt(HS)]))), causal); // [B, NH, T, T]
  const mixed = op.matMul(b, op.softmax(b, scores), val); // [B, NH, T, HS]
  return linear(
    b,
    op.reshape(b, op.transpose(b, mixed, { perm: [0, 2, 1, 3] }), [0, 0, C]),
    v("self_attn.o_proj.weight"),
  ); // [B, T, C]
}

function mlp(b: GraphBuilder, x: Value, v: (n: string) => Value): Value {
  const gate = linear(b, x, v("mlp.gate_proj.weight")); // [B, T, F]
  const silu = op.mul(b, gate, op.sigmoid(b, gate));
  return linear(b, op.mul(b, silu, linear(b, x, v("mlp.up_proj.weight"))), v("mlp.down_proj.weight")); // [B, T, C]
}

const param = (shape: number[], std = 0.4): GradInput => ({ shape, kind: "parameter", std });
const ones = (n: number): GradInput => ({
  shape: [n],
  kind: "parameter",
  values: Array.from({ length: n }, (_, i) => 1 + 0.05 * i),
});

const BLOCK: GradCase = {
  name: "one decoder layer: embedding, RMSNorm, RoPE, causal attention, SwiGLU, tied head, cross-entropy",
  inputs: {
    input_ids: { shape: [2, 3], dims: ["batch", "seq"], dtype: "int64", values: [1, 5, 5, 0, 6, 2] },
    targets: { shape: [2, 3], dims: ["batch", "seq"], dtype: "int64", values: [5, 5, 3, 6, 2, 2] },
    "embed_tokens.weight": param([V, C], 1),
    "input_layernorm.weight": ones(C),
    "self_attn.q_proj.weight": param([C, C]),
    "self_attn.k_proj.weight": param([C, C]),
    "self_attn.v_proj.weight": param([C, C]),
    "self_attn.o_proj.weight": param([C, C]),
    "post_attention_layernorm.weight": ones(C),
    "mlp.gate_proj.weight": param([F, C]),
    "mlp.up_proj.weight": param([F, C]),
    "mlp.down_proj.weight": param([C, F]),
    "norm.weight": ones(C),
  },
  forward: (b, v, dt) => {
    const embed = v("embed_tokens.weight");
    const seq = op.gather(b, op.shape(b, v("input_ids")), op.int64Scalar(b, 1)); // T
    const positions = op.range(b, 0, seq, 1); // [T]
    const x0 = op.gather(b, embed, v("input_ids")); // [B, T, C]
    const x1 = op.add(b, x0, attention(b, rmsNorm(b, x0, v("input_layernorm.weight"), dt), v, positions, dt));
    const x2 = op.add(b, x1, mlp(b, rmsNorm(b, x1, v("post_attention_layernorm.weight"), dt), v));
    const logits = linear(b, rmsNorm(b, x2, v("norm.weight"), dt), embed); // [B, T, V], tied to the embedding
    const logp = op.gatherElements(b, op.logSoftmax(b, logits), op.unsqueeze(b, v("targets"), [-1]), { axis: -1 }); // [B, T, 1]
    return op.neg(b, op.reduceMean(b, logp, null, { keepdims: 0 }));
  },
  tol32: { atol: 1e-5, rtol: 1e-3 },
  // NOTE: 8 seeded elements per tensor plus 2 random directions over all of its elements keep the test near
  // two seconds (the float64 interpreter is slow); every element of every tensor is still compared with
  // onnxruntime's float32 backward.
  fdSample: 8,
  fdDirections: 2,
};

describe("a one-layer decoder block", () => {
  it("passes finite differences for every parameter and matches onnxruntime", async () => {
    const report = await checkGradCase(BLOCK);
    expect(report.totalNodes).toBeGreaterThan(report.forwardNodes);
  });
});
