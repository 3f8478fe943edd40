// Choosing the next token of one sequence from its logits row: processors, then greedy or a seeded draw.
// Not the decoding loop, batching or stopping (stop.ts).
import { applyProcessors } from "./processors";
import type { TRng } from "./rng";
import { argmax, checkLogits, greedyPick, rowWeights, scratch, type TRowWeights } from "./row-math";
import { assertSamplingParams, type TSamplingParams } from "./sampling-params";

export type TSampleContext = {
  /**
   * Every token already in the sequence, prompt then generated: the repetition penalty's set (HF's input_ids,
   * less left padding, which HF would include and so penalise the pad id).
   */
  readonly previousTokens: ArrayLike<number>;
};

export type TSampleResult = {
  readonly token: number;
  /**
   * log p(token) under the distribution it was chosen from: log_softmax of the processed logits, i.e. HF's
   * `compute_transition_scores(..., normalize_logits=True)`. Sampling: after every processor. Greedy: after
   * the repetition penalty only (HF applies no warper when not sampling), so with no penalty it equals
   * `rawLogprob`.
   */
  readonly logprob: number;
  /** log p(token) under the model itself: log_softmax of the unprocessed logits (the policy's log-prob). */
  readonly rawLogprob: number;
};

/**
 * Inverse-CDF draw over the row in token-id order: the first id whose cumulative weight exceeds u * total.
 * NOTE: weights and their running sum are float64 (summed in the same order as `total`); u has 53 random
 * bits, so a token of probability q is drawn with probability q to within ~2^-53. Zero-weight (removed) tokens
 * are never drawn: the strict `>` cannot stop on a step that adds nothing.
 */
function drawIndex({ w, total }: TRowWeights, u: number): number {
  const target = u * total;
  let cumulative = 0;
  let lastPositive = -1;
  for (let i = 0; i < w.length; i++) {
    if (w[i]! === 0) continue;
    cumulative += w[i]!;
    lastPositive = i;
    if (cumulative > target) return i;
  }
  return lastPositive; // only if rounding put target at the very top of the sum
}

/**
 * The next token for one sequence. `logits` (length V; a subarray of a [B, V] batch is fine) is not modified.
 * Greedy (temperature 0) draws nothing from `rng`; sampling draws exactly one `nextFloat()` per call, so
 * a sequence's stream advances one number per token whatever the parameters.
 */
export function sampleNext(
  logits: Float32Array,
  params: TSamplingParams,
  context: TSampleContext,
  rng: TRng,
): TSampleResult {
  assertSamplingParams(params);
  if (params.temperature === 0 && params.repetitionPenalty === 1) {
    // Plain greedy: no processor changes the row, so skip the copy and the weights buffer (a decode
    // step of a batch calls this once per row over the whole vocabulary).
    const { token, logprob } = greedyPick(logits, "sampleNext (model logits)");
    return { token, logprob, rawLogprob: logprob };
  }
  checkLogits(logits, "sampleNext (model logits)");
  const raw = rowWeights(logits, scratch(0, logits.length));
  const rawLogNorm = raw.max + Math.log(raw.total); // logsumexp of the model's logits

  const row = logits.slice(); // [V]
  const weights = applyProcessors(row, params, context.previousTokens, raw); // reuses raw's buffer
  // A non-finite total means a processor made +Infinity or NaN (a tiny temperature overflowing float32).
  if (!Number.isFinite(weights.total)) checkLogits(row, "sampleNext (after processors)");
  const token = params.temperature === 0 ? argmax(row) : drawIndex(weights, rng.nextFloat());
  return {
    token,
    logprob: row[token]! - weights.max - Math.log(weights.total),
    rawLogprob: logits[token]! - rawLogNorm,
  };
}
