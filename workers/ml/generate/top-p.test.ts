// Tests of top-p by HF's rule: boundaries that an off-by-one gets wrong, ties, and a naive full-sort reference.
import { describe, expect, it } from "vitest";
import { createRng } from "./rng";
import { logitsOf, softmax, survivors } from "./test-helpers";
import { applyTopP, TOP_P_MAX_VOCAB } from "./top-p";

const keptBy = (probs: readonly number[], topP: number): number[] => {
  const row = logitsOf(probs);
  applyTopP(row, topP);
  return survivors(row);
};

describe("top-p boundaries (remove ascending cumulative <= 1 - top_p, keep the most likely)", () => {
  it("[0.5, 0.3, 0.2]: top_p 0.8 keeps {0.5, 0.3}; 0.5 keeps {0.5}; just above either keeps one more", () => {
    // 0.8: cumulative 0.2 <= 0.2 is removed (a `<` would keep it); 0.5 <= 0.2 is not.
    expect(keptBy([0.5, 0.3, 0.2], 0.8)).toEqual([0, 1]);
    // 0.5: cumulative 0.2 and 0.5 are both <= 0.5 (a `<` would keep 0.3).
    expect(keptBy([0.5, 0.3, 0.2], 0.5)).toEqual([0]);
    expect(keptBy([0.5, 0.3, 0.2], 0.81)).toEqual([0, 1, 2]);
    expect(keptBy([0.5, 0.3, 0.2], 0.51)).toEqual([0, 1]);
    expect(keptBy([0.5, 0.3, 0.2], 0.49)).toEqual([0]);
  });

  it("cumulative sums exactly equal to 1 - top_p with exactly representable probabilities", () => {
    // Four equal logits: p = 0.25 exactly, cumulative 0.25, 0.5, 0.75, 1 exactly.
    const four = [0.25, 0.25, 0.25, 0.25];
    expect(keptBy(four, 0.75)).toEqual([0, 1, 2]); // 0.25 <= 0.25 removed
    expect(keptBy(four, 0.5)).toEqual([0, 1]); // 0.25, 0.5 <= 0.5 removed
    expect(keptBy(four, 0.25)).toEqual([0]); // 0.75 <= 0.75 removed
    expect(keptBy(four, 0.7500001)).toEqual([0, 1, 2, 3]);
    expect(keptBy(four, 0.2499999)).toEqual([0]);
  });

  it("decides at float32 resolution, as torch compares its float32 cumsum with float32(1 - top_p)", () => {
    // p = [0.5, 0.3, 0.2000000009]: in float64 0.2000000009 > 1 - 0.8, but both round to the same float32,
    // so HF (in float32) removes it. A float64 comparison would keep all three.
    const row = Float32Array.from([-0.6931459903717041, -1.2039732933044434, -1.609437346458435]);
    expect(softmax(row)[2]! - 0.2).toBeGreaterThan(5e-10);
    applyTopP(row, 0.8);
    expect(survivors(row)).toEqual([0, 1]);
  });

  it("always keeps the most likely token, even for a tiny top_p", () => {
    expect(keptBy([0.1, 0.2, 0.7], 1e-9)).toEqual([2]);
    expect(keptBy([0.98, 0.01, 0.01], 0.5)).toEqual([0]);
  });

  it("breaks ties deterministically: among equal logits the lower id survives", () => {
    expect(keptBy([0.2, 0.2, 0.2, 0.2, 0.2], 0.2)).toEqual([0]);
    expect(keptBy([0.1, 0.3, 0.3, 0.3], 0.6)).toEqual([1, 2]); // remove 0.1, then id 3 (0.4 <= 0.4)
  });

  it("leaves -Infinity tokens removed and works on a single finite token", () => {
    const row = Float32Array.from([-Infinity, 2, -Infinity]);
    applyTopP(row, 0.3);
    expect(survivors(row)).toEqual([1]);
  });

  it("refuses a vocabulary larger than its sort key supports", () => {
    expect(() => applyTopP(new Float32Array(TOP_P_MAX_VOCAB + 1), 0.9)).toThrow(/exceeds/);
  });
});

/** HF's rule written plainly: sort everything, float64 cumsum, float32 comparison, keep the last. */
function naiveTopP(row: Float32Array, topP: number): number[] {
  const p = softmax(row);
  const order = Array.from(row.keys()).sort((a, b) => row[a]! - row[b]! || b - a);
  const removed = new Set<number>();
  let cumulative = 0;
  order.forEach((id, j) => {
    cumulative += p[id]!;
    if (j < order.length - 1 && Math.fround(cumulative) <= Math.fround(1 - topP)) removed.add(id);
  });
  return order.filter((id) => !removed.has(id) && row[id] !== -Infinity).sort((a, b) => a - b);
}

describe("top-p on large rows equals the naive full sort", () => {
  const rng = createRng(2024);
  const gaussian = (): number =>
    Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat());
  const rows: Record<string, () => Float32Array> = {
    "peaked (LLM-like)": () => Float32Array.from({ length: 50_000 }, () => 3 * gaussian()),
    "nearly flat (random-weight model)": () => Float32Array.from({ length: 50_000 }, () => 0.05 * gaussian()),
    "quantised with many ties": () => Float32Array.from({ length: 20_000 }, () => Math.round(2 * gaussian())),
    "with removed tokens": () =>
      Float32Array.from({ length: 20_000 }, (_, i) => (i % 3 === 0 ? -Infinity : gaussian())),
  };
  for (const [name, make] of Object.entries(rows)) {
    it(name, () => {
      const row = make();
      for (const topP of [1e-6, 0.1, 0.5, 0.9, 0.95, 0.999]) {
        const ours = row.slice();
        applyTopP(ours, topP);
        const kept = survivors(ours);
        expect(kept, `top_p ${topP}`).toEqual(naiveTopP(row, topP));
        expect(kept.filter((id) => ours[id] !== row[id])).toEqual([]); // survivors are untouched
      }
    });
  }
});
