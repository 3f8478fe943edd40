// Tests of sampleNext: greedy, log-probabilities, exact repetition of seeded runs, input checks.
import { describe, expect, it } from "vitest";
import { applyProcessors } from "./processors";
import { createRng, type TRng } from "./rng";
import { argmax, logSoftmaxAt } from "./row-math";
import { sampleNext } from "./sample";
import { parseSamplingParams, type TSamplingParams } from "./sampling-params";
import { logitsOf, softmax } from "./test-helpers";

const GREEDY = parseSamplingParams({ temperature: 0 });
const noContext = { previousTokens: [] };

/** An rng that must not be used. */
const forbiddenRng: TRng = {
  nextUint32: () => {
    throw new Error("rng used");
  },
  nextFloat: () => {
    throw new Error("rng used");
  },
  fork: () => forbiddenRng,
};

describe("greedy (temperature 0)", () => {
  it("is argmax, the first index on ties (torch.argmax), and draws nothing", () => {
    expect(sampleNext(Float32Array.from([1, 5, 5, 2]), GREEDY, noContext, forbiddenRng).token).toBe(1);
    expect(sampleNext(Float32Array.from([-Infinity, -3, -7]), GREEDY, noContext, forbiddenRng).token).toBe(1);
  });

  it("takes the argmax after the repetition penalty, as HF's greedy search does", () => {
    const params = parseSamplingParams({ temperature: 0, repetitionPenalty: 2 });
    const result = sampleNext(Float32Array.from([1, 5, 4, 2]), params, { previousTokens: [1] }, forbiddenRng);
    expect(result.token).toBe(2); // 5 / 2 = 2.5 < 4
    expect(result.logprob).toBeCloseTo(Math.log(softmax([1, 2.5, 4, 2])[2]!), 12);
    expect(result.rawLogprob).toBeCloseTo(Math.log(softmax([1, 5, 4, 2])[2]!), 12);
  });
});

describe("log-probabilities", () => {
  it("logprob is under the processed distribution, rawLogprob under the model's", () => {
    const logits = logitsOf([0.5, 0.3, 0.2]);
    const params = parseSamplingParams({ topP: 0.8 }); // leaves {0.5, 0.3} -> {0.625, 0.375}
    const rng = createRng(5);
    for (let i = 0; i < 50; i++) {
      const { token, logprob, rawLogprob } = sampleNext(logits, params, noContext, rng);
      expect(token).not.toBe(2);
      expect(logprob).toBeCloseTo(Math.log([0.625, 0.375][token]!), 6);
      expect(rawLogprob).toBeCloseTo(Math.log([0.5, 0.3][token]!), 6);
    }
  });

  it("logprob equals log_softmax of the row processed on its own, for every path through the processors", () => {
    const logitsRng = createRng(8);
    const logits = Float32Array.from({ length: 5000 }, () => 6 * logitsRng.nextFloat());
    const previousTokens = [3, 17, 4999];
    const cases: Partial<TSamplingParams>[] = [
      {}, // raw weights reused as they are
      { topK: 40 }, // raw weights reused, masked
      { topP: 0.9, minP: 0.02 },
      { temperature: 0.7, topK: 300, topP: 0.95 }, // weights recomputed
      { repetitionPenalty: 1.3, topP: 0.5 },
      { temperature: 0, repetitionPenalty: 1.3 },
    ];
    for (const input of cases) {
      const params = parseSamplingParams(input);
      const processed = logits.slice();
      applyProcessors(processed, params, previousTokens);
      const rng = createRng(2);
      for (let n = 0; n < 20; n++) {
        const { token, logprob, rawLogprob } = sampleNext(logits, params, { previousTokens }, rng);
        expect(processed[token], JSON.stringify(input)).not.toBe(-Infinity);
        expect(logprob).toBeCloseTo(logSoftmaxAt(processed, token), 9);
        expect(rawLogprob).toBeCloseTo(logSoftmaxAt(logits, token), 9);
      }
    }
  });

  it("does not modify the caller's logits (a subarray of a batch is fine)", () => {
    const batch = Float32Array.from([3, 1, 2, /* row 1: */ 0, 4, 1]);
    const before = batch.slice();
    sampleNext(
      batch.subarray(3, 6),
      parseSamplingParams({ topK: 1, repetitionPenalty: 3 }),
      { previousTokens: [1] },
      createRng(1),
    );
    expect(batch).toEqual(before);
  });
});

/** Generates `steps` tokens for candidate `index` over pseudo-logits that depend on the tokens so far. */
function runCandidate(root: TRng, index: number, steps: number, params: TSamplingParams): number[] {
  const rng = root.fork(index);
  const tokens: number[] = [7, 3];
  for (let s = 0; s < steps; s++) {
    const seed = tokens.reduce((h, t) => Math.imul(h ^ t, 0x01000193) >>> 0, 0x811c9dc5);
    const logitsRng = createRng(seed);
    const logits = Float32Array.from({ length: 1000 }, () => 4 * logitsRng.nextFloat());
    tokens.push(sampleNext(logits, params, { previousTokens: tokens }, rng).token);
  }
  return tokens;
}

describe("seeded runs", () => {
  const params = parseSamplingParams({ temperature: 0.9, topK: 200, topP: 0.95, minP: 0.01, repetitionPenalty: 1.1 });

  it("repeat exactly for the same seed and differ for another", () => {
    const a = [0, 1, 2, 3].map((i) => runCandidate(createRng(99), i, 40, params));
    const b = [0, 1, 2, 3].map((i) => runCandidate(createRng(99), i, 40, params));
    expect(a).toEqual(b);
    expect([0, 1, 2, 3].map((i) => runCandidate(createRng(100), i, 40, params))).not.toEqual(a);
    expect(new Set(a.map((t) => t.join())).size).toBe(4); // candidates differ from each other
  });

  it("give candidate i the same tokens whatever the batch size and stepping order", () => {
    const root = createRng(123);
    const inBatchOf2 = [0, 1].map((i) => runCandidate(root, i, 30, params));
    const inBatchOf8Reversed = [7, 6, 5, 4, 3, 2, 1, 0].map((i) => runCandidate(root, i, 30, params)).reverse();
    expect(inBatchOf8Reversed.slice(0, 2)).toEqual(inBatchOf2);
  });

  it("draw exactly one number per sampled token", () => {
    let calls = 0;
    const counting: TRng = { nextUint32: () => 0, nextFloat: () => (calls++, 0.5), fork: () => counting };
    for (let i = 0; i < 5; i++) sampleNext(logitsOf([0.1, 0.2, 0.7]), params, noContext, counting);
    expect(calls).toBe(5);
  });
});

describe("input checks", () => {
  it("rejects NaN and +Infinity logits and rows with no finite logit, naming the index", () => {
    const p = parseSamplingParams();
    expect(() => sampleNext(Float32Array.from([0, Number.NaN]), p, noContext, createRng(1))).toThrow(
      /logits\[1\] is NaN/,
    );
    expect(() => sampleNext(Float32Array.from([Infinity, 0]), p, noContext, createRng(1))).toThrow(
      /logits\[0\] is Infinity/,
    );
    expect(() => sampleNext(Float32Array.from([-Infinity]), p, noContext, createRng(1))).toThrow(
      /every logit is -Infinity/,
    );
    expect(() => sampleNext(new Float32Array(0), p, noContext, createRng(1))).toThrow(/empty/);
  });

  it("reports a temperature so small that the logits overflow float32", () => {
    const p = parseSamplingParams({ temperature: 1e-40 });
    expect(() => sampleNext(Float32Array.from([1, 2]), p, noContext, createRng(1))).toThrow(/after processors/);
  });

  it("validates parameters with the HF names in the message", () => {
    expect(() => parseSamplingParams({ temperature: -0.1 })).toThrow(
      "sampling: temperature must be a finite number >= 0 (0 = greedy), got -0.1",
    );
    expect(() => parseSamplingParams({ topP: 0 })).toThrow("sampling: top_p must be in (0, 1] (1 = off), got 0");
    expect(() => parseSamplingParams({ topP: 1.5 })).toThrow(/top_p/);
    expect(() => parseSamplingParams({ topK: -1 })).toThrow(
      "sampling: top_k must be an integer >= 0 (0 = off), got -1",
    );
    expect(() => parseSamplingParams({ topK: 2.5 })).toThrow(/top_k/);
    expect(() => parseSamplingParams({ minP: 1 })).toThrow("sampling: min_p must be in [0, 1) (0 = off), got 1");
    expect(() => parseSamplingParams({ repetitionPenalty: 0 })).toThrow(
      /repetition_penalty must be a finite number > 0/,
    );
    expect(() => parseSamplingParams({ temperature: Number.NaN })).toThrow(/temperature/);
    expect(parseSamplingParams()).toEqual({ temperature: 1, topK: 0, topP: 1, minP: 0, repetitionPenalty: 1 });
    const unchecked = { ...parseSamplingParams(), topP: 2 };
    expect(() => sampleNext(Float32Array.from([0]), unchecked, noContext, createRng(1))).toThrow(/top_p/);
  });
});

describe("greedy fast path", () => {
  it("equals the general path (argmax, first on ties; log_softmax at it) on random and tied rows", () => {
    const rng = createRng(7);
    for (let trial = 0; trial < 50; trial++) {
      const row = new Float32Array(1000).map(() => (rng.nextFloat() - 0.5) * 40);
      if (trial % 5 === 0) row[10] = row[900] = 50; // a tie: the first index wins
      if (trial % 7 === 0) row[3] = -Infinity;
      const fast = sampleNext(row, parseSamplingParams({ temperature: 0 }), { previousTokens: [] }, rng);
      const best = argmax(row);
      expect(fast.token).toBe(best);
      expect(fast.rawLogprob).toBe(logSoftmaxAt(row, best));
      expect(fast.logprob).toBe(fast.rawLogprob);
    }
  });

  it("still rejects NaN and all -Infinity rows", () => {
    const params = parseSamplingParams({ temperature: 0 });
    expect(() => sampleNext(new Float32Array([0, NaN]), params, { previousTokens: [] }, createRng(1))).toThrow(
      /logits\[1\] is NaN/,
    );
    expect(() =>
      sampleNext(new Float32Array([-Infinity, -Infinity]), params, { previousTokens: [] }, createRng(1)),
    ).toThrow(/every logit is -Infinity/);
  });
});
