// Token examples -> the step graph's feeds and the counts its sums are divided by, per objective. Reference
// log-probabilities (DPO) come from a frozen scorer passed in. Not the batching itself (data/batch.ts).
import { tensor, type Tensor } from "../ir";
import type { TTextBatch } from "../model";
import {
  batchTensors,
  lmBatch,
  preferenceBatch,
  promptCompletionBatch,
  rankingBatch,
  scoredTokenCount,
  type TTokenBatch,
} from "./data/batch";
import type { TCompletionExample, TLmExample, TPreferenceExample, TRankingExample } from "./data/tokenize";
import type { TUnit } from "./step-graph";

export type TCounts = Record<TUnit, number>;

export interface TFeedBatch {
  readonly feeds: Record<string, Tensor>;
  readonly counts: TCounts;
  /** Metric sums computed outside the graph (RL rewards, sequence KL), with their units. */
  readonly extra?: Readonly<Record<string, { readonly sum: number; readonly unit: TUnit }>>;
}

/** Scores sequences with a frozen model (the DPO reference): per-row token log-probs [B, T] and sums [B]. */
export type TReferenceScorer = (
  batch: TTextBatch,
  completionMask: Tensor<"int64">,
) => Promise<{ tokenLogprobs: Float32Array; sumLogprobs: Float32Array }>;

/** A reward-model example: a ranking (tiers, 0 best) and an optional margin for its pairs (TRL's `margin`). */
export type TRewardExample = TRankingExample & { readonly margin?: number };

function textFeeds(b: TTokenBatch, withCompletion: boolean): Record<string, Tensor> {
  const { batch, completionMask } = batchTensors(b);
  return {
    input_ids: batch.inputIds,
    attention_mask: batch.attentionMask,
    position_ids: batch.positionIds,
    ...(withCompletion ? { completion_mask: completionMask } : {}),
  };
}

function counts(partial: Partial<TCounts>): TCounts {
  return { tokens: 0, sequences: 0, pairs: 0, prompts: 0, ...partial };
}

/** Scored tokens per row (completion_mask at t >= 1). */
export function rowTokenCounts(b: TTokenBatch): Float64Array {
  const [B, T] = b.shape;
  const out = new Float64Array(B);
  for (let r = 0; r < B; r++)
    for (let t = 1; t < T; t++) if (b.completionMask[r * T + t] === 1n) out[r] = (out[r] ?? 0) + 1;
  return out;
}

export function pretrainFeeds(examples: readonly TLmExample[], padId: number): TFeedBatch {
  const b = lmBatch(examples, padId);
  return { feeds: textFeeds(b, false), counts: counts({ tokens: scoredTokenCount(b), sequences: examples.length }) };
}

export function sftFeeds(examples: readonly TCompletionExample[], padId: number): TFeedBatch {
  const b = promptCompletionBatch(examples, padId);
  return { feeds: textFeeds(b, true), counts: counts({ tokens: scoredTokenCount(b), sequences: examples.length }) };
}

/** Pairs (better, worse) of different tiers within each prompt, weighted 1 / (pairs of that prompt). */
export function rankingPairs(
  groups: readonly { rows: readonly number[]; tiers: readonly number[] }[],
  margins: readonly number[],
): { better: number[]; worse: number[]; weight: number[]; margin: number[]; prompts: number } {
  const out = {
    better: [] as number[],
    worse: [] as number[],
    weight: [] as number[],
    margin: [] as number[],
    prompts: 0,
  };
  groups.forEach((g, gi) => {
    const pairs: [number, number][] = [];
    g.rows.forEach((ri, i) =>
      g.rows.forEach((rj, j) => {
        if ((g.tiers[i] ?? 0) < (g.tiers[j] ?? 0)) pairs.push([ri, rj]);
      }),
    );
    if (pairs.length === 0) return; // every candidate tied: nothing to learn from this prompt
    out.prompts++;
    for (const [i, j] of pairs) {
      out.better.push(i);
      out.worse.push(j);
      out.weight.push(1 / pairs.length);
      out.margin.push(margins[gi] ?? 0);
    }
  });
  return out;
}

/** Plackett-Luce terms: each candidate outside its prompt's last tier against every candidate not in a better tier. */
export function rankingTerms(
  groups: readonly { rows: readonly number[]; tiers: readonly number[] }[],
  rows: number,
): { item: number[]; risk: Uint8Array; weight: number[]; prompts: number } {
  const item: number[] = [];
  const weight: number[] = [];
  const risk: number[][] = [];
  let prompts = 0;
  for (const g of groups) {
    const last = Math.max(...g.tiers);
    const placed = g.rows.filter((_, i) => (g.tiers[i] ?? 0) < last);
    if (placed.length === 0) continue;
    prompts++;
    g.rows.forEach((r, i) => {
      const tier = g.tiers[i] ?? 0;
      if (tier === last) return;
      const set = new Array<number>(rows).fill(0);
      g.rows.forEach((rj, j) => {
        if ((g.tiers[j] ?? 0) >= tier) set[rj] = 1;
      });
      item.push(r);
      weight.push(1 / placed.length);
      risk.push(set);
    });
  }
  return { item, risk: Uint8Array.from(risk.flat()), weight, prompts };
}

export function rewardFeeds(
  examples: readonly TRewardExample[],
  padId: number,
  loss: "bradley_terry" | "plackett_luce",
): TFeedBatch {
  const rb = rankingBatch(examples, padId);
  const B = rb.batch.shape[0];
  // No loss or metric of a reward model is per token: `tokens` is what `num_tokens` logs, every real token read.
  const tokens = rb.batch.attentionMask.reduce((a, m) => a + Number(m), 0);
  const base = textFeeds(rb.batch, false);
  if (loss === "bradley_terry") {
    const p = rankingPairs(
      rb.groups,
      examples.map((e) => e.margin ?? 0),
    );
    const P = p.better.length;
    return {
      feeds: {
        ...base,
        pair_better: tensor("int64", [P], BigInt64Array.from(p.better, BigInt)),
        pair_worse: tensor("int64", [P], BigInt64Array.from(p.worse, BigInt)),
        pair_weight: tensor("float32", [P], Float32Array.from(p.weight)),
        pair_margin: tensor("float32", [P], Float32Array.from(p.margin)),
      },
      counts: counts({ prompts: p.prompts, pairs: P, sequences: B, tokens }),
    };
  }
  const t = rankingTerms(rb.groups, B);
  const Q = t.item.length;
  return {
    feeds: {
      ...base,
      term_item: tensor("int64", [Q], BigInt64Array.from(t.item, BigInt)),
      term_risk: tensor("bool", [Q, B], t.risk),
      term_weight: tensor("float32", [Q], Float32Array.from(t.weight)),
    },
    counts: counts({ prompts: t.prompts, sequences: B, tokens }),
  };
}

/** A preference pair, optionally with its reference sequence log-probs already computed (token means for IPO). */
export type TDpoExample = TPreferenceExample & { readonly refChosen?: number; readonly refRejected?: number };

/** The reference's sequence log-probs of a batch's rows (token means for IPO), scored by `reference`. */
async function scoreReference(
  pb: ReturnType<typeof preferenceBatch>,
  reference: TReferenceScorer,
  isIpo: boolean,
): Promise<Float32Array> {
  const { batch, completionMask } = batchTensors(pb.batch);
  const ref = Float32Array.from((await reference(batch, completionMask)).sumLogprobs);
  if (isIpo) {
    const n = rowTokenCounts(pb.batch);
    for (let r = 0; r < ref.length; r++) ref[r] = (ref[r] ?? 0) / Math.max(n[r] ?? 0, 1);
  }
  return ref;
}

/**
 * Preference pairs -> chosen rows then rejected rows, with the reference's sequence log-probs: the examples'
 * own when every one has them (`precomputeReference`), else scored now by `reference`.
 */
export async function dpoFeeds(
  examples: readonly TDpoExample[],
  padId: number,
  reference: TReferenceScorer,
  isIpo: boolean,
): Promise<TFeedBatch> {
  const pb = preferenceBatch(examples, padId);
  const feeds = textFeeds(pb.batch, true);
  const known = examples.every((e) => e.refChosen !== undefined && e.refRejected !== undefined);
  const ref = known
    ? Float32Array.from([...examples.map((e) => e.refChosen ?? 0), ...examples.map((e) => e.refRejected ?? 0)])
    : await scoreReference(pb, reference, isIpo);
  feeds.ref_logps = tensor("float32", [ref.length], ref);
  return { feeds, counts: counts({ pairs: pb.pairs, sequences: 2 * pb.pairs, tokens: scoredTokenCount(pb.batch) }) };
}

/** TRL's `precompute_ref_log_probs`: scores every pair's reference log-probs once, before training, so each step
 *  runs the policy only. */
export async function precomputeReference(
  examples: readonly TPreferenceExample[],
  padId: number,
  reference: TReferenceScorer,
  isIpo: boolean,
  batchSize: number,
): Promise<TDpoExample[]> {
  const out: TDpoExample[] = [];
  for (let i = 0; i < examples.length; i += batchSize) {
    const chunk = examples.slice(i, i + batchSize);
    const ref = await scoreReference(preferenceBatch(chunk, padId), reference, isIpo);
    chunk.forEach((e, p) => out.push({ ...e, refChosen: ref[p] ?? NaN, refRejected: ref[chunk.length + p] ?? NaN }));
  }
  return out;
}
