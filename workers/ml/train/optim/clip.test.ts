// Global-norm clipping: the norm before clipping is returned, gradients scale only above maxNorm, HF's <= 0 rule.
import { describe, expect, it } from "vitest";
import { expectClose } from "../../testing/expect-close";
import { clipGradNorm, globalGradNorm } from "./clip";

describe("globalGradNorm", () => {
  it("is the L2 norm over all tensors, accumulated in float64", () => {
    expect(globalGradNorm([new Float32Array([3]), new Float32Array([0, 4])])).toBe(5);
    expect(globalGradNorm([])).toBe(0);
    // 1e6 values of 1e-4: a float32 running sum puts the norm ~2e-3 off; float64 stays within ~1e-12.
    expectClose(
      [globalGradNorm([new Float32Array(1_000_003).fill(1e-4)])],
      [Math.fround(1e-4) * Math.sqrt(1_000_003)],
      { atol: 0, rtol: 1e-10 },
    );
    // Squares of large float32 values do not overflow.
    expect(globalGradNorm([new Float32Array([3e38, 3e38])])).toBeCloseTo(Math.fround(3e38) * Math.SQRT2, -30);
  });
});

describe("clipGradNorm", () => {
  it("scales every gradient by maxNorm / (norm + 1e-6) when the norm is above maxNorm", () => {
    const a = new Float32Array([3, 0]);
    const b = new Float32Array([4]);
    expect(clipGradNorm([a, b], 1)).toBe(5);
    const coef = 1 / (5 + 1e-6);
    expectClose(a, [3 * coef, 0], { atol: 0, rtol: 1e-7 });
    expectClose(b, [4 * coef], { atol: 0, rtol: 1e-7 });
    expectClose([globalGradNorm([a, b])], [1], { atol: 0, rtol: 1e-6 });
  });

  it("leaves gradients alone at or below maxNorm and still returns the norm", () => {
    const a = new Float32Array([0.3, 0.4]);
    expectClose([clipGradNorm([a], 1)], [0.5], { atol: 0, rtol: 1e-7 });
    expect(a).toEqual(new Float32Array([0.3, 0.4]));
    const b = new Float32Array([0.6, 0.8]); // norm 1 (to float32 rounding): clip_coef = 1 / (1 + 1e-6) < 1 clips, as torch
    clipGradNorm([b], 1);
    expect(b[0]).toBeLessThan(Math.fround(0.6));
  });

  it("does not clip when maxNorm <= 0 or Infinity, but returns the norm", () => {
    for (const maxNorm of [0, -1, Infinity]) {
      const a = new Float32Array([30, 40]);
      expect(clipGradNorm([a], maxNorm)).toBe(50);
      expect(a).toEqual(new Float32Array([30, 40]));
    }
    expect(() => clipGradNorm([new Float32Array(1)], NaN)).toThrow(/maxNorm is NaN/);
  });

  it("returns a non-finite norm without scaling anything", () => {
    const a = new Float32Array([1, NaN]);
    const b = new Float32Array([5]);
    expect(clipGradNorm([a, b], 1)).toBeNaN();
    expect(b[0]).toBe(5);
    const c = new Float32Array([Infinity, 2]);
    expect(clipGradNorm([c], 1)).toBe(Infinity);
    expect(c[1]).toBe(2);
  });

  it("accepts a one-shot iterable (a Map's values)", () => {
    const grads = new Map([["x", new Float32Array([6, 8])]]);
    expect(clipGradNorm(grads.values(), 5)).toBe(10);
    expectClose(grads.get("x") ?? [], [6 * (5 / (10 + 1e-6)), 8 * (5 / (10 + 1e-6))], { atol: 0, rtol: 1e-7 });
  });
});
