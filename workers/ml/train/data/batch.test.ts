// Tests of batches (right padding, masks, positions, chosen/rejected and ranking layouts) and of order
// (seeded shuffles, epochs, batching, the held-out split).
import { describe, expect, it } from "vitest";
import { PAD_POSITION } from "../../model/text-batch";
import {
  batchTensors,
  batchesOf,
  epochBatches,
  lmBatch,
  preferenceBatch,
  promptCompletionBatch,
  rankingBatch,
  rightPadBatch,
  scoredTokenCount,
  shuffled,
  shuffledOrder,
  splitEval,
  type TTokenBatch,
} from "./batch";

const PAD = 0;
/** A [B, T] BigInt64Array as rows of numbers, for readable expectations. */
const rowsOf = (data: BigInt64Array, [B, T]: readonly [number, number]) => Array.from({ length: B }, (_, b) => Array.from(data.subarray(b * T, (b + 1) * T), Number));
const view = (batch: TTokenBatch) => ({
  shape: batch.shape,
  ids: rowsOf(batch.inputIds, batch.shape),
  mask: rowsOf(batch.attentionMask, batch.shape),
  pos: rowsOf(batch.positionIds, batch.shape),
  scored: rowsOf(batch.completionMask, batch.shape),
});

describe("rightPadBatch and its layouts", () => {
  it("pads on the right: mask 0, position PAD_POSITION (1) and padId at pads; completion tokens scored", () => {
    const batch = promptCompletionBatch(
      [
        { line: 1, promptIds: [11, 12], completionIds: [13, 14, 15] },
        { line: 2, promptIds: [21], completionIds: [22] },
        { line: 3, promptIds: [], completionIds: [31, 32] },
      ],
      PAD,
    );
    expect(PAD_POSITION).toBe(1);
    expect(view(batch)).toEqual({
      shape: [3, 5],
      ids: [
        [11, 12, 13, 14, 15],
        [21, 22, 0, 0, 0],
        [31, 32, 0, 0, 0],
      ],
      mask: [
        [1, 1, 1, 1, 1],
        [1, 1, 0, 0, 0],
        [1, 1, 0, 0, 0],
      ],
      pos: [
        [0, 1, 2, 3, 4],
        [0, 1, 1, 1, 1],
        [0, 1, 1, 1, 1],
      ],
      scored: [
        [0, 0, 1, 1, 1],
        [0, 1, 0, 0, 0],
        [1, 1, 0, 0, 0],
      ],
    });
    // Scored tokens the loss counts: t >= 1 only (nothing predicts a row's first token).
    expect(scoredTokenCount(batch)).toBe(3 + 1 + 1);
  });

  it("language modeling scores every real token", () => {
    const batch = lmBatch(
      [
        { line: 1, ids: [5, 6, 7] },
        { line: 2, ids: [8] },
      ],
      2,
    );
    expect(view(batch)).toMatchObject({ shape: [2, 3], ids: [[5, 6, 7], [8, 2, 2]], scored: [[1, 1, 1], [1, 0, 0]] });
    expect(batch.completionMask).toEqual(batch.attentionMask);
    expect(scoredTokenCount(batch)).toBe(2);
  });

  it("preference batches: chosen rows 0..P-1, rejected rows P..2P-1, margins when every pair has one", () => {
    const examples = [
      { line: 1, promptIds: [1, 2], chosenIds: [3], rejectedIds: [4, 5, 6], margin: 1 },
      { line: 2, promptIds: [7], chosenIds: [8, 9], rejectedIds: [10], margin: 0.5 },
    ];
    const { batch, pairs, margins } = preferenceBatch(examples, PAD);
    expect([pairs, margins]).toEqual([2, Float64Array.of(1, 0.5)]);
    expect(view(batch)).toMatchObject({
      shape: [4, 5],
      ids: [
        [1, 2, 3, 0, 0],
        [7, 8, 9, 0, 0],
        [1, 2, 4, 5, 6],
        [7, 10, 0, 0, 0],
      ],
      scored: [
        [0, 0, 1, 0, 0],
        [0, 1, 1, 0, 0],
        [0, 0, 1, 1, 1],
        [0, 1, 0, 0, 0],
      ],
    });
    expect(preferenceBatch(examples.map(({ margin: _, ...e }) => e), PAD).margins).toBeNull();
    expect(() => preferenceBatch([examples[0]!, { ...examples[1]!, margin: undefined }], PAD)).toThrow("1 of 2 preference examples have a margin: all or none must");
  });

  it("ranking batches: candidates flattened prompt-major, each prompt's rows and tiers", () => {
    const { batch, groups } = rankingBatch(
      [
        { line: 1, promptIds: [1], completions: [[2], [3, 4], [5]], tiers: [1, 0, 1] },
        { line: 2, promptIds: [6, 7], completions: [[8], [9]], tiers: [0, 1] },
      ],
      PAD,
    );
    expect(groups).toEqual([
      { rows: [0, 1, 2], tiers: [1, 0, 1] },
      { rows: [3, 4], tiers: [0, 1] },
    ]);
    expect(view(batch).ids).toEqual([
      [1, 2, 0],
      [1, 3, 4],
      [1, 5, 0],
      [6, 7, 8],
      [6, 7, 9],
    ]);
    expect(() => rankingBatch([{ line: 4, promptIds: [1], completions: [[2]], tiers: [0, 1] }], PAD)).toThrow("line 4: 1 completions but 2 tiers");
    expect(() => rankingBatch([{ line: 5, promptIds: [1], completions: [[2]], tiers: [0] }], PAD)).toThrow("line 5: a ranking needs at least two completions");
  });

  it("as the graphs' int64 tensors, sharing the arrays", () => {
    const batch = rightPadBatch([{ line: 1, promptIds: [1], completionIds: [2, 3] }], PAD);
    const t = batchTensors(batch);
    expect([t.batch.inputIds.dtype, t.batch.inputIds.shape, t.completionMask.shape]).toEqual(["int64", [1, 3], [1, 3]]);
    expect(t.batch.positionIds.data).toBe(batch.positionIds);
    expect(t.completionMask.data).toBe(batch.completionMask);
  });

  it("rejects an empty batch, an empty row, bad token ids and a bad pad id", () => {
    expect(() => rightPadBatch([], PAD)).toThrow("a batch needs at least one sequence");
    expect(() => rightPadBatch([{ line: 7, promptIds: [], completionIds: [] }], PAD)).toThrow("the example of line 7 has no tokens");
    expect(() => rightPadBatch([{ line: 8, promptIds: [1, -2], completionIds: [] }], PAD)).toThrow("line 8, token 1: -2 is not a token id");
    expect(() => rightPadBatch([{ line: 9, promptIds: [1], completionIds: [0.5] }], PAD)).toThrow("line 9, token 1: 0.5 is not a token id");
    expect(() => rightPadBatch([{ line: 1, promptIds: [1], completionIds: [] }], -1)).toThrow("padId: -1 is not a token id");
  });
});

describe("seeded shuffling", () => {
  const isPermutation = (order: number[], n: number) => [...order].sort((a, b) => a - b).every((v, i) => v === i) && order.length === n;

  it("is a permutation, the same for the same (seed, epoch)", () => {
    const a = shuffledOrder(100, 7);
    expect(isPermutation(a, 100)).toBe(true);
    expect(shuffledOrder(100, 7)).toEqual(a);
    expect(shuffledOrder(100, 7, 0)).toEqual(a);
  });

  it("differs across seeds and across epochs of one seed", () => {
    const base = shuffledOrder(100, 7, 0);
    expect(shuffledOrder(100, 8, 0)).not.toEqual(base);
    expect(shuffledOrder(100, 7, 1)).not.toEqual(base);
    expect(shuffledOrder(100, 7, 1)).not.toEqual(shuffledOrder(100, 7, 2));
    // An epoch's order does not depend on whether earlier epochs were drawn.
    const epoch3 = shuffledOrder(100, 7, 3);
    shuffledOrder(100, 7, 2);
    expect(shuffledOrder(100, 7, 3)).toEqual(epoch3);
  });

  it("draws every order of 3 items about equally often (no modulo or swap bias)", () => {
    const counts = new Map<string, number>();
    const N = 6000;
    for (let seed = 0; seed < N; seed++) {
      const k = shuffledOrder(3, seed).join("");
      counts.set(k, (counts.get(k) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    // Each count ~ Binomial(6000, 1/6): mean 1000, sd ~29; 5 sd either side.
    for (const c of counts.values()) expect(Math.abs(c - N / 6)).toBeLessThan(5 * Math.sqrt((N * 5) / 36));
  });

  it("shuffles items, cuts batches, and forms one epoch's batches", () => {
    const items = ["a", "b", "c", "d", "e"];
    expect(shuffled(items, 3, 1)).toEqual(shuffledOrder(5, 3, 1).map((i) => items[i]));
    expect(shuffledOrder(0, 1)).toEqual([]);
    expect(batchesOf(items, 2)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(batchesOf(items, 2, { dropLast: true })).toEqual([["a", "b"], ["c", "d"]]);
    expect(epochBatches(items, 2, { seed: 3, epoch: 1 })).toEqual(batchesOf(shuffled(items, 3, 1), 2));
    expect(() => batchesOf(items, 0)).toThrow("batchSize must be an integer >= 1, got 0");
    expect(() => shuffledOrder(3, -1)).toThrow(RangeError);
  });
});

describe("splitEval", () => {
  const rows = Array.from({ length: 20 }, (_, i) => i);

  it("holds out a fraction or a count, deterministically, both sides in the original order", () => {
    const a = splitEval(rows, 0.25, 1);
    expect([a.train.length, a.eval.length]).toEqual([15, 5]);
    expect([...a.train, ...a.eval].sort((x, y) => x - y)).toEqual(rows);
    expect(a.eval).toEqual([...a.eval].sort((x, y) => x - y));
    expect(splitEval(rows, 0.25, 1)).toEqual(a);
    expect(splitEval(rows, 0.25, 2).eval).not.toEqual(a.eval);
    expect(splitEval(rows, 3, 1).eval).toHaveLength(3);
  });

  it("is never empty on either side when the dataset has two rows or more", () => {
    expect(splitEval([1, 2], 0.01, 0).eval).toHaveLength(1);
    expect(splitEval([1, 2], 0.99, 0).train).toHaveLength(1);
    expect(splitEval(rows, 0.999, 0).train).toHaveLength(1);
    expect(() => splitEval([1], 0.5, 0)).toThrow("an eval split needs at least 2 rows, the dataset has 1");
    expect(() => splitEval([], 1, 0)).toThrow("the dataset has 0");
  });

  it("rejects sizes that are neither a fraction in (0, 1) nor a count in [1, n - 1]", () => {
    for (const size of [0, -0.5, 20, 21, 1.5, Number.NaN]) {
      expect(() => splitEval(rows, size, 0)).toThrow(`eval size must be a fraction in (0, 1) or a row count in [1, 19], got ${size}`);
    }
  });

  it("keeps rows with one key on one side", () => {
    const pairs = Array.from({ length: 30 }, (_, i) => ({ prompt: `p${i % 10}`, i }));
    const { train, eval: held } = splitEval(pairs, 0.2, 5, { key: (r) => r.prompt });
    const trainPrompts = new Set(train.map((r) => r.prompt));
    expect(held.every((r) => !trainPrompts.has(r.prompt))).toBe(true);
    expect(held).toHaveLength(6); // two whole prompts of three rows each
    expect(() => splitEval(pairs, 0.5, 0, { key: () => "same" })).toThrow("all 30 rows share one key");
    expect(splitEval(pairs, 0.99, 0, { key: (r) => r.prompt }).train).toHaveLength(3); // one group stays
  });
});
