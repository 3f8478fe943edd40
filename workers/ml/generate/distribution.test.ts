// Distribution tests: 200k seeded draws match the post-processor distribution within 5 binomial sigmas, and
// each case is chosen so that an off-by-one in top-p would be outside that band by a wide margin.
import { describe, expect, it } from "vitest";
import { createRng } from "./rng";
import { sampleNext } from "./sample";
import { parseSamplingParams, type TSamplingParams } from "./sampling-params";
import { logitsOf, softmax } from "./test-helpers";

const DRAWS = 200_000;

/** The softmax of `logits` restricted to `kept` (zero elsewhere). */
function restricted(logits: readonly number[], kept: readonly number[]): number[] {
  const masked = logits.map((x, i) => (kept.includes(i) ? x : -Infinity));
  return softmax(masked);
}

/** sigma of an empirical frequency of a token of probability q after DRAWS draws. */
const sigma = (q: number): number => Math.sqrt((q * (1 - q)) / DRAWS);

type TCase = {
  name: string;
  logits: Float32Array;
  params: TSamplingParams;
  previousTokens: number[];
  /** The exact post-processor distribution, derived by hand in the comment of each case. */
  expected: number[];
  /** What a top-p off by one token (or `<` for `<=`) would sample from instead. */
  offByOne: number[][];
};

// Combined case. Logits [2, 1.5, 1, 0.8, 0.5, 0, -0.5, -1], tokens 0 and 6 seen, penalty 1.25:
// token 0 -> 2 / 1.25 = 1.6, token 6 -> -0.5 * 1.25 = -0.625; temperature 0.8:
// [2, 1.875, 1.25, 1, 0.625, 0, -0.78125, -1.25]; top-k 6 drops tokens 6 and 7; softmax of the six is about
// [0.3214, 0.2837, 0.1518, 0.1183, 0.0813, 0.0435]; top-p 0.8 removes ascending cumulative <= 0.2: 0.0435 and
// 0.1248 go, 0.2430 stays, so {0, 1, 2, 3}; min-p 0.2 keeps p >= 0.2 * 0.3214 = 0.0643: all four.
// Off by one: keeping the crossing token 4 too, or stopping before token 3.
const tempered = [2, 1.875, 1.25, 1, 0.625, 0, -0.78125, -1.25];

const CASES: TCase[] = [
  {
    // Ascending cumulative 0.2 equals 1 - 0.8: removed by `<=`, kept by `<` ([0.5, 0.3, 0.2]).
    name: "[0.5, 0.3, 0.2], top_p 0.8 -> {0.625, 0.375}",
    logits: logitsOf([0.5, 0.3, 0.2]),
    params: parseSamplingParams({ topP: 0.8 }),
    previousTokens: [],
    expected: [0.625, 0.375, 0],
    offByOne: [
      [0.5, 0.3, 0.2],
      [1, 0, 0],
    ],
  },
  {
    // Four equal logits: cumulative 0.25 equals 1 - 0.75 exactly; the highest id goes first.
    name: "four ties, top_p 0.75 -> three tokens of 1/3",
    logits: logitsOf([0.25, 0.25, 0.25, 0.25]),
    params: parseSamplingParams({ topP: 0.75 }),
    previousTokens: [],
    expected: [1 / 3, 1 / 3, 1 / 3, 0],
    offByOne: [
      [0.25, 0.25, 0.25, 0.25],
      [0.5, 0.5, 0, 0],
    ],
  },
  {
    name: "repetition penalty, temperature, top-k, top-p and min-p together",
    logits: Float32Array.from([2, 1.5, 1, 0.8, 0.5, 0, -0.5, -1]),
    params: parseSamplingParams({ repetitionPenalty: 1.25, temperature: 0.8, topK: 6, topP: 0.8, minP: 0.2 }),
    previousTokens: [0, 6],
    expected: restricted(tempered, [0, 1, 2, 3]),
    offByOne: [restricted(tempered, [0, 1, 2, 3, 4]), restricted(tempered, [0, 1, 2])],
  },
];

describe("empirical frequencies of 200k seeded draws", () => {
  for (const c of CASES) {
    it(c.name, () => {
      // The alternatives are far outside the 5-sigma band: some token's probability moves by > 20 sigma.
      for (const alt of c.offByOne) {
        const separation = Math.max(
          ...alt.map((q, i) => {
            const gap = Math.abs(q - c.expected[i]!);
            return gap === 0 ? 0 : gap / Math.max(sigma(c.expected[i]!), sigma(q));
          }),
        );
        expect(separation).toBeGreaterThan(20);
      }
      const counts = new Array<number>(c.logits.length).fill(0);
      const rng = createRng(31337);
      for (let n = 0; n < DRAWS; n++)
        counts[sampleNext(c.logits, c.params, { previousTokens: c.previousTokens }, rng).token]!++;
      c.expected.forEach((q, i) => {
        const frequency = counts[i]! / DRAWS;
        if (q === 0) expect(counts[i], `token ${i} must never be drawn`).toBe(0);
        else expect(Math.abs(frequency - q), `token ${i}: ${frequency} vs ${q}`).toBeLessThan(5 * sigma(q));
      });
    });
  }

  it("the combined case's expected distribution is the one sampleNext reports log-probabilities under", () => {
    const c = CASES[2]!;
    const rng = createRng(1);
    for (let n = 0; n < 100; n++) {
      const { token, logprob } = sampleNext(c.logits, c.params, { previousTokens: c.previousTokens }, rng);
      expect(logprob).toBeCloseTo(Math.log(c.expected[token]!), 6);
    }
  });
});
