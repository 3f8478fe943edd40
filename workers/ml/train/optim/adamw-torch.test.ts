// Replays fixtures/adamw-torch.json (torch.optim.AdamW + clip_grad_norm_ + HF cosine warm-up, 5 steps) through this package.
import { describe, expect, it } from "vitest";
import { at } from "../../ir/at";
import { expectClose } from "../../testing/expect-close";
import fixture from "./fixtures/adamw-torch.json";
import { AdamW } from "./adamw";
import { clipGradNorm } from "./clip";
import { createSchedule } from "./schedule";

const f32 = { atol: 1e-7, rtol: 1e-6 };

describe("AdamW against PyTorch", () => {
  it("has the expected header", () => {
    expect(fixture.magic).toBe("prefloop-adamw-torch");
    expect(fixture.version).toBe(1);
    expect(fixture.steps).toHaveLength(5);
  });

  it("reproduces lrs, norms, clipped gradients, parameters and moments step by step", () => {
    const c = fixture.config;
    const weight = Float32Array.from(fixture.initial.weight);
    const bias = Float32Array.from(fixture.initial.bias);
    const opt = new AdamW(
      [
        { name: "weight", data: weight, decay: fixture.decay.weight, shape: fixture.shapes.weight },
        { name: "bias", data: bias, decay: fixture.decay.bias, shape: fixture.shapes.bias },
      ],
      { lr: c.baseLr, betas: [at(c.betas, 0), at(c.betas, 1)], eps: c.eps, weightDecay: c.weightDecay },
    );
    const schedule = createSchedule({
      kind: "cosine",
      baseLr: c.baseLr,
      totalSteps: c.totalSteps,
      warmupSteps: c.warmupSteps,
    });
    fixture.steps.forEach((s, k) => {
      const g = { weight: Float32Array.from(s.grads.weight), bias: Float32Array.from(s.grads.bias) };
      const lr = schedule.lrAt(k);
      expectClose([lr], [s.lr], { atol: 0, rtol: 1e-15 }, `lr of step ${k}`);
      const norm = clipGradNorm([g.weight, g.bias], c.maxGradNorm);
      expectClose([norm], [s.norm], f32, `norm of step ${k}`);
      expectClose(g.weight, s.clippedGrads.weight, f32, `clipped weight grad of step ${k}`);
      expectClose(g.bias, s.clippedGrads.bias, f32, `clipped bias grad of step ${k}`);
      opt.step(new Map(Object.entries(g)), lr);
      expectClose(weight, s.params.weight, f32, `weight after step ${k}`);
      expectClose(bias, s.params.bias, f32, `bias after step ${k}`);
    });
    const state = opt.exportState();
    for (const name of ["weight", "bias"] as const) {
      expectClose(state.moments.get(name)?.m ?? [], fixture.final.m[name], f32, `m of ${name}`);
      expectClose(state.moments.get(name)?.v ?? [], fixture.final.v[name], f32, `v of ${name}`);
    }
  });
});
