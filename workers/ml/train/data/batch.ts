// Token examples -> right-padded int64 training batches (completion masks; chosen/rejected and ranking layouts),
// seeded shuffling and the held-out split. Typed arrays out; no model, no sessions, no loss.
//
// Shapes: B rows, T = the longest row. Row-major [B, T] BigInt64Arrays: row b's token t is at b * T + t.
import { createHash } from "node:crypto";
import { createRng, type TRng } from "../../generate/rng";
import { tensor, type Tensor } from "../../ir";
import { PAD_POSITION, type TTextBatch } from "../../model/text-batch";
import type { TCompletionExample, TLmExample, TPreferenceExample, TRankingExample } from "./tokenize";

export interface TTokenBatch {
  readonly inputIds: BigInt64Array; // [B, T], padId after each row's tokens
  readonly attentionMask: BigInt64Array; // [B, T], 1 at real tokens, 0 at pads
  readonly positionIds: BigInt64Array; // [B, T], 0..len-1 at real tokens, PAD_POSITION (1) at pads
  readonly completionMask: BigInt64Array; // [B, T], 1 at scored tokens (completion, or every token for LM)
  readonly shape: readonly [number, number]; // [B, T]
}

/** One row of a batch: prompt tokens (not scored) then completion tokens (scored). */
export interface TSequence {
  readonly line: number;
  readonly promptIds: readonly number[];
  readonly completionIds: readonly number[];
}

function checkToken(id: number | undefined, what: string): number {
  if (id === undefined || !Number.isSafeInteger(id) || id < 0) throw new Error(`${what}: ${String(id)} is not a token id`);
  return id;
}

/**
 * Rows right-padded with `padId` to the longest. An empty row is an error (nothing to attend to). The engine's
 * graphs read attention_mask, so a pad id equal to a real token (e.g. EOS) is harmless.
 */
export function rightPadBatch(rows: readonly TSequence[], padId: number): TTokenBatch {
  if (rows.length === 0) throw new Error("a batch needs at least one sequence");
  const pad = BigInt(checkToken(padId, "padId"));
  const B = rows.length;
  const T = Math.max(...rows.map((r) => r.promptIds.length + r.completionIds.length));
  const inputIds = new BigInt64Array(B * T).fill(pad);
  const attentionMask = new BigInt64Array(B * T);
  const positionIds = new BigInt64Array(B * T).fill(BigInt(PAD_POSITION));
  const completionMask = new BigInt64Array(B * T);
  rows.forEach((r, b) => {
    const P = r.promptIds.length;
    const L = P + r.completionIds.length;
    if (L === 0) throw new Error(`the example of line ${r.line} has no tokens`);
    for (let t = 0; t < L; t++) {
      const id = t < P ? r.promptIds[t] : r.completionIds[t - P];
      inputIds[b * T + t] = BigInt(checkToken(id, `line ${r.line}, token ${t}`));
      attentionMask[b * T + t] = 1n;
      positionIds[b * T + t] = BigInt(t);
      if (t >= P) completionMask[b * T + t] = 1n;
    }
  });
  return { inputIds, attentionMask, positionIds, completionMask, shape: [B, T] };
}

/** Pre-training: every real token is in completion_mask (the loss skips t = 0, which nothing predicts). */
export function lmBatch(examples: readonly TLmExample[], padId: number): TTokenBatch {
  return rightPadBatch(
    examples.map((e) => ({ line: e.line, promptIds: [], completionIds: e.ids })),
    padId,
  );
}

/** SFT (or RL prompt + sampled completion): completion tokens scored. */
export function promptCompletionBatch(examples: readonly TCompletionExample[], padId: number): TTokenBatch {
  return rightPadBatch(
    examples.map((e) => ({ line: e.line, promptIds: e.promptIds, completionIds: e.completionIds })),
    padId,
  );
}

export interface TPreferenceBatch {
  /** 2P rows: row p is pair p's prompt + chosen, row P + p its prompt + rejected. */
  readonly batch: TTokenBatch;
  readonly pairs: number;
  /** Per pair, when every example has a margin; null when none has. */
  readonly margins: Float64Array | null;
}

export function preferenceBatch(examples: readonly TPreferenceExample[], padId: number): TPreferenceBatch {
  const withMargin = examples.filter((e) => e.margin !== undefined).length;
  if (withMargin !== 0 && withMargin !== examples.length) {
    throw new Error(`${withMargin} of ${examples.length} preference examples have a margin: all or none must`);
  }
  const chosen = examples.map((e) => ({ line: e.line, promptIds: e.promptIds, completionIds: e.chosenIds }));
  const rejected = examples.map((e) => ({ line: e.line, promptIds: e.promptIds, completionIds: e.rejectedIds }));
  return {
    batch: rightPadBatch([...chosen, ...rejected], padId),
    pairs: examples.length,
    margins: withMargin ? Float64Array.from(examples, (e) => e.margin ?? 0) : null,
  };
}

export interface TRankingGroup {
  /** The batch rows of this prompt's candidates, in the example's order. */
  readonly rows: number[];
  /** Their tiers (0 best, equal = tied). */
  readonly tiers: number[];
}

export interface TRankingBatch {
  /** One row per candidate, prompt-major: prompt 0's candidates first. */
  readonly batch: TTokenBatch;
  readonly groups: TRankingGroup[];
}

export function rankingBatch(examples: readonly TRankingExample[], padId: number): TRankingBatch {
  const rows: TSequence[] = [];
  const groups = examples.map((e) => {
    if (e.completions.length !== e.tiers.length) throw new Error(`line ${e.line}: ${e.completions.length} completions but ${e.tiers.length} tiers`);
    if (e.completions.length < 2) throw new Error(`line ${e.line}: a ranking needs at least two completions`);
    const first = rows.length;
    for (const c of e.completions) rows.push({ line: e.line, promptIds: e.promptIds, completionIds: c });
    return { rows: e.completions.map((_, i) => first + i), tiers: [...e.tiers] };
  });
  return { batch: rightPadBatch(rows, padId), groups };
}

/**
 * Tokens the SFT / pre-training loss scores: completion_mask 1 at t >= 1 (right padding: the token before is
 * real). The count the loop divides a loss sum by (train/README.md).
 */
export function scoredTokenCount(batch: TTokenBatch): number {
  const [B, T] = batch.shape;
  let n = 0;
  for (let b = 0; b < B; b++) for (let t = 1; t < T; t++) if (batch.completionMask[b * T + t] === 1n) n++;
  return n;
}

/** The batch as the graphs' int64 tensors (the arrays are shared, not copied), like text-batch's completionBatch. */
export function batchTensors(batch: TTokenBatch): { batch: TTextBatch; completionMask: Tensor<"int64"> } {
  const shape = [...batch.shape];
  return {
    batch: {
      inputIds: tensor("int64", shape, batch.inputIds),
      attentionMask: tensor("int64", shape, batch.attentionMask),
      positionIds: tensor("int64", shape, batch.positionIds),
    },
    completionMask: tensor("int64", shape, batch.completionMask),
  };
}

// ---- Order: seeded shuffling, batches, the held-out split ----
// Randomness: xoshiro128** of generate/rng.ts. Epoch e's order comes from createRng(seed).fork(e): a pure
// function of (seed, epoch), independent of what else was drawn; the split uses its own stream.

const SPLIT_STREAM = Number.MAX_SAFE_INTEGER;

/** A uniform integer in [0, n), n <= 2^32, by rejection (no modulo bias). */
function uniformBelow(rng: TRng, n: number): number {
  const limit = 4294967296 - (4294967296 % n);
  for (;;) {
    const x = rng.nextUint32();
    if (x < limit) return x % n;
  }
}

function permutation(n: number, rng: TRng): number[] {
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    // Fisher-Yates: swap i with a uniform j in [0, i].
    const j = uniformBelow(rng, i + 1);
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/** A permutation of 0..n-1 for (seed, epoch); the same arguments give the same order. */
export function shuffledOrder(n: number, seed: number, epoch = 0): number[] {
  if (!Number.isSafeInteger(n) || n < 0 || n > 4294967296) throw new RangeError(`cannot shuffle ${n} items`);
  return permutation(n, createRng(seed).fork(epoch));
}

export function shuffled<T>(items: readonly T[], seed: number, epoch = 0): T[] {
  return shuffledOrder(items.length, seed, epoch).map((i) => items[i]!);
}

/** Consecutive batches of `batchSize`; the last one shorter unless `dropLast`. */
export function batchesOf<T>(items: readonly T[], batchSize: number, options: { dropLast?: boolean } = {}): T[][] {
  if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be an integer >= 1, got ${batchSize}`);
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += batchSize) {
    const chunk = items.slice(i, i + batchSize);
    if (chunk.length === batchSize || !options.dropLast) out.push(chunk);
  }
  return out;
}

/** One epoch: the items shuffled for (seed, epoch), then cut into batches. */
export function epochBatches<T>(items: readonly T[], batchSize: number, options: { seed: number; epoch: number; dropLast?: boolean }): T[][] {
  return batchesOf(shuffled(items, options.seed, options.epoch), batchSize, options);
}

export interface TSplit<T> {
  readonly train: T[];
  readonly eval: T[];
}

export interface TSplitOptions<T> {
  /**
   * Rows with the same key go to the same side (e.g. the prompt, so that several labellers' judgments or the
   * pairs of one ranking never sit on both sides). Groups are taken in the order of a stable hash of (seed,
   * key), so a key's side depends on the other keys only through the size asked (a prompt added later does not
   * move earlier prompts across), until the eval side has at least the asked size; the train side always
   * keeps one group or more.
   */
  key?: (row: T) => string;
}

/**
 * A deterministic held-out split. `size` is a fraction in (0, 1) (rounded, at least 1 row, at most n - 1) or a
 * row count in [1, n - 1]. Both sides keep the rows' original order. Fewer than two rows (or groups) is an error.
 */
export function splitEval<T>(rows: readonly T[], size: number, seed: number, options: TSplitOptions<T> = {}): TSplit<T> {
  const n = rows.length;
  if (n < 2) throw new Error(`an eval split needs at least 2 rows, the dataset has ${n}`);
  let want: number;
  if (size > 0 && size < 1) want = Math.min(n - 1, Math.max(1, Math.round(n * size)));
  else if (Number.isSafeInteger(size) && size >= 1 && size <= n - 1) want = size;
  else throw new RangeError(`eval size must be a fraction in (0, 1) or a row count in [1, ${n - 1}], got ${size}`);
  const groups = new Map<string, number[]>();
  rows.forEach((r, i) => {
    const k = options.key ? options.key(r) : String(i);
    const g = groups.get(k);
    if (g) g.push(i);
    else groups.set(k, [i]);
  });
  const list = [...groups.values()];
  if (list.length < 2) throw new Error(`an eval split needs at least 2 groups of rows, all ${n} rows share one key`);
  const isEval = new Uint8Array(n);
  let taken = 0;
  let groupsTaken = 0;
  const keys = [...groups.keys()];
  const order = options.key
    ? keys
        .map((k, g) => ({ g, h: createHash("sha256").update(`${seed}\n${k}`).digest("hex") }))
        .sort((a, b) => (a.h < b.h ? -1 : a.h > b.h ? 1 : a.g - b.g))
        .map((x) => x.g)
    : permutation(list.length, createRng(seed).fork(SPLIT_STREAM));
  for (const g of order) {
    if (taken >= want || groupsTaken === list.length - 1) break;
    for (const i of list[g]!) isEval[i] = 1;
    taken += list[g]!.length;
    groupsTaken += 1;
  }
  return { train: rows.filter((_, i) => !isEval[i]), eval: rows.filter((_, i) => isEval[i]) };
}
