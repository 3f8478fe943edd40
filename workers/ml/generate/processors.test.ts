// Tests of repetition penalty, temperature, top-k, min-p and the processor order, on hand-made logits.
import { describe, expect, it } from "vitest";
import { applyMinP, applyProcessors, applyRepetitionPenalty, applyTemperature } from "./processors";
import { applyTopK, kthLargest } from "./top-k";
import { parseSamplingParams } from "./sampling-params";
import { logitsOf, survivors } from "./test-helpers";

describe("repetition penalty (HF rule)", () => {
  it("divides positive logits, multiplies negative ones, leaves unseen tokens and zero alone", () => {
    const row = Float32Array.from([2, -2, 0, 1, 3]);
    applyRepetitionPenalty(row, [0, 1, 2], 2);
    expect(Array.from(row)).toEqual([1, -4, 0, 1, 3]);
  });

  it("penalises a token once however often it occurred (prompt and generated alike)", () => {
    const row = Float32Array.from([4, -1, 1]);
    applyRepetitionPenalty(row, [0, 0, 0, 1, 1], 2);
    expect(Array.from(row)).toEqual([2, -2, 1]);
  });

  it("rewards repeated tokens with a penalty below 1", () => {
    const row = Float32Array.from([4, -1]);
    applyRepetitionPenalty(row, [0, 1], 0.5);
    expect(Array.from(row)).toEqual([8, -0.5]);
  });

  it("rounds like float32 arithmetic (torch's scores / penalty)", () => {
    const row = Float32Array.from([1]);
    applyRepetitionPenalty(row, [0], 1.3);
    expect(row[0]).toBe(Math.fround(1 / Math.fround(1.3)));
  });

  it("rejects token ids outside the vocabulary", () => {
    expect(() => applyRepetitionPenalty(new Float32Array(3), [3], 1.2)).toThrow(/previousTokens\[0\] = 3/);
    expect(() => applyRepetitionPenalty(new Float32Array(3), [1, -1], 1.2)).toThrow(/previousTokens\[1\] = -1/);
  });
});

describe("temperature", () => {
  it("divides every logit by the temperature and keeps -Infinity", () => {
    const row = Float32Array.from([1, -3, -Infinity, 0.5]);
    applyTemperature(row, 0.5);
    expect(Array.from(row)).toEqual([2, -6, -Infinity, 1]);
  });
});

describe("top-k (HF rule: keep x >= the k-th largest)", () => {
  it("keeps exactly the k largest when there are no ties", () => {
    const row = Float32Array.from([0.1, 5, -2, 3, 4, 1]);
    applyTopK(row, 3);
    expect(survivors(row)).toEqual([1, 3, 4]);
    expect(row[1]).toBe(5); // survivors are unchanged
  });

  it("keeps every token tied with the k-th largest", () => {
    const row = Float32Array.from([1, 3, 3, 2, 3]);
    applyTopK(row, 2); // k-th largest is 3: all three 3s stay
    expect(survivors(row)).toEqual([1, 2, 4]);
    const row4 = Float32Array.from([1, 3, 3, 2, 3, 2]);
    applyTopK(row4, 4); // sorted 3,3,3,2,2,1: the 4th is 2, both 2s stay
    expect(survivors(row4)).toEqual([1, 2, 3, 4, 5]);
  });

  it("k = 1 keeps all tied maxima; k >= V is a no-op", () => {
    const row = Float32Array.from([7, 1, 7]);
    applyTopK(row, 1);
    expect(survivors(row)).toEqual([0, 2]);
    const all = Float32Array.from([1, 2, 3]);
    applyTopK(all, 10);
    expect(survivors(all)).toEqual([0, 1, 2]);
  });

  it("finds the k-th largest counting repeats, on a large random row", () => {
    const values = Float32Array.from({ length: 5000 }, (_, i) => Math.fround(Math.sin(i * 12.9898) * 43758.5453) % 7);
    const sorted = Array.from(values).sort((a, b) => b - a);
    for (const k of [1, 2, 50, 777, 5000]) expect(kthLargest(values, k)).toBe(sorted[k - 1]);
  });
});

describe("min-p (HF rule: remove p < min_p * p_max)", () => {
  it("keeps exactly the tokens at or above the scaled threshold", () => {
    const row = logitsOf([0.5, 0.3, 0.15, 0.05]);
    applyMinP(row, 0.4); // threshold 0.2
    expect(survivors(row)).toEqual([0, 1]);
  });

  it("keeps a token exactly at the threshold (the comparison is strict)", () => {
    const row = logitsOf([0.5, 0.3, 0.15, 0.05]);
    applyMinP(row, 0.3); // threshold 0.15: 0.15 is not < 0.15
    expect(survivors(row)).toEqual([0, 1, 2]);
  });

  it("always keeps the most likely token", () => {
    const row = logitsOf([0.25, 0.25, 0.25, 0.25]);
    applyMinP(row, 0.99);
    expect(survivors(row)).toEqual([0, 1, 2, 3]);
  });
});

describe("processor order (HF: repetition penalty, temperature, top-k, top-p, min-p)", () => {
  it("top-p sees the distribution renormalised after top-k", () => {
    // top-k 2 leaves {0.4, 0.3} -> {4/7, 3/7}; top-p 0.5 then drops 3/7 <= 0.5. Top-p first would keep both.
    const row = logitsOf([0.4, 0.3, 0.2, 0.1]);
    applyProcessors(row, parseSamplingParams({ topK: 2, topP: 0.5 }), []);
    expect(survivors(row)).toEqual([0]);
  });

  it("top-p sees the distribution after temperature", () => {
    // [0.5, 0.3, 0.2] at temperature 1: top-p 0.6 (remove cumulative <= 0.4) and top-p 0.75 (<= 0.25) both
    // remove only 0.2. At 0.5 the probabilities are [25, 9, 4] / 38: with top-p 0.6, 4/38 and 13/38 = 0.342
    // are removed too. At 4 they are about [0.374, 0.329, 0.297]: with top-p 0.75 nothing is removed.
    const keptAt = (temperature: number, topP: number): number[] => {
      const row = logitsOf([0.5, 0.3, 0.2]);
      applyProcessors(row, parseSamplingParams({ temperature, topP }), []);
      return survivors(row);
    };
    expect(keptAt(1, 0.6)).toEqual([0, 1]);
    expect(keptAt(0.5, 0.6)).toEqual([0]);
    expect(keptAt(1, 0.75)).toEqual([0, 1]);
    expect(keptAt(4, 0.75)).toEqual([0, 1, 2]);
  });

  it("the repetition penalty acts before top-k", () => {
    const row = Float32Array.from([3, 2, 1]);
    applyProcessors(row, parseSamplingParams({ repetitionPenalty: 4, topK: 1 }), [0]); // 3 -> 0.75
    expect(survivors(row)).toEqual([1]);
  });

  it("greedy applies the repetition penalty only", () => {
    const row = Float32Array.from([3, 2, 1]);
    applyProcessors(row, parseSamplingParams({ temperature: 0, repetitionPenalty: 2, topK: 1, topP: 0.1 }), [0]);
    expect(Array.from(row)).toEqual([1.5, 2, 1]);
  });
});
