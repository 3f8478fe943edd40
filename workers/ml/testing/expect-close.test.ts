// The tolerance helper must pass what is close and fail, with a useful message, on everything else.
import { describe, expect, it } from "vitest";
import { fromNumbers } from "../ir";
import { nd } from "../reference";
import { expectClose } from "./expect-close";
import { Rng } from "./prng";

const tol = { atol: 1e-6, rtol: 1e-4 };

describe("expectClose", () => {
  it("passes within atol + rtol * |expected|", () => {
    expect(() => expectClose([1, 100, 0], [1 + 1e-5, 100.009, 5e-7], tol)).not.toThrow();
    expect(() =>
      expectClose(fromNumbers("float32", [2], [1, 2]), nd("float64", [2], [1, 2]), { atol: 0, rtol: 0 }),
    ).not.toThrow();
  });

  it("fails beyond the tolerance, reporting the worst index, both values and the largest difference", () => {
    const run = () =>
      expectClose(nd("float32", [2, 2], [1, 2, 3, 4.5]), nd("float64", [2, 2], [1, 2.001, 3, 4]), tol, "logits");
    expect(run).toThrow(/logits: not close: 2 of 4 elements fail/);
    expect(run).toThrow(/worst at index 3 \[1, 1\]: actual 4.5, expected 4; largest finite difference 0.5/);
  });

  it("uses the expected value for the relative part (not symmetric)", () => {
    expect(() => expectClose([0], [1e-3], { atol: 0, rtol: 0.5 })).toThrow();
    expect(() => expectClose([1e-3], [0], { atol: 0, rtol: 0.5 })).toThrow();
  });

  it("matches non-finite values only in kind", () => {
    expect(() => expectClose([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity], tol)).not.toThrow();
    expect(() => expectClose([NaN], [1], tol)).toThrow(/non-finite mismatch.*actual NaN, expected 1/);
    expect(() => expectClose([1], [NaN], tol)).toThrow(/non-finite mismatch/);
    expect(() => expectClose([NaN], [Infinity], tol)).toThrow(/non-finite mismatch/);
    expect(() => expectClose([Infinity], [-Infinity], tol)).toThrow(/non-finite mismatch/);
    expect(() => expectClose([Infinity], [3e38], { atol: Infinity, rtol: 0 })).toThrow(/non-finite mismatch/);
    expect(() => expectClose([1e300], [Infinity], { atol: 1e308, rtol: 1 })).toThrow(/non-finite mismatch/);
  });

  it("fails on shape or length mismatches", () => {
    expect(() =>
      expectClose(nd("float32", [2, 3], [1, 2, 3, 4, 5, 6]), nd("float32", [3, 2], [1, 2, 3, 4, 5, 6]), tol),
    ).toThrow(/shape \[2, 3\] differs from expected \[3, 2\]/);
    expect(() => expectClose([1, 2], [1], tol)).toThrow(/2 elements, expected 1/);
  });
});

describe("Rng", () => {
  it("repeats for a seed and differs across seeds", () => {
    const a = new Rng(7).normals(5);
    expect(new Rng(7).normals(5)).toEqual(a);
    expect(new Rng(8).normals(5)).not.toEqual(a);
  });

  it("draws roughly uniform and normal values in range", () => {
    const r = new Rng(1);
    const u = Array.from({ length: 20000 }, () => r.next());
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(Math.abs(u.reduce((s, v) => s + v, 0) / u.length - 0.5)).toBeLessThan(0.01);
    const n = r.normals(20000);
    const mean = n.reduce((s, v) => s + v, 0) / n.length;
    const variance = n.reduce((s, v) => s + (v - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const ints = Array.from({ length: 1000 }, () => r.int(-2, 3));
    expect(new Set(ints)).toEqual(new Set([-2, -1, 0, 1, 2]));
  });
});
