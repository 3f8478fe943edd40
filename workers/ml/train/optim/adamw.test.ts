// AdamW against a float64 transcription of torch.optim.AdamW's update, its input checks and the no-decay names.
import { describe, expect, it } from "vitest";
import { at } from "../../ir/at";
import { expectClose } from "../../testing/expect-close";
import { AdamW, isNoDecayParameter, type AdamWParam } from "./adamw";

/** torch's _single_tensor_adamw in float64: decay, moments, bias corrections, eps after sqrt(v) / sqrt(bc2). */
function referenceSteps(
  p0: number[],
  grads: number[][],
  lrs: number[],
  cfg: { b1: number; b2: number; eps: number; wd: number },
): number[][] {
  const p = [...p0];
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  const history: number[][] = [];
  grads.forEach((g, k) => {
    const t = k + 1;
    const lr = at(lrs, k);
    for (let i = 0; i < p.length; i++) {
      const gi = at(g, i);
      p[i] = at(p, i) * (1 - lr * cfg.wd);
      m[i] = cfg.b1 * at(m, i) + (1 - cfg.b1) * gi;
      v[i] = cfg.b2 * at(v, i) + (1 - cfg.b2) * gi * gi;
      const denom = Math.sqrt(at(v, i)) / Math.sqrt(1 - cfg.b2 ** t) + cfg.eps;
      p[i] = at(p, i) - (lr / (1 - cfg.b1 ** t)) * (at(m, i) / denom);
    }
    history.push([...p]);
  });
  return history;
}

const p0 = [0.5, -1.25, 2, 0.0625, -0.3];
const grads = [
  [0.1, -0.2, 0.05, 0, 1.5],
  [-0.3, 0.25, 0.05, 1e-4, -0.7],
  [0.02, -0.01, 0.6, -2, 0.3],
  [0.4, 0.4, -0.4, 0.4, -0.4],
];
const lrs = [1e-3, 2e-3, 5e-4, 1e-2];
const tol = { atol: 1e-7, rtol: 1e-6 };

function run(decay: boolean, weightDecay: number): Float32Array[] {
  const data = Float32Array.from(p0);
  const opt = new AdamW([{ name: "w", data, decay }], { weightDecay, betas: [0.9, 0.95], eps: 1e-6 });
  return grads.map((g, k) => {
    opt.step(new Map([["w", Float32Array.from(g)]]), at(lrs, k));
    return Float32Array.from(data);
  });
}

describe("AdamW", () => {
  const cfg = { b1: 0.9, b2: 0.95, eps: 1e-6 };
  // The reference starts from the float32-rounded parameters and gradients the optimiser sees.
  const p32 = [...Float32Array.from(p0)];
  const g32 = grads.map((g) => [...Float32Array.from(g)]);

  it("matches the float64 reference without weight decay", () => {
    const expected = referenceSteps(p32, g32, lrs, { ...cfg, wd: 0 });
    run(true, 0).forEach((p, k) => expectClose(p, at(expected, k), tol, `step ${k + 1}`));
  });

  it("applies decoupled weight decay to decay=true parameters", () => {
    const expected = referenceSteps(p32, g32, lrs, { ...cfg, wd: 0.1 });
    const noDecay = referenceSteps(p32, g32, lrs, { ...cfg, wd: 0 });
    run(true, 0.1).forEach((p, k) => expectClose(p, at(expected, k), tol, `step ${k + 1}`));
    expect(() => expectClose(at(run(true, 0.1), 3), at(noDecay, 3), tol)).toThrow(/not close/);
  });

  it("skips weight decay where decay=false", () => {
    const expected = referenceSteps(p32, g32, lrs, { ...cfg, wd: 0 });
    run(false, 0.1).forEach((p, k) => expectClose(p, at(expected, k), tol, `step ${k + 1}`));
  });

  it("counts steps and keeps m and v as float32 moments", () => {
    const data = new Float32Array([1, 2]);
    const opt = new AdamW([{ name: "w", data, decay: true }]);
    opt.step(new Map([["w", new Float32Array([0.5, -1])]]), 1e-3);
    expect(opt.stepCount).toBe(1);
    const s = opt.exportState().moments.get("w");
    expectClose(s?.m ?? [], [0.05, -0.1], { atol: 0, rtol: 1e-7 });
    expectClose(s?.v ?? [], [0.00025, 0.001], { atol: 0, rtol: 1e-7 });
    // First step moves each element by about lr, against the gradient's sign (|m_hat / sqrt(v_hat)| = 1).
    expectClose(data, [1 - 1e-3, 2 + 1e-3], { atol: 1e-7, rtol: 0 });
  });

  it("names the parameter for a missing, misshapen or unknown gradient", () => {
    const params: AdamWParam[] = [
      { name: "a", data: new Float32Array(2), decay: true },
      { name: "b", data: new Float32Array(3), decay: false },
    ];
    const opt = new AdamW(params);
    const a = new Float32Array(2);
    expect(() => opt.step(new Map([["a", a]]), 1e-3)).toThrow(/no gradient for parameter 'b'/);
    expect(() =>
      opt.step(
        new Map([
          ["a", a],
          ["b", new Float32Array(2)],
        ]),
        1e-3,
      ),
    ).toThrow(/gradient for 'b' has 2 values, parameter has 3/);
    expect(() =>
      opt.step(
        new Map([
          ["a", a],
          ["b", new Float32Array(3)],
          ["c", a],
        ]),
        1e-3,
      ),
    ).toThrow(/unknown parameters: 'c'/);
    expect(() =>
      opt.step(
        new Map([
          ["a", a],
          ["b", new Float32Array(3)],
        ]),
        NaN,
      ),
    ).toThrow(/invalid learning rate/);
    expect(opt.stepCount).toBe(0);
  });

  it("rejects bad configs and parameter lists", () => {
    const p = [{ name: "a", data: new Float32Array(1), decay: true }];
    expect(() => new AdamW([])).toThrow(/empty parameter list/);
    expect(() => new AdamW([...p, ...p])).toThrow(/'a' is listed twice/);
    expect(() => new AdamW([{ ...at(p, 0), shape: [2] }])).toThrow(/'a' has 1 values for shape \[2\]/);
    expect(() => new AdamW(p, { betas: [1, 0.999] })).toThrow(/beta parameter at index 0/);
    expect(() => new AdamW(p, { eps: -1 })).toThrow(/epsilon/);
    expect(() => new AdamW(p, { weightDecay: -0.1 })).toThrow(/weight decay/);
    expect(new AdamW(p).config).toEqual({ lr: 5e-5, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0 });
  });
});

describe("isNoDecayParameter", () => {
  it("excludes biases and normalisation weights as HF Trainer does", () => {
    for (const name of [
      "model.layers.0.self_attn.q_proj.bias",
      "model.layers.3.input_layernorm.weight",
      "model.layers.3.post_attention_layernorm.weight",
      "model.norm.weight",
      "norm.weight",
      "model.layers.0.self_attn.q_norm.weight",
      "model.layers.0.self_attn.k_norm.weight",
      "transformer.h.0.ln_1.bias",
      "bert.encoder.layer.0.output.LayerNorm.weight",
    ])
      expect(isNoDecayParameter(name), name).toBe(true);
  });

  it("keeps weights, embeddings, LoRA adapters and the reward head in decay", () => {
    for (const name of [
      "model.embed_tokens.weight",
      "model.layers.0.self_attn.q_proj.weight",
      "model.layers.0.mlp.down_proj.weight",
      "lm_head.weight",
      "score.weight",
      "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight",
      "base_model.model.model.layers.0.self_attn.v_proj.lora_B.weight",
      "model.normalizer.weight",
    ])
      expect(isNoDecayParameter(name), name).toBe(false);
  });
});
